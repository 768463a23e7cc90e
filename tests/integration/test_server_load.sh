#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The server under concurrent writers (issue 6): every write that was
# answered 201 is in the database exactly once, with its audit entry; and
# a SIGTERM under load lets the requests in flight finish, exits cleanly
# and leaves a sound database.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/server_lib.sh"

DB="$TMP/t.sqlite"
make_db "$DB"
tok=$("$BP" --db "$DB" user token admin)
commune=$(sqlite3 "$DB" "SELECT id FROM commune LIMIT 1")
start_server "$DB" --threads 4

# writer N COUNT PREFIX: COUNT villages, one status per line in $TMP/w.N
writer() {
    local n=$1 count=$2 prefix=$3 i
    for i in $(seq 1 "$count"); do
        curl -s -o /dev/null -w '%{http_code}\n' \
            -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
            --data-binary "{\"name\":\"$prefix $n-$i\",\"commune_id\":\"$commune\"}" \
            "$BASE/api/v1/villages"
    done >"$TMP/w.$n"
}

writers=6
per=20
for n in $(seq 1 $writers); do
    writer "$n" $per "Tải" &
done
# Readers at the same time.
for n in 1 2; do
    (for i in $(seq 1 20); do
        curl -s -o /dev/null -H "Authorization: Bearer $tok" "$BASE/api/v1/coverage"
    done) &
done
wait_writers() { local p; for p in $(jobs -p); do [ "$p" = "$SRV_PID" ] || wait "$p"; done; }
wait_writers
ok201=$(cat "$TMP"/w.* | grep -c '^201$')
expect_eq "every concurrent write answered 201" "$ok201" $((writers * per))
expect_eq "every write stored once" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM village WHERE name LIKE 'Tải %'")" "$ok201"
expect_eq "distinct names" \
    "$(sqlite3 "$DB" "SELECT count(DISTINCT name) FROM village WHERE name LIKE 'Tải %'")" "$ok201"
expect_eq "every write audited" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE kind = 'villages' AND action = 'create'")" "$ok201"
BEARER=$tok req - GET "/api/v1/villages?q=tai&limit=1000"
expect_eq "the API lists them (search without diacritics)" "$(jqb .total)" "$ok201"

# Shutdown under load: writers running when SIGTERM arrives.
rm -f "$TMP"/w.*
for n in $(seq 1 $writers); do
    writer "$n" 30 "Dừng" &
done
sleep 1
stop_server
expect_eq "clean stop under load" "$SRV_RC" 0
wait_writers
ok201=$(cat "$TMP"/w.* | grep -c '^201$')
stored=$(sqlite3 "$DB" "SELECT count(*) FROM village WHERE name LIKE 'Dừng %'")
expect_eq "answered writes are stored" "$stored" "$ok201"
[ "$ok201" -gt 0 ] && ok || fail "no write finished before the stop"
expect_eq "audit matches after stop" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE kind = 'villages' AND action = 'create'")" \
    $((writers * per + ok201))
expect_eq "integrity" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
finish
