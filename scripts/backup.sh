#!/bin/sh
# Backs up the database and the media files (README "Backups"): scripts/backup.sh BACKUP_DIR
#   BACKUP_DIR/clinic-<UTC time>.dump     pg_dump's custom format (compressed; restore with scripts/restore.sh)
#   BACKUP_DIR/media-<UTC time>.tar.gz    MEDIA_ROOT (uploaded images and documents)
#   BACKUP_DIR/clinic-<UTC time>.sha256   checksums of both
# Reads DATABASE_URL and MEDIA_ROOT (default var/media) from the environment. A consistent snapshot: pg_dump reads
# one transaction, so the web and workers can keep running.
set -eu
dest=${1:?usage: scripts/backup.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must be set}"
media=${MEDIA_ROOT:-$(dirname "$0")/../var/media}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
umask 077  # the dump holds patient data: readable by its owner only
pg_dump --format=custom --no-owner --no-privileges --file "$dest/clinic-$stamp.dump" "$DATABASE_URL"
mkdir -p "$media"
tar -C "$media" -czf "$dest/media-$stamp.tar.gz" .
(cd "$dest" && sha256sum "clinic-$stamp.dump" "media-$stamp.tar.gz" > "clinic-$stamp.sha256")
echo "$dest/clinic-$stamp.dump"
echo "$dest/media-$stamp.tar.gz"
