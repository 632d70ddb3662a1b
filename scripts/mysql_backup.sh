#!/usr/bin/env bash
# Back up the WICS database on MySQL/MariaDB: one consistent, compressed dump, checked, then
# renamed into place; dumps older than KEEP_DAYS are deleted. For cron (docs/operations.md).
#
#   scripts/mysql_backup.sh DATABASE BACKUP_DIR [KEEP_DAYS]      (KEEP_DAYS default 30)
#
# The account comes from a MySQL option file, never the command line (it would show in the
# process list): WICS_BACKUP_CNF, default ~/.wics-backup.cnf, mode 600:
#   [client]
#   host=db01
#   user=wics_backup
#   password=...
# Prints the dump's path. Exit status non-zero when anything failed; no partial file is left.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 DATABASE BACKUP_DIR [KEEP_DAYS]" >&2
  exit 2
fi
db=$1
dir=$2
keep=${3:-30}
cnf=${WICS_BACKUP_CNF:-$HOME/.wics-backup.cnf}
dump=${MYSQLDUMP:-mysqldump}

[ -r "$cnf" ] || { echo "no option file $cnf (see the comment at the top)" >&2; exit 2; }
mkdir -p "$dir"
out="$dir/$db-$(date +%Y-%m-%d_%H%M%S).sql.gz"
partial="$out.partial"
trap 'rm -f "$partial"' EXIT

# --single-transaction: one consistent snapshot of the InnoDB tables without locking out the
# workstations; --routines --triggers --events: everything the schema may hold (WICS has none
# today, a later version might); --hex-blob: material photos survive any client charset;
# --no-tablespaces: no PROCESS privilege needed.
"$dump" --defaults-extra-file="$cnf" --single-transaction --routines --triggers --events \
        --no-tablespaces --hex-blob "$db" | gzip -c > "$partial"
gzip -t "$partial"
# mysqldump writes this comment last: a dump cut short (disk full, server gone) lacks it.
gzip -dc "$partial" | tail -n 1 | grep -q "^-- Dump completed" || {
  echo "the dump of $db is incomplete; kept the previous backups" >&2
  exit 1
}
mv "$partial" "$out"
trap - EXIT
find "$dir" -maxdepth 1 -name "$db-*.sql.gz" -mtime +"$keep" -delete
echo "$out"
