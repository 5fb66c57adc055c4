#!/bin/sh
# Back up the state database (PostgreSQL, pg_dump custom format) and the files the catalog points at (originals/
# and converted/, content-addressed) with their SHA-256 sums. See RUNBOOK.md.
#   PGURL=postgresql://user:password@postgres:5432/parquet DATA_DIR=/data deploy/backup.sh /backups/2026-12-02
set -eu
dest=${1:?usage: backup.sh DEST_FOLDER}
: "${PGURL:?set PGURL (libpq URL of the state database, without +psycopg)}"
: "${DATA_DIR:?set DATA_DIR (the data folder, paths.data_dir)}"
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --file "$dest/state.dump" "$PGURL"
cd "$DATA_DIR"
folders=""
for f in originals converted; do [ -d "$f" ] && folders="$folders $f"; done
# an original is named by the SHA-256 of its bytes: a file whose name and content disagree is already damaged
for f in $(find originals -type f ! -name '.*' 2>/dev/null); do
  [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || { echo "original endommagé : $f" >&2; exit 1; }
done
# shellcheck disable=SC2086
find $folders -type f ! -name '.*' | LC_ALL=C sort | xargs -r sha256sum > "$dest/files.sha256"
# shellcheck disable=SC2086
tar -cf "$dest/files.tar" --exclude='.*' $folders
(cd "$dest" && sha256sum state.dump files.tar files.sha256 > backup.sha256)
echo "sauvegarde terminée : $dest ($(wc -l < "$dest/files.sha256") fichiers)"
