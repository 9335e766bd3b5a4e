#!/bin/sh
# Restores a backup made by scripts/backup.sh (README "Backups"): scripts/restore.sh DUMP [MEDIA_TARBALL]
# Into DATABASE_URL, which must be an empty database (createdb it first), and MEDIA_ROOT (default var/media).
# Stop the web, worker and beat processes first; start them after (scripts/start.sh web applies any newer
# migrations). The checksums are verified when the .sha256 file lies beside the dump.
set -eu
dump=${1:?usage: scripts/restore.sh DUMP [MEDIA_TARBALL]}
media_tarball=${2:-}
: "${DATABASE_URL:?DATABASE_URL must be set}"
media=${MEDIA_ROOT:-$(dirname "$0")/../var/media}
sums="${dump%.dump}.sha256"
if [ -f "$sums" ]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$sums")")
fi
# One transaction: a restore that fails part-way leaves the database empty, not half-restored.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$DATABASE_URL" "$dump"
if [ -n "$media_tarball" ]; then
  mkdir -p "$media"
  tar -C "$media" -xzf "$media_tarball"
fi
echo "restored $dump${media_tarball:+ and $media_tarball}"
