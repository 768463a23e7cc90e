#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 6's last gaps over HTTP: long uploads as jobs (202, Location,
# polling, progress, the same result or problem as the plain request,
# ownership, shutdown leaving nothing half imported), CSV of the campaign's
# records (export with BOM, round trip, bad rows by row and field, roles),
# CSV of patrols, inspections and incidents, the communes layer, and
# --listen with IPv6.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/server_lib.sh"

DB="$TMP/t.sqlite"
make_db "$DB"
q() { sqlite3 "$DB" "$1"; }
cuA=$(q "SELECT c.id FROM custodian c JOIN village v ON v.rid = c.village WHERE v.commune = (SELECT rid FROM commune WHERE code = '06043') LIMIT 1")
[ -n "$cuA" ] || cuA=$(q "SELECT id FROM custodian WHERE commune = (SELECT rid FROM commune WHERE code = '06043') LIMIT 1")
[ -n "$cuA" ] || { echo "fixture cuA missing" >&2; exit 1; }
role_tokens "$DB"
start_server "$DB"
as() { local role=$1; shift; BEARER=${TOKEN[$role]} CSRF= req - "$@"; }
hdr() { grep -i "^$1:" "$TMP/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# poll ROLE PATH: GET the job until it has finished (at most 30 s).
poll() {
    local i
    for i in $(seq 1 300); do
        as "$1" GET "$2"
        case "$(jqb .state)" in
        done | failed | cancelled) return 0 ;;
        esac
        sleep 0.1
    done
    fail "job $2 did not finish: $BODY"
}

# ---- GPS tracks ----
as admin GET /api/v1/layers/border
jqb '.features[0].geometry.coordinates[100:130][] | "\(.[0]) \(.[1])"' >"$TMP/pts"
gpx() { # gpx HOUR [EXTRA_POINT]: a track along the line
    local i=0 lo la
    echo '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
    while read -r lo la; do
        printf '<trkpt lat="%s" lon="%s"><time>2024-06-01T%02d:%02d:00Z</time></trkpt>\n' "$la" "$lo" "$1" "$i"
        i=$((i + 1))
    done <"$TMP/pts"
    [ -n "${2-}" ] && echo "$2"
    echo '</trkseg></trk></gpx>'
}
gpx 1 >"$TMP/j1.gpx"
gpx 2 >"$TMP/j2.gpx"
gpx 3 '<trkpt lat="95.5" lon="106.6"></trkpt>' >"$TMP/jbad.gpx"
# up ROLE QUERY [-H HEADER] FILES...: a multipart upload; headers kept.
up() {
    local role=$1 qs=$2 args=()
    shift 2
    if [ "$1" = -H ]; then args+=(-H "$2"); shift 2; fi
    local f
    for f in "$@"; do args+=(-F "file=@$f"); done
    STATUS=$(curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' \
        -H "Authorization: Bearer ${TOKEN[$role]}" "${args[@]}" \
        "$BASE/api/v1/patrols/import$qs")
    BODY=$(cat "$TMP/body")
}
ntrk=$(q "SELECT count(*) FROM track")
up admin "?kind=station&async=1" "$TMP/j1.gpx" "$TMP/j2.gpx"
expect_eq "async upload: accepted" "$STATUS" 202
job=$(hdr Location)
case "$job" in
/api/v1/jobs/????????-????-????-????-????????????) ok ;;
*) fail "async upload: Location is '$job'" ;;
esac
expect_eq "async upload: preference applied" "$(hdr Preference-Applied)" respond-async
expect_eq "async upload: the job's id in the body" "/api/v1/jobs/$(jqb .id)" "$job"
case "$(jqb .state)" in
queued | running | done) ok ;;
*) fail "async upload: state '$(jqb .state)'" ;;
esac
poll admin "$job"
expect_eq "job done" "$(jqb .state)" done
expect_eq "job: the upload's status" "$(jqb .status)" 201
expect_eq "job: files imported" "$(jqb .result.imported)" 2
expect_eq "job: per-file results" "$(jqb '.result.files | length')" 2
expect_eq "job: fixes read" "$(jqb '.result.files[0].fixes_read')" "$(wc -l <"$TMP/pts")"
expect_eq "job: files done" "$(jqb .progress.files.done)" 2
expect_eq "job: files total" "$(jqb .progress.files.total)" 2
bytes=$(($(wc -c <"$TMP/j1.gpx") + $(wc -c <"$TMP/j2.gpx")))
expect_eq "job: bytes total" "$(jqb .progress.bytes.total)" "$bytes"
expect_eq "job: bytes done" "$(jqb .progress.bytes.done)" "$bytes"
expect_eq "job: times" "$(jqb '[.created_at, .started_at, .finished_at] | map(type) | unique | join(",")')" string
expect_eq "job: tracks stored" "$(q "SELECT count(*) FROM track")" $((ntrk + 2))
as admin GET "$job"
expect_eq "a finished job has no Retry-After" "$(hdr Retry-After)" ""

# The same files again, plainly: the synchronous answer is as before.
up admin "?kind=station" "$TMP/j1.gpx" "$TMP/j2.gpx"
expect_eq "sync re-upload" "$STATUS" 200
expect_eq "sync re-upload: duplicates" "$(jqb .duplicates)" 2
expect_eq "sync answer has no job" "$(hdr Location)" ""

# A bad file as a job (Prefer header): the problem document, nothing kept.
ntrk=$(q "SELECT count(*) FROM track")
up admin "?kind=station" -H "Prefer: wait=5, respond-async" "$TMP/j1.gpx" "$TMP/jbad.gpx"
expect_eq "Prefer: respond-async" "$STATUS" 202
job=$(hdr Location)
poll admin "$job"
expect_eq "bad job failed" "$(jqb .state)" failed
expect_eq "bad job: the upload's status" "$(jqb .status)" 422
expect_eq "bad job: the problem's status" "$(jqb .result.status)" 422
expect_contains "bad job: problem type" "$(jqb .result.type)" invalid-tracks
expect_eq "bad job: the file named" "$(jqb '.result.errors[0].file')" jbad.gpx
expect_eq "bad job: nothing stored" "$(q "SELECT count(*) FROM track")" "$ntrk"
up admin "?kind=station" "$TMP/jbad.gpx"
expect_eq "the same file plainly" "$STATUS" 422
expect_eq "plain and job problems agree" "$(jqb .errors[0].detail)" \
    "$(jq -r '.errors[0].detail' <<<"$(curl -s -H "Authorization: Bearer ${TOKEN[admin]}" "$BASE$job" | jq .result)")"
up admin "?kind=station&async=0" "$TMP/jbad.gpx"
expect_eq "async=0 is a plain request" "$STATUS" 422

# ---- jobs belong to their user ----
gpx 4 >"$TMP/j4.gpx"
up commune "?kind=joint&participants=$cuA&async=1" "$TMP/j4.gpx"
expect_eq "commune user's job" "$STATUS" 202
cjob=$(hdr Location)
poll commune "$cjob"
expect_eq "commune user's job done" "$(jqb .state)" done
expect_eq "commune user's job: owner" "$(jqb .user)" co
as station GET "$cjob"
expect_eq "another user's job is not found" "$STATUS" 404
as viewer GET "$cjob"
expect_eq "viewer: another user's job" "$STATUS" 404
as admin GET "$cjob"
expect_eq "admins see every job" "$STATUS" 200
BEARER= CSRF= req - GET "$cjob"
expect_eq "jobs need a login" "$STATUS" 401
as admin GET /api/v1/jobs/00000000-0000-4000-8000-000000000000
expect_eq "unknown job" "$STATUS" 404
as commune GET /api/v1/jobs
expect_eq "my jobs" "$(jqb '[.items[].id] | join(",")')" "${cjob##*/}"
as station GET /api/v1/jobs
expect_eq "no jobs of others in my list" "$(jqb .total)" 0
as admin GET /api/v1/jobs
expect_eq "admin's own jobs" "$(jqb .total)" 2
as admin GET "/api/v1/jobs?all=1"
expect_eq "admin: everyone's jobs" "$(jqb .total)" 3
as viewer POST "/api/v1/patrols/import?filename=x.gpx&async=1" "$(cat "$TMP/j4.gpx")" application/gpx+xml
expect_eq "a viewer gets no job" "$STATUS" 403

# ---- CSV imports as jobs: rows counted ----
{
    echo "ten,loai,ghi_chu"
    for i in $(seq 1 300); do echo "Nhà hảo tâm số $i,individual,\"dòng $i, có dấu phẩy\""; done
} >"$TMP/donors.csv"
ndon=$(q "SELECT count(*) FROM donor")
curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[admin]}" \
    -H 'Content-Type: text/csv' --data-binary @"$TMP/donors.csv" "$BASE/api/v1/donors/import?async=1" >"$TMP/st"
expect_eq "CSV import as a job" "$(cat "$TMP/st")" 202
poll admin "$(hdr Location)"
expect_eq "CSV job done" "$(jqb .state)" done
expect_eq "CSV job: rows total" "$(jqb .progress.rows.total)" 300
expect_eq "CSV job: rows done" "$(jqb .progress.rows.done)" 300
expect_eq "CSV job: result" "$(jqb .result.records)" 300
expect_eq "CSV job: donors stored" "$(q "SELECT count(*) FROM donor")" $((ndon + 300))
printf 'ma,ten\n\001\002,Đồn mới\n' >"$TMP/st.csv"
curl -s -o "$TMP/body" -D "$TMP/headers" -H "Authorization: Bearer ${TOKEN[admin]}" \
    -H 'Content-Type: text/csv' --data-binary @"$TMP/st.csv" "$BASE/api/v1/stations/import?async=1" >/dev/null
poll admin "$(hdr Location)"
expect_eq "registry CSV job: failed" "$(jqb .state)" failed
expect_eq "registry CSV job: 422" "$(jqb .result.status)" 422

# ---- campaign CSV: export, round trip, roles, bad rows ----
declare -A FIRST=([donors]=ten [donations]=nha_tai_tro [expenses]=so_chung_tu
    [roads]=ten [bamboo]=so_khom [lights]=ngay [events]=xa [awards]=nguoi_nhan)
for k in donors donations expenses roads bamboo lights events awards; do
    as admin GET "/api/v1/$k"
    want=$(jqb .total)
    as admin GET "/api/v1/$k.csv"
    expect_eq "$k.csv" "$STATUS" 200
    expect_eq "$k.csv: BOM" "$(head -c 3 "$TMP/body" | od -An -tx1 | tr -d ' ')" efbbbf
    expect_contains "$k.csv: type" "$(hdr Content-Type)" text/csv
    expect_contains "$k.csv: a file" "$(hdr Content-Disposition)" "$k.csv"
    expect_eq "$k.csv: first column" "$(head -1 "$TMP/body" | sed 's/^\xef\xbb\xbf//' | cut -d, -f1)" "${FIRST[$k]}"
    rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig"))) - 1)' "$TMP/body")
    expect_eq "$k.csv: one row per record" "$rows" "$want"
    [ "$want" -gt 0 ] || fail "$k: the demo has no records to export"
    cp "$TMP/body" "$TMP/$k.csv"
    # What is exported imports again, into the same records.
    curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[admin]}" \
        -H 'Content-Type: text/csv' --data-binary @"$TMP/$k.csv" "$BASE/api/v1/$k/import" >"$TMP/st"
    expect_eq "$k: re-import of the export" "$(cat "$TMP/st")" 200
    [ "$(cat "$TMP/st")" = 200 ] || echo "$k: $(cat "$TMP/body")" >&2
    expect_eq "$k: rows re-imported" "$(jqb .records)" "$want"
    as admin GET "/api/v1/$k"
    expect_eq "$k: same records after the round trip" "$(jqb .total)" "$want"
done
as viewer GET /api/v1/donations.csv
expect_eq "viewer: campaign CSV" "$STATUS" 403
as station GET /api/v1/donations.csv
expect_eq "station: campaign CSV" "$STATUS" 200
ndn=$(q "SELECT count(*) FROM donation")
printf 'nha_tai_tro,ngay,so_tien\nNhà hảo tâm số 1,2024-03-01,"12,5"\nKhông có ai,2024-03-02,100000\n' >"$TMP/bad.csv"
curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[admin]}" \
    -H 'Content-Type: text/csv' --data-binary @"$TMP/bad.csv" "$BASE/api/v1/donations/import" >"$TMP/st"
expect_eq "bad donation rows" "$(cat "$TMP/st")" 422
expect_eq "bad rows: row and field" "$(jqb '[.errors[] | "\(.row):\(.field)"] | join(" ")')" "2:so_tien 3:nha_tai_tro"
expect_eq "bad rows: nothing written" "$(q "SELECT count(*) FROM donation")" "$ndn"
as admin POST /api/v1/donations/import 'a,b' application/json
expect_eq "campaign import wants text/csv" "$STATUS" 415
as station POST /api/v1/donors/import "$(cat "$TMP/donors.csv")" text/csv
expect_eq "station user imports no donors" "$STATUS" 403
nev=$(q "SELECT count(*) FROM march3_event")
as commune POST /api/v1/events/import $'xa,nam,so_hoat_dong\n06043,2031,3\n' text/csv
expect_eq "commune user: events of the commune" "$STATUS" 200
expect_eq "commune user: event stored" "$(q "SELECT count(*) FROM march3_event")" $((nev + 1))
as commune POST /api/v1/events/import $'xa,nam,so_hoat_dong\n06043,2032,3\n06025,2032,4\n' text/csv
expect_eq "commune user: another commune's row" "$STATUS" 403
expect_eq "out of scope: row and field" "$(jqb '[.errors[] | "\(.row):\(.field)"] | join(" ")')" "3:xa"
expect_eq "out of scope: nothing written" "$(q "SELECT count(*) FROM march3_event")" $((nev + 1))

# ---- patrols, inspections, incidents as CSV ----
for k in patrols inspections incidents; do
    for role in admin commune; do
        as "$role" GET "/api/v1/$k?limit=1"
        want=$(jqb .total)
        as "$role" GET "/api/v1/$k.csv"
        expect_eq "$role $k.csv" "$STATUS" 200
        expect_eq "$role $k.csv: BOM" "$(head -c 3 "$TMP/body" | od -An -tx1 | tr -d ' ')" efbbbf
        rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig"))) - 1)' "$TMP/body")
        expect_eq "$role $k.csv: the rows the list has" "$rows" "$want"
    done
    as viewer GET "/api/v1/$k.csv"
    expect_eq "viewer $k.csv" "$STATUS" 403
done
as admin GET "/api/v1/patrols?from=2024-06-01&to=2024-06-01&limit=1"
want=$(jqb .total)
[ "$want" -ge 3 ] || fail "the jobs' patrols of 2024-06-01 are not listed: $want"
as admin GET "/api/v1/patrols.csv?from=2024-06-01&to=2024-06-01"
expect_eq "patrols.csv ?from=&to=" "$(($(wc -l <"$TMP/body") - 1))" "$want"
as admin GET "/api/v1/incidents.csv?status=nonsense"
expect_eq "incidents.csv bad status" "$STATUS" 400

# ---- the communes layer ----
as viewer GET /api/v1/layers/communes
expect_eq "communes layer" "$STATUS" 200
expect_contains "communes layer type" "$(hdr Content-Type)" geo+json
cp "$TMP/body" "$TMP/layer.json"
expect_eq "one feature per commune" "$(jq '.features | length' "$TMP/layer.json")" "$(q "SELECT count(*) FROM commune WHERE ended_on IS NULL")"
expect_eq "LineStrings" "$(jq -r '[.features[].geometry.type] | unique | join(",")' "$TMP/layer.json")" LineString
as admin GET "/api/v1/communes?q=06043"
f_km=$(jqb '.items[0].from.measure_m / 1000'); t_km=$(jqb '.items[0].to.measure_m / 1000')
name=$(jqb '.items[0].name')
jq '.features[] | select(.properties.code == "06043") | .properties' "$TMP/layer.json" >"$TMP/p.json"
expect_eq "commune's name" "$(jq -r .name "$TMP/p.json")" "$name"
expect_eq "commune's station" "$(jq -r .station "$TMP/p.json")" BN
expect_near "commune's from km" "$(jq .from_km "$TMP/p.json")" "$f_km" 0.0005
expect_near "commune's to km" "$(jq .to_km "$TMP/p.json")" "$t_km" 0.0005
BEARER= CSRF= req - GET /api/v1/layers/communes
expect_eq "communes layer needs a login" "$STATUS" 401

# ---- OpenAPI lists the new routes ----
req - GET /api/v1/openapi.json
jqb '.paths | to_entries[] | .key as $p | .value | keys[] | "\(ascii_upcase) \($p)"' >"$TMP/described"
for want in "GET /api/v1/jobs" "GET /api/v1/jobs/{id}" "GET /api/v1/layers/communes" \
    "GET /api/v1/donations.csv" "POST /api/v1/donations/import" "GET /api/v1/awards.csv" \
    "POST /api/v1/lights/import" "GET /api/v1/patrols.csv" "GET /api/v1/inspections.csv" \
    "GET /api/v1/incidents.csv"; do
    grep -qxF "$want" "$TMP/described" && ok || fail "route '$want' not described"
done
expect_eq "imports document 202" "$(jqb '.paths."/api/v1/patrols/import".post.responses."202" | type')" object

# ---- stopping with jobs: queued ones cancelled, nothing half imported ----
for h in 10 11 12 13 14 15; do gpx "$h" >"$TMP/big$h.gpx"; done
for h in 16 17; do gpx "$h" >"$TMP/late$h.gpx"; done
ntrk=$(q "SELECT count(*) FROM track")
up admin "?kind=station&async=1" "$TMP"/big1?.gpx
expect_eq "big job accepted" "$STATUS" 202
up admin "?kind=station&async=1" "$TMP"/late1?.gpx
expect_eq "second job accepted" "$STATUS" 202
stop_server
expect_eq "clean stop with jobs" "$SRV_RC" 0
big=$(q "SELECT count(*) FROM track WHERE file LIKE 'big%'")
late=$(q "SELECT count(*) FROM track WHERE file LIKE 'late%'")
case "$big" in 0 | 6) ok ;; *) fail "big job half imported: $big of 6 tracks" ;; esac
case "$late" in 0 | 2) ok ;; *) fail "second job half imported: $late of 2 tracks" ;; esac
expect_eq "tracks: whole jobs only" "$(q "SELECT count(*) FROM track")" $((ntrk + big + late))
if [ "$late" = 0 ]; then
    expect_contains "the queued job was cancelled" "$(cat "$TMP/serve.log")" "cancelled"
fi

# ---- --listen: IPv6 and bad addresses ----
expect_status "malformed --listen" 2 "$BP" --db "$DB" serve --listen '[::1:8080'
expect_contains "the option is named" "$(cat "$TMP/err")" "--listen"
expect_status "IPv4 host that is not one" 2 "$BP" --db "$DB" serve --listen 'nohost:8080'
expect_contains "IPv6 hint" "$(cat "$TMP/err")" "[::1]"
expect_status "bad port" 2 "$BP" --db "$DB" serve --listen '127.0.0.1:70000'
if [ -e /proc/net/if_inet6 ]; then
    for addr in "[::1]" "[::]"; do
        # A random port may be taken (by another test's server): try
        # another when the server exits, as start_server does.
        up6=
        for try in 1 2 3 4 5; do
            P6=$((20000 + RANDOM % 30000))
            "$BP" --db "$DB" serve --listen "$addr:$P6" >"$TMP/serve6.out" 2>"$TMP/serve6.log" &
            pid6=$!
            for i in $(seq 1 100); do
                if curl -s -g -o /dev/null "http://[::1]:$P6/api/v1/health"; then up6=1; break; fi
                kill -0 "$pid6" 2>/dev/null || break
                sleep 0.1
            done
            [ -n "$up6" ] && break
            kill "$pid6" 2>/dev/null
            wait "$pid6" 2>/dev/null
        done
        expect_eq "$addr: served over IPv6" "$up6" 1
        expect_contains "$addr: address printed" "$(cat "$TMP/serve6.out")" "$addr:$P6"
        v4=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P6/api/v1/health")
        if [ "$addr" = "[::]" ]; then
            expect_eq "[::]: IPv4 clients too" "$v4" 200
        else
            expect_eq "[::1]: not on IPv4" "$v4" 000
        fi
        kill -TERM "$pid6"
        wait "$pid6"
        expect_eq "$addr: clean stop" "$?" 0
    done
else
    echo "note: no IPv6 loopback here; IPv6 listening not tested" >&2
fi
finish
