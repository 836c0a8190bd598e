#!/bin/sh
# Backup and restore rehearsal: dump a database with pg_dump, restore it into a scratch
# database with pg_restore, compare the row counts of the main tables, print the times.
#
#   bench/backup_rehearsal.sh [SOURCE_URL] [SCRATCH_NAME]
#   make backup-rehearsal BENCH_DB=portal_bench
#
# SOURCE_URL defaults to $DATABASE_URL; the scratch database (default: <source>_restore)
# on the same server is dropped and created again. Exits non-zero when a count differs.
set -eu

SOURCE="${1:-${DATABASE_URL:?set DATABASE_URL or give the source URL}}"
SERVER="${SOURCE%/*}"
NAME="${SOURCE##*/}"
SCRATCH="${2:-${NAME}_restore}"
DUMP="$(mktemp -d)/portal.dump"
JOBS="${BACKUP_JOBS:-2}"

TABLES="wagtailcore_page wagtailcore_revision accounts_user account_emailaddress
consultations_consultationpage consultations_voterregister consultations_ballot
consultations_optiontally consultations_pollturnout consultations_suggestion
consultations_registration consultations_hearingsession consultations_decisionitem
consultations_ledgerentry consultations_rosterperson django_session"

now() { date +%s.%N; }
seconds() { printf '%.1f' "$(echo "$2 - $1" | bc)"; }

counts() {
    for table in $TABLES; do
        printf '%s %s\n' "$table" "$(psql "$1" -Atc "SELECT count(*) FROM $table")"
    done
}

started=$(now)
# Custom format: compressed, restorable table by table and in parallel.
pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$SOURCE"
dumped=$(now)
psql "$SERVER/postgres" -q -c "DROP DATABASE IF EXISTS $SCRATCH" -c "CREATE DATABASE $SCRATCH"
pg_restore --no-owner --no-privileges --jobs="$JOBS" --dbname="$SERVER/$SCRATCH" "$DUMP"
restored=$(now)

counts "$SOURCE" | sort > "$DUMP.source"
counts "$SERVER/$SCRATCH" | sort > "$DUMP.restored"
echo "table rows-in-source rows-restored"
join "$DUMP.source" "$DUMP.restored" | column -t
size=$(du -h "$DUMP" | cut -f1)
echo "dump $size in $(seconds "$started" "$dumped") s, restore ($JOBS jobs) in $(seconds "$dumped" "$restored") s"
if cmp -s "$DUMP.source" "$DUMP.restored"; then
    echo "OK: every table has the same number of rows"
    rm -rf "$(dirname "$DUMP")"
    psql "$SERVER/postgres" -q -c "DROP DATABASE $SCRATCH"
else
    echo "MISMATCH: the restore differs (kept: $DUMP, database $SCRATCH)" >&2
    exit 1
fi
