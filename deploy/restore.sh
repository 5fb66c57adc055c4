#!/bin/sh
# Restore a backup made by backup.sh into an EMPTY database and data folder, verifying every checksum; exit 1
# (nothing half-done is left unsaid) when anything does not match. See RUNBOOK.md.
#   PGURL=postgresql://user:password@postgres:5432/parquet DATA_DIR=/data deploy/restore.sh /backups/2026-12-02
set -eu
src=${1:?usage: restore.sh BACKUP_FOLDER}
: "${PGURL:?set PGURL (libpq URL of the empty target database)}"
: "${DATA_DIR:?set DATA_DIR (the data folder, paths.data_dir)}"
(cd "$src" && sha256sum --check --strict --quiet backup.sha256) || {
  echo "sauvegarde altérée : sommes de contrôle de $src/backup.sha256 fausses, rien n'a été restauré" >&2; exit 1; }
mkdir -p "$DATA_DIR"
tar -xf "$src/files.tar" -C "$DATA_DIR"
[ ! -s "$src/files.sha256" ] || (cd "$DATA_DIR" && sha256sum --check --strict --quiet "$src/files.sha256") || {
  echo "fichiers restaurés différents de la sauvegarde (voir ci-dessus) : restauration à reprendre" >&2; exit 1; }
for f in $(cd "$DATA_DIR" && find originals -type f ! -name '.*' 2>/dev/null); do
  [ "$(sha256sum "$DATA_DIR/$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || {
    echo "original endommagé après restauration : $f" >&2; exit 1; }
done
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$PGURL" "$src/state.dump"
blobs=0
if [ -n "$(psql "$PGURL" -Atc "SELECT to_regclass('blobs')")" ]; then
  bad=$(psql "$PGURL" -Atc "$(cat "$(dirname "$0")/blobs-check.sql")")
  [ -z "$bad" ] || { echo "fichiers endommagés dans la base restaurée : $bad" >&2; exit 1; }
  blobs=$(psql "$PGURL" -Atc "SELECT count(*) FROM blobs")
fi
echo "restauration terminée : base, $(wc -l < "$src/files.sha256") fichiers et $blobs fichiers dans la base vérifiés"
