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

# Shutdown under load: writers running when SIGTERM arrives. Each line of
# $TMP/s.N is "STATUS NAME" (000: the connection closed with no answer).
stop_writer() {
    local n=$1 i code
    for i in $(seq 1 30); do
        code=$(curl -s -o /dev/null -w '%{http_code}' \
            -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
            --data-binary "{\"name\":\"Dừng $n-$i\",\"commune_id\":\"$commune\"}" \
            "$BASE/api/v1/villages")
        echo "$code Dừng $n-$i"
    done >"$TMP/s.$n"
}
for n in $(seq 1 $writers); do
    stop_writer "$n" &
done
sleep 1
stop_server
expect_eq "clean stop under load" "$SRV_RC" 0
wait_writers
cat "$TMP"/s.* >"$TMP/answers"
grep '^201 ' "$TMP/answers" | cut -d' ' -f2- | sort >"$TMP/ok"
sqlite3 "$DB" "SELECT name FROM village WHERE name LIKE 'Dừng %'" | sort >"$TMP/stored"
ok201=$(wc -l <"$TMP/ok")
stored=$(wc -l <"$TMP/stored")
[ "$ok201" -gt 0 ] && ok || fail "no write finished before the stop"
# Nothing answered 201 is lost; a write stored without its 201 is one whose
# connection the stop cut before the answer arrived (status 000), never
# one answered with an error.
expect_eq "every write answered 201 is stored" "$(comm -23 "$TMP/ok" "$TMP/stored" | wc -l)" 0
unanswered=$(comm -13 "$TMP/ok" "$TMP/stored")
bad=0
while IFS= read -r name; do
    [ -n "$name" ] || continue
    grep -qxF "000 $name" "$TMP/answers" || bad=$((bad + 1))
done <<<"$unanswered"
expect_eq "writes stored without a 201 got no answer at all" "$bad" 0
expect_eq "audit matches after stop" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE kind = 'villages' AND action = 'create'")" \
    $((writers * per + stored))
expect_eq "integrity" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
finish
