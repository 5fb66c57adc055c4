#!/bin/sh
# Back up the state database (PostgreSQL, pg_dump custom format; with blobs.backend=database it holds the originals
# and converted PDFs too, each checked against its SHA-256 before the dump) and the files the catalog points at in
# the data folder (originals/ and converted/, content-addressed) with their SHA-256 sums. See RUNBOOK.md.
#   PGURL=postgresql://user:password@postgres:5432/parquet DATA_DIR=/data deploy/backup.sh /backups/2026-12-02
set -eu
dest=${1:?usage: backup.sh DEST_FOLDER}
: "${PGURL:?set PGURL (libpq URL of the state database, without +psycopg)}"
: "${DATA_DIR:?set DATA_DIR (the data folder, paths.data_dir)}"
mkdir -p "$dest"
blobs=0
if [ -n "$(psql "$PGURL" -Atc "SELECT to_regclass('blobs')")" ]; then
  # a blob whose rows no longer hash to its name is already damaged: refuse to back it up as if it were sound
  bad=$(psql "$PGURL" -Atc "$(cat "$(dirname "$0")/blobs-check.sql")")
  [ -z "$bad" ] || { echo "fichiers endommagés dans la base : $bad" >&2; exit 1; }
  blobs=$(psql "$PGURL" -Atc "SELECT count(*) FROM blobs")
fi
pg_dump --format=custom --no-owner --no-privileges --file "$dest/state.dump" "$PGURL"
cd "$DATA_DIR"
folders=""
for f in originals converted; do [ -d "$f" ] && folders="$folders $f"; done
# an original is named by the SHA-256 of its bytes: a file whose name and content disagree is already damaged
for f in $(find originals -type f ! -name '.*' 2>/dev/null); do
  [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || { echo "original endommagé : $f" >&2; exit 1; }
done
if [ -n "$folders" ]; then
  # shellcheck disable=SC2086
  find $folders -type f ! -name '.*' | LC_ALL=C sort | xargs -r sha256sum > "$dest/files.sha256"
  # shellcheck disable=SC2086
  tar -cf "$dest/files.tar" --exclude='.*' $folders
else  # every file is in the database (blobs.backend=database)
  : > "$dest/files.sha256"
  tar -cf "$dest/files.tar" -T /dev/null
fi
(cd "$dest" && sha256sum state.dump files.tar files.sha256 > backup.sha256)
echo "sauvegarde terminée : $dest ($(wc -l < "$dest/files.sha256") fichiers, $blobs fichiers dans la base)"
