#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The server end to end (issue 6): sessions, CSRF, expiry, the registry
# records (list, filters, pages, get, create, update, end), the audit log,
# figures, layers, CSV out and in, the OpenAPI description against the
# routes, security headers, the built-in page, and bad input: each gets its
# problem document, changes nothing, and the server stays up.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/server_lib.sh"

DB="$TMP/t.sqlite"
make_db "$DB"
start_server "$DB" --login-limit 3 --static "$TMP/nope"
J="$TMP/admin.jar"

# ---- public endpoints, headers, built-in page ----
req - GET /api/v1/health
expect_eq "health" "$STATUS" 200
expect_eq "health body" "$(jqb .status)" ok
hdr=$(cat "$TMP/headers")
expect_contains "CSP" "$hdr" "Content-Security-Policy: default-src 'self'"
expect_contains "frame-ancestors" "$hdr" "frame-ancestors 'none'"
expect_contains "nosniff" "$hdr" "X-Content-Type-Options: nosniff"
expect_contains "referrer" "$hdr" "Referrer-Policy: no-referrer"
req - GET /
expect_eq "built-in page" "$STATUS" 200
expect_contains "built-in page text" "$BODY" "Giao diện web chưa được xây dựng"
expect_contains "built-in page type" "$(cat "$TMP/headers")" "text/html"
req - GET /api/v1/nothing-here
expect_eq "unknown route" "$STATUS" 404
expect_contains "problem type" "$(cat "$TMP/headers")" \
    "Content-Type: application/problem+json"
req - DELETE /api/v1/coverage
expect_eq "wrong method" "$STATUS" 405

# ---- authentication ----
req - GET /api/v1/coverage
expect_eq "anonymous coverage" "$STATUS" 401
expect_eq "401 problem status" "$(jqb .status)" 401
req - POST /api/v1/session '{"name":"admin","password":"wrong"}'
expect_eq "bad password" "$STATUS" 401
expect_eq "bad password problem" "$(jqb .type)" \
    "https://bienphong.invalid/problems/bad-login"
login "$J" admin adminpw
ADMIN_CSRF=$CSRF
expect_eq "csrf token length" "${#ADMIN_CSRF}" 64
cookie=$(grep -i '^Set-Cookie' "$TMP/headers")
expect_contains "cookie HttpOnly" "$cookie" "HttpOnly"
expect_contains "cookie SameSite" "$cookie" "SameSite=Strict"
secret=$(awk '$6 == "bp_session" {print $7}' "$J")
# The secret is stored only as a hash.
expect_eq "secret not stored" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM auth_token WHERE hash = '$secret'")" 0
req "$J" GET /api/v1/session
expect_eq "session get" "$STATUS" 200
expect_eq "session user" "$(jqb .user.name)" admin
expect_eq "session csrf" "$(jqb .csrf_token)" "$ADMIN_CSRF"

# ---- records: create, CSRF, get, update, end, audit ----
commune=$(sqlite3 "$DB" "SELECT id FROM commune ORDER BY from_m LIMIT 1")
CSRF= req "$J" POST /api/v1/villages "{\"name\":\"Bản Thử\",\"commune_id\":\"$commune\"}"
expect_eq "create without csrf" "$STATUS" 403
expect_eq "csrf problem" "$(jqb .type)" "https://bienphong.invalid/problems/csrf"
CSRF=0000000000000000000000000000000000000000000000000000000000000000 \
    req "$J" POST /api/v1/villages "{\"name\":\"Bản Thử\",\"commune_id\":\"$commune\"}"
expect_eq "create with forged csrf" "$STATUS" 403
n_v=$(sqlite3 "$DB" "SELECT count(*) FROM village WHERE name = 'Bản Thử'")
expect_eq "nothing created without csrf" "$n_v" 0
CSRF=$ADMIN_CSRF
req "$J" POST /api/v1/villages "{\"name\":\"Bản Thử\",\"commune_id\":\"$commune\"}"
expect_eq "create village" "$STATUS" 201
vid=$(jqb .id)
expect_eq "created name" "$(jqb .name)" "Bản Thử"
expect_contains "location" "$(cat "$TMP/headers")" "Location: /api/v1/villages/$vid"
req "$J" GET "/api/v1/villages/$vid"
expect_eq "get village" "$STATUS" 200
expect_eq "get village commune" "$(jqb .commune_id)" "$commune"
req "$J" PATCH "/api/v1/villages/$vid" '{"name":"Bản Thử Mới"}'
expect_eq "patch village" "$STATUS" 200
expect_eq "patched name" "$(jqb .name)" "Bản Thử Mới"
req "$J" POST "/api/v1/villages/$vid/end" '{"ended_on":"2025-01-02"}'
expect_eq "end village" "$STATUS" 200
expect_eq "ended_on" "$(jqb .ended_on)" 2025-01-02
req "$J" GET "/api/v1/audit?record_id=$vid"
expect_eq "audit read" "$STATUS" 200
expect_eq "audit entries" "$(jqb '.items | length')" 3
expect_eq "audit newest action" "$(jqb '.items[0].action')" end
expect_eq "audit before of update" "$(jqb '.items[1].before.name')" "Bản Thử"
expect_eq "audit after of update" "$(jqb '.items[1].after.name')" "Bản Thử Mới"
expect_eq "audit user" "$(jqb '.items[2].user')" admin
expect_eq "audit create has no before" "$(jqb '.items[2].before')" null
# The log cannot be changed or shortened, not even with SQL.
sqlite3 "$DB" "DELETE FROM audit" 2>"$TMP/sqlerr"
expect_contains "audit delete refused" "$(cat "$TMP/sqlerr")" "append-only"
sqlite3 "$DB" "UPDATE audit SET user_name = 'x'" 2>"$TMP/sqlerr"
expect_contains "audit update refused" "$(cat "$TMP/sqlerr")" "append-only"
"$BP" --db "$DB" audit --record "$vid" >"$TMP/cli_audit"
expect_eq "cli audit lines" "$(wc -l <"$TMP/cli_audit")" 3

# A pledge by marker anchors, then a custodian with personal data.
cust=$(sqlite3 "$DB" "SELECT id FROM custodian WHERE kind = 'household' AND commune IS NOT NULL LIMIT 1")
req "$J" POST /api/v1/pledges "{\"custodian_id\":\"$cust\",\"from\":\"km 10\",\"to\":{\"measure_m\":10500},\"signed_on\":\"03/03/2024\",\"note\":\"thử\"}"
expect_eq "create pledge" "$STATUS" 201
expect_near "pledge length" "$(jqb .length_m)" 500 0.001
pid=$(jqb .id)
req "$J" PUT "/api/v1/pledges/$pid" "{\"custodian_id\":\"$cust\",\"from\":\"km 10\",\"to\":\"km 11\",\"signed_on\":\"2024-03-03\"}"
expect_eq "put pledge" "$STATUS" 200
expect_near "put pledge length" "$(jqb .length_m)" 1000 0.001
expect_eq "put resets note" "$(jqb .note)" null
req "$J" POST "/api/v1/pledges/$pid/end" '{"ended_on":"2020-01-01"}'
expect_eq "end before signing" "$STATUS" 422

# ---- lists: filters, search without diacritics, sort, cursor pages ----
code=$(sqlite3 "$DB" "SELECT code FROM commune ORDER BY from_m LIMIT 1")
want=$(sqlite3 "$DB" "SELECT count(*) FROM village v JOIN commune c ON c.rid = v.commune WHERE c.code = '$code'")
req "$J" GET "/api/v1/villages?commune=$code&limit=1000"
expect_eq "filter by commune" "$(jqb .total)" "$want"
name=$(sqlite3 "$DB" "SELECT name FROM custodian WHERE name LIKE '%Đ%' LIMIT 1")
folded=$(printf '%s' "$name" | sed 's/Đ/D/g; s/đ/d/g' | iconv -f utf-8 -t ascii//TRANSLIT 2>/dev/null || true)
if [ -n "$folded" ]; then
    req "$J" GET "/api/v1/custodians?q=$(jq -rn --arg s "$folded" '$s|@uri')"
    expect_contains "search ignores diacritics" "$BODY" "$name"
fi
total=$(sqlite3 "$DB" "SELECT count(*) FROM custodian")
seen=0
cursor=
pages=0
: >"$TMP/ids"
while :; do
    req "$J" GET "/api/v1/custodians?limit=200&sort=-name${cursor:+&cursor=$cursor}"
    [ "$STATUS" = 200 ] || break
    jqb '.items[].id' >>"$TMP/ids"
    pages=$((pages + 1))
    cursor=$(jqb .next_cursor)
    [ "$cursor" = null ] && break
done
expect_eq "pages cover every custodian" "$(sort -u "$TMP/ids" | wc -l)" "$total"
expect_eq "page count" "$pages" $(((total + 199) / 200))
req "$J" GET "/api/v1/custodians?limit=3&sort=-name"
first=$(jqb '.items[0].name')
second=$(jqb '.items[1].name')
expect_eq "sorted descending" "$(printf '%s\n%s\n' "$first" "$second" | LC_ALL=C sort -r | head -1)" "$first"
req "$J" GET "/api/v1/pledges?as_of=2019-03-03&limit=1000"
n19=$(jqb .total)
req "$J" GET "/api/v1/pledges?as_of=2024-03-03&limit=1000"
n24=$(jqb .total)
want19=$(sqlite3 "$DB" "SELECT count(*) FROM pledge WHERE signed_on <= 17958 AND (ended_on IS NULL OR ended_on > 17958)")
expect_eq "as_of filter 2019" "$n19" "$want19"
[ "$n24" -gt "$n19" ] && ok || fail "more pledges in 2024 ($n24) than 2019 ($n19)"
req "$J" GET "/api/v1/custodians?limit=0"
expect_eq "bad limit" "$STATUS" 400
req "$J" GET "/api/v1/custodians?sort=nonsense"
expect_eq "bad sort" "$STATUS" 400

# Lists page in SQL with keyset cursors (issue 6). Walk the custodians in
# their own order (by folded name), 100 a page, adding two between the
# second and third page: "Aaaa" sorts before the walk's place and is not
# seen, "Ỳ Zzzz" after it and is seen once; every record there before is
# seen once, in the order of a one-page read.
req "$J" GET "/api/v1/custodians?limit=1000"
jqb '.items[].id' >"$TMP/own_order"
expect_eq "one page of every custodian" "$(wc -l <"$TMP/own_order")" "$total"
expect_eq "last page has no cursor" "$(jqb .next_cursor)" null
cursor=
pages=0
: >"$TMP/walked"
while :; do
    req "$J" GET "/api/v1/custodians?limit=100${cursor:+&cursor=$cursor}"
    [ "$STATUS" = 200 ] || { fail "page $pages: $STATUS $BODY"; break; }
    expect_eq "page $pages total" "$(jqb .total)" "$((total + (pages > 1 ? 2 : 0)))"
    jqb '.items[].id' >>"$TMP/walked"
    cursor=$(jqb .next_cursor)
    pages=$((pages + 1))
    if [ "$pages" = 2 ]; then
        req "$J" POST /api/v1/custodians "{\"kind\":\"household\",\"name\":\"Aaaa Trước\",\"commune_id\":\"$commune\"}"
        expect_eq "add a custodian between pages" "$STATUS" 201
        early=$(jqb .id)
        req "$J" POST /api/v1/custodians "{\"kind\":\"household\",\"name\":\"Ỳ Zzzz Sau\",\"commune_id\":\"$commune\"}"
        expect_eq "add another" "$STATUS" 201
        late=$(jqb .id)
    fi
    [ "$cursor" = null ] && break
    [ "$pages" -gt 50 ] && { fail "pages never end"; break; }
done
expect_eq "added before the cursor: not seen" "$(grep -c "$early" "$TMP/walked")" 0
expect_eq "added after the cursor: seen once" "$(grep -c "$late" "$TMP/walked")" 1
expect_eq "every record once, in order" \
    "$(grep -v "$late" "$TMP/walked" | md5sum)" "$(md5sum <"$TMP/own_order")"
# The same walk sorted by a key, descending, with a filter.
want=$(sqlite3 "$DB" "SELECT id FROM pledge WHERE signed_on <= 19785 AND (ended_on IS NULL OR ended_on > 19785) ORDER BY signed_on DESC, rid DESC" | md5sum)
cursor=
: >"$TMP/walked"
for i in $(seq 1 100); do
    req "$J" GET "/api/v1/pledges?as_of=2024-03-03&sort=-signed_on&limit=77${cursor:+&cursor=$cursor}"
    jqb '.items[].id' >>"$TMP/walked"
    cursor=$(jqb .next_cursor)
    [ "$cursor" = null ] && break
done
expect_eq "sorted, filtered pages" "$(md5sum <"$TMP/walked")" "$want"
# A cursor is good for its own list and order only, and cannot be made up.
req "$J" GET "/api/v1/custodians?limit=5"
cust_cursor=$(jqb .next_cursor)
for bad in "garbage" "12" "$cust_cursor&sort=-name" "${cust_cursor%???}"; do
    req "$J" GET "/api/v1/custodians?limit=5&cursor=$bad"
    expect_eq "bad cursor '$bad'" "$STATUS" 400
    expect_contains "bad cursor type" "$(cat "$TMP/headers")" \
        "Content-Type: application/problem+json"
    expect_eq "bad cursor names the field" "$(jqb '.errors[0].field')" cursor
done
req "$J" GET "/api/v1/pledges?limit=5&cursor=$cust_cursor"
expect_eq "another list's cursor" "$STATUS" 400
expect_eq "another list's cursor: field" "$(jqb '.errors[0].field')" cursor
req "$J" GET "/api/v1/custodians?limit=1001"
expect_eq "limit above 1000" "$STATUS" 400
expect_eq "limit names the field" "$(jqb '.errors[0].field')" limit
req "$J" GET "/api/v1/custodians"
expect_eq "default limit" "$(jqb '.items | length')" 50
req "$J" GET "/api/v1/custodians?sort=-name&limit=1000"
expect_eq "descending by name" "$(jqb '[.items[].name] == ([.items[].name] | sort | reverse)')" true
req "$J" GET "/api/v1/pledges?sort=length_m&limit=1000"
expect_eq "pledges by length" "$(jqb '[.items[].length_m] == ([.items[].length_m] | sort)')" true
req "$J" GET "/api/v1/custodians?kind=collective&limit=1000"
expect_eq "kind filter" "$(jqb .total)" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM custodian WHERE kind = 'collective'")"
expect_eq "kind filter items" "$(jqb '[.items[].kind] | unique | join(",")')" collective
vil=$(sqlite3 "$DB" "SELECT v.id FROM village v JOIN custodian c ON c.village = v.rid GROUP BY v.rid ORDER BY count(*) DESC LIMIT 1")
req "$J" GET "/api/v1/custodians?village=$vil&limit=1000"
expect_eq "village filter" "$(jqb .total)" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM custodian WHERE village = (SELECT rid FROM village WHERE id = '$vil')")"
req "$J" GET "/api/v1/custodians?station=BN&limit=1000"
expect_eq "station filter" "$(jqb .total)" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM custodian c WHERE coalesce(c.commune, (SELECT commune FROM village WHERE rid = c.village)) IN (SELECT rid FROM commune WHERE station = (SELECT rid FROM station WHERE code = 'BN'))")"
req "$J" GET "/api/v1/custodians?q=$(jq -rn --arg s "'; DROP TABLE custodian; --" '$s|@uri')"
expect_eq "SQL-looking search" "$STATUS" 200
expect_eq "SQL-looking search finds nothing" "$(jqb .total)" 0
expect_eq "custodians still there" "$(sqlite3 "$DB" "SELECT count(*) > 900 FROM custodian")" 1

# ---- figures, cache invalidated by a write ----
req "$J" GET "/api/v1/coverage?as_of=2024-03-03"
expect_eq "coverage" "$STATUS" 200
cli_cov=$("$BP" --db "$DB" --json coverage --as-of 03/03/2024 | jq .covered_m)
expect_near "coverage equals the CLI" "$(jqb .total.covered_m)" "$cli_cov" 0.001
before_cov=$(jqb .total.covered_m)
req "$J" GET /api/v1/gaps?as_of=2024-03-03
gap=$(jqb '.items[0] | "\(.from_m) \(.to_m)"')
gfrom=${gap% *}
gto=${gap#* }
req "$J" POST /api/v1/pledges "{\"custodian_id\":\"$cust\",\"from\":{\"measure_m\":$gfrom},\"to\":{\"measure_m\":$gto},\"signed_on\":\"2024-01-01\"}"
expect_eq "pledge a gap" "$STATUS" 201
req "$J" GET "/api/v1/coverage?as_of=2024-03-03"
expect_near "coverage after write (cache invalidated)" "$(jqb .total.covered_m)" \
    "$(awk -v a="$before_cov" -v f="$gfrom" -v t="$gto" 'BEGIN{printf "%.6f", a+t-f}')" 0.01
req "$J" GET "/api/v1/coverage/history?from=2019&to=2024"
expect_eq "history years" "$(jqb '.items | length')" 6
req "$J" GET "/api/v1/overlaps?as_of=2024-03-03"
expect_eq "overlaps" "$STATUS" 200

# ---- layers ----
req "$J" GET /api/v1/layers/border
expect_eq "border layer" "$STATUS" 200
expect_eq "border layer type" "$(jqb .type)" FeatureCollection
ticks=$(jqb '[.features[] | select(.properties.kind == "tick")] | length')
expect_eq "km ticks" "$ticks" 232
req "$J" GET /api/v1/layers/markers
expect_eq "markers layer count" "$(jqb '.features | length')" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM marker WHERE ended_on IS NULL")"
req "$J" GET "/api/v1/layers/pledges?as_of=2024-03-03"
expect_eq "pledges layer" "$STATUS" 200
expect_eq "no names on the map" "$(jqb '[.features[].properties | has("name")] | any')" false
req "$J" GET "/api/v1/layers/gaps?as_of=2024-03-03"
expect_eq "gaps layer" "$STATUS" 200
req "$J" GET /api/v1/layers/nothing
expect_eq "unknown layer" "$STATUS" 404

# ---- CSV out and in ----
req "$J" GET /api/v1/stations.csv
expect_eq "stations csv" "$STATUS" 200
expect_contains "csv type" "$(cat "$TMP/headers")" "text/csv"
expect_eq "csv BOM" "$(head -c 3 "$TMP/body" | od -An -tx1 | tr -d ' ')" efbbbf
printf 'ma,ten\r\nZZ1,Đồn Thử\r\n' >"$TMP/st.csv"
req "$J" POST /api/v1/stations/import "$(cat "$TMP/st.csv")" text/csv
expect_eq "import stations" "$STATUS" 200
expect_eq "imported records" "$(jqb .records)" 1
printf 'ma,ten\r\nZZ2,\r\nZZ3,Đồn Ba\r\n' >"$TMP/bad.csv"
nst=$(sqlite3 "$DB" "SELECT count(*) FROM station")
req "$J" POST /api/v1/stations/import "$(cat "$TMP/bad.csv")" text/csv
expect_eq "bad import" "$STATUS" 422
expect_eq "bad import row" "$(jqb '.errors[0].row')" 2
expect_eq "bad import wrote nothing" "$(sqlite3 "$DB" "SELECT count(*) FROM station")" "$nst"
req "$J" POST /api/v1/stations/import "x" application/json
expect_eq "import wrong type" "$STATUS" 415

# ---- bad input: each a 4xx problem, nothing changed ----
nv=$(sqlite3 "$DB" "SELECT count(*) FROM village")
bad() { # WHAT WANT_STATUS BODY [CTYPE]
    req "$J" POST /api/v1/villages "$3" "${4:-application/json}"
    expect_eq "$1: status" "$STATUS" "$2"
    expect_eq "$1: problem" "$(jq -r .status "$TMP/body" 2>/dev/null)" "$2"
}
bad "malformed JSON" 400 '{"name": '
bad "not an object" 422 '[1,2]'
bad "wrong type" 422 '{"name": 5, "commune_id": "'"$commune"'"}'
expect_eq "wrong type names field" "$(jqb '.errors[0].field')" name
bad "unknown field" 422 '{"name":"x","commune_id":"'"$commune"'","colour":"red"}'
expect_eq "unknown field named" "$(jqb '.errors[0].field')" colour
bad "missing field" 422 '{"name":"x"}'
expect_eq "missing field named" "$(jqb '.errors[0].field')" commune_id
bad "invalid UTF-8" 400 "$(printf '{"name":"\xff\xfe","commune_id":"%s"}' "$commune")"
bad "very long string" 422 "{\"name\":\"$(head -c 5000 /dev/zero | tr '\0' a)\",\"commune_id\":\"$commune\"}"
bad "deep nesting" 400 "$(printf '%.0s[' $(seq 1 5000))"
bad "wrong content type" 415 'name=x' application/x-www-form-urlencoded
bad "unknown reference" 422 '{"name":"x","commune_id":"00000000-0000-4000-8000-000000000000"}'
bad "duplicate keys" 400 '{"name":"x","name":"y","commune_id":"'"$commune"'"}'
head -c 2000000 /dev/zero | tr '\0' ' ' >"$TMP/huge"
STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' -b "$J" -H "X-CSRF-Token: $ADMIN_CSRF" \
    -H 'Content-Type: application/json' --data-binary @"$TMP/huge" "$BASE/api/v1/villages")
expect_eq "huge body" "$STATUS" 413
# SQL-looking text is just text.
req "$J" POST /api/v1/villages "{\"name\":\"x'); DROP TABLE village; --\",\"commune_id\":\"$commune\"}"
expect_eq "sql-looking name stored as text" "$STATUS" 201
expect_eq "sql-looking name" "$(jqb .name)" "x'); DROP TABLE village; --"
expect_eq "villages: only the sql-looking one added" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM village")" $((nv + 1))
req "$J" GET "/api/v1/villages/not-a-uuid"
expect_eq "bad id" "$STATUS" 404
req "$J" GET "/api/v1/villages/00000000-0000-4000-8000-000000000000"
expect_eq "unknown id" "$STATUS" 404
req - GET /api/v1/health
expect_eq "server still up" "$STATUS" 200

# ---- API tokens ----
req "$J" POST /api/v1/tokens '{"label":"script"}'
expect_eq "token create" "$STATUS" 201
tok=$(jqb .token)
tid=$(jqb .id)
BEARER=$tok CSRF= req - GET /api/v1/coverage
expect_eq "bearer read" "$STATUS" 200
BEARER=$tok CSRF= req - POST /api/v1/villages "{\"name\":\"Bản Token\",\"commune_id\":\"$commune\"}"
expect_eq "bearer write needs no csrf" "$STATUS" 201
req "$J" POST "/api/v1/tokens/$tid/end"
expect_eq "token revoke" "$STATUS" 200
BEARER=$tok CSRF= req - GET /api/v1/coverage
expect_eq "revoked token refused" "$STATUS" 401

# ---- OpenAPI: every described route exists; every listed one is described ----
req - GET /api/v1/openapi.json
expect_eq "openapi" "$STATUS" 200
expect_eq "openapi version" "$(jqb .openapi)" 3.1.0
jqb '.paths | to_entries[] | .key as $p | .value | keys[] | "\(ascii_upcase) \($p)"' >"$TMP/described"
while read -r m p; do
    path=${p//\{id\}/00000000-0000-4000-8000-000000000000}
    [ "$path" = /api/v1/layers/00000000-0000-4000-8000-000000000000 ] && path=/api/v1/layers/border
    STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' -X "$m" "$BASE$path")
    t=$(jq -r .type "$TMP/body" 2>/dev/null)
    case "$t" in
    */no-route | */method-not-allowed) fail "described route $m $p is not served ($STATUS)" ;;
    *) ok ;;
    esac
done <"$TMP/described"
for want in "GET /api/v1/stations" "POST /api/v1/communes" "GET /api/v1/villages/{id}" \
    "PATCH /api/v1/markers/{id}" "PUT /api/v1/custodians/{id}" "POST /api/v1/pledges/{id}/end" \
    "GET /api/v1/coverage" "GET /api/v1/coverage/history" "GET /api/v1/gaps" \
    "GET /api/v1/overlaps" "GET /api/v1/layers/{id}" "GET /api/v1/users" \
    "GET /api/v1/audit" "POST /api/v1/session" "DELETE /api/v1/session" \
    "GET /api/v1/pledges.csv" "POST /api/v1/custodians/import" "POST /api/v1/tokens"; do
    grep -qxF "$want" "$TMP/described" && ok || fail "route '$want' not described"
done

# ---- logout, expiry, login limit ----
req "$J" DELETE /api/v1/session
expect_eq "logout" "$STATUS" 204
req "$J" GET /api/v1/session
expect_eq "after logout" "$STATUS" 401
# The session lifetime, on a server started with a short one.
stop_server
expect_eq "clean stop" "$SRV_RC" 0
cp "$TMP/serve.log" "$TMP/serve1.log"
start_server "$DB" --session-ttl 3 --login-limit 3
J2="$TMP/admin2.jar"
login "$J2" admin adminpw
req "$J2" GET /api/v1/coverage
expect_eq "fresh session" "$STATUS" 200
sleep 4.2
req "$J2" GET /api/v1/coverage
expect_eq "expired session" "$STATUS" 401
# The cache of sessions must not outlive the session.
req "$J2" POST /api/v1/villages "{\"name\":\"late\",\"commune_id\":\"$commune\"}"
expect_eq "expired session cannot write" "$STATUS" 401
for i in 1 2 3; do
    req - POST /api/v1/session '{"name":"admin","password":"nope"}'
done
req - POST /api/v1/session '{"name":"admin","password":"adminpw"}'
expect_eq "login limit" "$STATUS" 429
expect_contains "retry-after" "$(cat "$TMP/headers")" "Retry-After:"

# ---- the access log has lines, no secrets ----
stop_server
expect_eq "clean stop" "$SRV_RC" 0
log=$(cat "$TMP/serve1.log" "$TMP/serve.log")
expect_contains "access log" "$log" "GET /api/v1/coverage"
case "$log" in
*adminpw* | *"$tok"* | *"$ADMIN_CSRF"*) fail "a secret in the access log" ;;
*) ok ;;
esac
expect_eq "integrity after stop" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
finish
