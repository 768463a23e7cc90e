#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The patrol endpoints and the review report over HTTP (issues 4, 6, 8):
# every role against each, GPS uploads all or nothing (a bad GPX answers
# 422 naming the file and the point, and nothing is stored), patrols,
# approval, tracks out, verification, overdue, inspections, incidents with
# their history, the walked and incident layers, and the report's files.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/server_lib.sh"

DB="$TMP/t.sqlite"
make_db "$DB"
q() { sqlite3 "$DB" "$1"; }
# Commune A (06043) is covered by station BN; commune B (06025) by PM.
CC="WITH cc AS (SELECT rid, COALESCE(commune, (SELECT commune FROM village v WHERE v.rid = c.village)) AS commune FROM custodian c)"
rA="(SELECT rid FROM commune WHERE code = '06043')"
rB="(SELECT rid FROM commune WHERE code = '06025')"
cuA=$(q "$CC SELECT c.id FROM custodian c JOIN cc ON cc.rid = c.rid WHERE cc.commune = $rA LIMIT 1")
cuB=$(q "$CC SELECT c.id FROM custodian c JOIN cc ON cc.rid = c.rid WHERE cc.commune = $rB LIMIT 1")
pA=$(q "$CC SELECT p.id FROM patrol p WHERE EXISTS (SELECT 1 FROM patrol_member m JOIN cc ON cc.rid = m.custodian WHERE m.patrol = p.rid AND cc.commune = $rA) LIMIT 1")
pB=$(q "$CC SELECT p.id FROM patrol p WHERE EXISTS (SELECT 1 FROM patrol_member m WHERE m.patrol = p.rid) AND NOT EXISTS (SELECT 1 FROM patrol_member m JOIN cc ON cc.rid = m.custodian WHERE m.patrol = p.rid AND cc.commune <> $rB) LIMIT 1")
for x in cuA cuB pA pB; do
    [ -n "${!x}" ] || { echo "fixture $x missing" >&2; exit 1; }
done

role_tokens "$DB"
start_server "$DB"
as() { local role=$1; shift; BEARER=${TOKEN[$role]} CSRF= req - "$@"; }

# Markers and incidents inside each commune's stretch, from the API.
as admin GET "/api/v1/communes?q=06043"
a0=$(jqb '.items[0].from.measure_m'); a1=$(jqb '.items[0].to.measure_m')
as admin GET "/api/v1/communes?q=06025"
b0=$(jqb '.items[0].from.measure_m'); b1=$(jqb '.items[0].to.measure_m')
as admin GET "/api/v1/markers?limit=1000"
mA=$(jqb "[.items[] | select(.measure_m > $a0 + 1 and .measure_m < $a1 - 1 and .ended_on == null)][0].number")
mB=$(jqb "[.items[] | select(.measure_m > $b0 + 1 and .measure_m < $b1 - 1 and .ended_on == null)][0].number")
as admin GET "/api/v1/incidents?limit=1000"
iB=$(jqb "[.items[] | select(.measure_m > $b0 and .measure_m < $b1 and .reporter_custodian == null)][0].id")
for x in mA mB iB; do
    [ -n "${!x}" ] && [ "${!x}" != null ] || { echo "fixture $x missing" >&2; exit 1; }
done

# row METHOD PATH BODY ADMIN STATION COMMUNE VIEWER ("-" skips a role).
row() {
    local m=$1 p=$2 b=$3 role want
    local -A exp=([admin]=$4 [station]=$5 [commune]=$6 [viewer]=$7)
    for role in viewer commune station admin; do
        want=${exp[$role]}
        [ "$want" = - ] && continue
        if [ -n "$b" ]; then as "$role" "$m" "$p" "$b"; else as "$role" "$m" "$p"; fi
        expect_eq "$role $m $p" "$STATUS" "$want"
        case "$STATUS" in
        4*) expect_eq "$role $m $p: problem" "$(jqb .status)" "$STATUS" ;;
        esac
    done
}

naudit=$(q "SELECT count(*) FROM audit")
nevB=$(q "SELECT count(*) FROM incident_event e JOIN incident i ON i.rid = e.incident WHERE i.id = '$iB'")

# ---- every role against each endpoint ----
row GET /api/v1/patrols "" 200 200 200 403
row GET "/api/v1/patrols/$pA" "" 200 200 200 403
row GET "/api/v1/patrols/$pB" "" 200 404 404 403
row GET "/api/v1/patrols/$pB/track.geojson" "" 200 404 404 403
row GET "/api/v1/patrols/$pB/track.gpx" "" 200 404 404 403
row POST "/api/v1/patrols/$pB/approve" "" - 404 404 403
row GET /api/v1/patrols/00000000-0000-4000-8000-000000000000 "" 404 404 404 403
row GET "/api/v1/verify?by=commune" "" 200 200 200 200
row GET "/api/v1/verify?by=station" "" 200 200 200 200
row GET "/api/v1/verify?by=pledge" "" 200 200 200 403
row GET "/api/v1/verify?by=custodian" "" 200 200 200 403
row GET "/api/v1/verify?by=nobody" "" 400 400 400 400
row GET "/api/v1/overdue?days=30" "" 200 200 200 200
row GET "/api/v1/overdue?days=-1" "" 400 400 400 400
row GET /api/v1/inspections "" 200 200 200 403
row GET /api/v1/incidents "" 200 200 200 403
row GET "/api/v1/incidents/$iB" "" 200 404 404 403
row PATCH "/api/v1/incidents/$iB" '{"status":"in_progress","note":"ROLE"}' - 404 404 403
row GET /api/v1/layers/walked "" 200 200 200 200
row GET /api/v1/layers/incidents "" 200 200 200 200
row GET "/api/v1/reports/review?from=2023-01-01&to=2023-12-31&format=json" "" 200 200 200 200
row GET "/api/v1/reports/review?from=2023-01-01&to=2023-12-31&format=json&commune=06043" "" 200 200 200 200
row GET "/api/v1/reports/review?from=2023-01-01&to=2023-12-31&format=json&commune=06025" "" 200 404 404 200
row GET "/api/v1/reports/review?from=2023-01-01&to=2023-12-31&format=json&station=BN" "" 200 200 403 200
row POST /api/v1/inspections "{\"marker\":\"$mB\",\"date\":\"2024-05-01\"}" - 403 403 403
row POST /api/v1/patrols "{\"date\":\"2024-05-01\",\"participants\":[\"$cuB\"]}" - 403 403 403
expect_eq "nothing written by the refused requests" \
    "$(q "SELECT count(*) FROM audit")" "$naudit"
expect_eq "iB's history untouched" \
    "$(q "SELECT count(*) FROM incident_event e JOIN incident i ON i.rid = e.incident WHERE i.id = '$iB'")" "$nevB"

# ---- scoped lists hold exactly the user's communes' patrols ----
want=$(q "$CC SELECT count(*) FROM patrol p WHERE EXISTS (SELECT 1 FROM patrol_member m JOIN cc ON cc.rid = m.custodian WHERE m.patrol = p.rid AND cc.commune IN (SELECT c.rid FROM commune c JOIN station s ON s.rid = c.station WHERE s.code = 'BN')) OR (NOT EXISTS (SELECT 1 FROM patrol_member m WHERE m.patrol = p.rid) AND p.station = (SELECT rid FROM station WHERE code = 'BN'))")
as station GET "/api/v1/patrols?limit=1"
expect_eq "station user's patrols" "$(jqb .total)" "$want"
as admin GET "/api/v1/patrols?limit=1"
expect_eq "admin's patrols" "$(jqb .total)" "$(q "SELECT count(*) FROM patrol")"
as admin GET "/api/v1/patrols?from=2023-01-01&to=2023-12-31&limit=1000"
expect_eq "patrols in 2023" "$(jqb .total)" \
    "$(q "SELECT count(*) FROM patrol WHERE day BETWEEN (julianday('2023-01-01') - 2440587.5) AND (julianday('2023-12-31') - 2440587.5)")"
expect_eq "2023 patrols all in 2023" "$(jqb '[.items[].date | startswith("2023")] | all')" true
as admin GET "/api/v1/patrols?station=NOPE"
expect_eq "unknown station filter" "$STATUS" 400

# ---- viewers: aggregates and maps, no person ----
name=$(q "SELECT name FROM custodian WHERE kind = 'household' LIMIT 1")
for p in "/api/v1/verify?by=commune" "/api/v1/overdue" /api/v1/layers/walked /api/v1/layers/incidents; do
    as viewer GET "$p"
    case "$BODY" in
    *"$name"* | *custodian*) fail "viewer sees a person in $p" ;;
    *) ok ;;
    esac
done
as viewer GET /api/v1/layers/incidents
expect_eq "viewer's incident map has no descriptions" \
    "$(jqb '[.features[].properties | has("description")] | any')" false
expect_eq "viewer's incident map has every placed incident" \
    "$(jqb '.features | length')" "$(q "SELECT count(*) FROM incident")"
as viewer GET "/api/v1/overdue?days=30"
v_m=$(jqb .overdue_m)
as admin GET "/api/v1/overdue?days=30"
expect_near "viewer's overdue km = admin's" "$v_m" "$(jqb .overdue_m)" 0.01
expect_near "overdue_m is the sum of the stretches" "$(jqb .overdue_m)" \
    "$(jqb '[.stretches[].length_m] | add // 0')" 0.01

# ---- verification figures agree with the CLI ----
as admin GET "/api/v1/verify?from=2019-01-01&to=2024-12-31&by=commune"
"$BP" --db "$DB" --json verify --from 2019-01-01 --to 2024-12-31 --by commune >"$TMP/cli.json"
expect_near "verify walked = CLI's" "$(jqb .walked_m)" "$(jq .walked_m "$TMP/cli.json")" 0.001
expect_eq "verify rows = CLI's" "$(jqb '.rows | length')" "$(jq '.rows | length' "$TMP/cli.json")"

# ---- uploads ----
as admin GET /api/v1/layers/border
jqb '.features[0].geometry.coordinates[100:110][] | "\(.[0]) \(.[1])"' >"$TMP/pts"
gpx() { # gpx MINUTE_OFFSET [EXTRA_POINT]: a track along the line
    local i=0 lo la
    echo '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
    while read -r lo la; do
        printf '<trkpt lat="%s" lon="%s"><time>2024-05-01T08:%02d:00Z</time></trkpt>\n' "$la" "$lo" $((i + $1))
        i=$((i + 1))
    done <"$TMP/pts"
    [ -n "${2-}" ] && echo "$2"
    echo '</trkseg></trk></gpx>'
}
gpx 0 >"$TMP/good.gpx"
gpx 20 >"$TMP/good2.gpx"
gpx 30 '<trkpt lat="95.5" lon="106.6"></trkpt>' >"$TMP/bad.gpx"
npat=$(q "SELECT count(*) FROM patrol"); ntrk=$(q "SELECT count(*) FROM track")
up() { # up ROLE URL-QUERY FILES...: multipart upload
    local role=$1 qs=$2 f args=()
    shift 2
    for f in "$@"; do args+=(-F "file=@$f"); done
    STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' \
        -H "Authorization: Bearer ${TOKEN[$role]}" "${args[@]}" \
        "$BASE/api/v1/patrols/import$qs")
    BODY=$(cat "$TMP/body")
}
up admin "?kind=station" "$TMP/good.gpx" "$TMP/bad.gpx"
expect_eq "bad GPX among good" "$STATUS" 422
expect_eq "bad GPX: problem" "$(jqb .status)" 422
expect_eq "bad GPX: the file named" "$(jqb '.errors[0].file')" bad.gpx
expect_contains "bad GPX: the point named" "$(jqb '.errors[0].detail')" "trkpt 11"
expect_contains "bad GPX: the file in the detail" "$(jqb '.errors[0].detail')" "bad.gpx"
expect_eq "bad GPX: only the bad file reported" "$(jqb '.errors | length')" 1
expect_eq "bad GPX: no patrol stored" "$(q "SELECT count(*) FROM patrol")" "$npat"
expect_eq "bad GPX: no track stored" "$(q "SELECT count(*) FROM track")" "$ntrk"
printf '<gpx><trk>' >"$TMP/mal.gpx"
as admin POST "/api/v1/patrols/import?filename=mal.gpx" "$(cat "$TMP/mal.gpx")" application/gpx+xml
expect_eq "malformed XML" "$STATUS" 422
expect_contains "malformed XML: line named" "$(jqb '.errors[0].detail')" "line 1"
as admin POST /api/v1/patrols/import "$(cat "$TMP/good.gpx")" application/gpx+xml
expect_eq "raw upload without filename" "$STATUS" 400
as admin POST "/api/v1/patrols/import?filename=e.gpx" "" application/gpx+xml
expect_eq "empty upload" "$STATUS" 422
up commune "?participants=$cuB" "$TMP/good.gpx"
expect_eq "commune user with another commune's participant" "$STATUS" 403
up commune "?participants=00000000-0000-4000-8000-000000000000" "$TMP/good.gpx"
expect_eq "unknown participant" "$STATUS" 422
expect_eq "refused uploads stored nothing" "$(q "SELECT count(*) FROM track")" "$ntrk"
up viewer "" "$TMP/good.gpx"
expect_eq "viewer upload" "$STATUS" 403

up commune "?kind=joint&participants=$cuA" "$TMP/good.gpx" "$TMP/good2.gpx"
expect_eq "good upload" "$STATUS" 201
expect_eq "two files imported" "$(jqb .imported)" 2
expect_eq "fixes read" "$(jqb '.files[0].fixes_read')" "$(wc -l <"$TMP/pts")"
expect_eq "patrols stored" "$(q "SELECT count(*) FROM patrol")" $((npat + 2))
expect_eq "tracks stored" "$(q "SELECT count(*) FROM track")" $((ntrk + 2))
newp=$(jqb '.files[0].patrol_id')
walked=$(jqb '.files[0].walked_m')
expect_eq "participant stored" \
    "$(q "SELECT count(*) FROM patrol_member m JOIN patrol p ON p.rid = m.patrol JOIN custodian c ON c.rid = m.custodian WHERE p.id = '$newp' AND c.id = '$cuA'")" 1
expect_eq "audit of the upload" \
    "$(q "SELECT count(*) FROM audit WHERE user_name = 'co' AND action = 'import' AND kind = 'tracks'")" 2
up commune "?kind=joint&participants=$cuA" "$TMP/good.gpx"
expect_eq "same file again" "$STATUS" 200
expect_eq "same file again: duplicate" "$(jqb '.files[0].duplicate')" true
expect_eq "same file again: nothing new" "$(q "SELECT count(*) FROM track")" $((ntrk + 2))

# the imported patrol: tracks, walked stretches, flags
as commune GET "/api/v1/patrols/$newp"
expect_eq "get imported patrol" "$STATUS" 200
expect_eq "its date" "$(jqb .date)" 2024-05-01
expect_eq "its tracks" "$(jqb '.track_list | length')" 1
expect_near "walked stretches add up" "$(jqb '[.walked[].length_m] | add')" "$walked" 0.01
as station GET "/api/v1/patrols/$newp"
expect_eq "station user sees its commune's new patrol" "$STATUS" 200
as commune GET "/api/v1/patrols/$newp/track.gpx"
expect_eq "track.gpx" "$STATUS" 200
expect_contains "track.gpx type" "$(grep -i '^content-type' "$TMP/headers")" "application/gpx+xml"
expect_eq "track.gpx points" "$(grep -o '<trkpt' "$TMP/body" | wc -l)" "$(wc -l <"$TMP/pts")"
as commune GET "/api/v1/patrols/$newp/track.geojson"
expect_eq "track.geojson points" "$(jqb '.features[0].geometry.coordinates | length')" "$(wc -l <"$TMP/pts")"
expect_eq "track.geojson times" "$(jqb '.features[0].properties.coordTimes[0]')" 2024-05-01T08:00:00Z
as commune POST "/api/v1/patrols/$newp/approve"
expect_eq "approve" "$STATUS" 200
expect_eq "approve audited" \
    "$(q "SELECT count(*) FROM audit WHERE action = 'approve' AND record_id = '$newp'")" 1
as admin GET "/api/v1/layers/walked?from=2024-05-01&to=2024-05-01"
expect_eq "walked layer holds the new patrol" \
    "$(jqb "[.features[].properties | select(.patrol_id == \"$newp\")] | length > 0")" true

# ---- patrols from JSON ----
as admin POST /api/v1/patrols "{\"date\":\"2024-06-02\",\"kind\":\"bilateral\",\"participants\":[\"$cuA\"],\"leader\":\"Đại uý A\"}"
expect_eq "create patrol" "$STATUS" 201
expect_eq "created kind" "$(jqb .kind)" bilateral
expect_contains "location" "$(grep -i '^location' "$TMP/headers")" "/api/v1/patrols/$(jqb .id)"
as admin POST /api/v1/patrols '{"date":"31/02/2024"}'
expect_eq "bad date" "$STATUS" 422
expect_eq "bad date: field" "$(jqb '.errors[0].field')" date
as admin POST /api/v1/patrols '{"date":"2024-06-02","colour":"red"}'
expect_eq "unknown field" "$STATUS" 422
expect_eq "unknown field named" "$(jqb '.errors[0].field')" colour
as admin POST /api/v1/patrols '{"kind":"station"}'
expect_eq "no date" "$STATUS" 422

# ---- inspections ----
as commune POST /api/v1/inspections "{\"marker\":\"$mA\",\"date\":\"2024-05-02\",\"condition\":\"tilted\",\"inspectors\":\"Tổ 1\"}"
expect_eq "inspection in own commune" "$STATUS" 201
expect_eq "inspection condition" "$(jqb .condition_vi)" "nghiêng"
as commune POST /api/v1/inspections "{\"marker\":\"$mA\",\"date\":\"2024-05-02\",\"lon\":0.5,\"lat\":0.5}"
expect_eq "far fix kept" "$STATUS" 201
expect_eq "far fix flagged" "$(jqb .far)" true
as admin POST /api/v1/inspections '{"marker":"99999","date":"2024-05-02"}'
expect_eq "unknown marker" "$STATUS" 422
as admin POST /api/v1/inspections "{\"marker\":\"$mA\",\"date\":\"2024-05-02\",\"condition\":\"melted\"}"
expect_eq "bad condition" "$STATUS" 422
as commune GET "/api/v1/inspections?marker=$mA&limit=1000"
expect_eq "inspections of the marker" "$(jqb '[.items[] | select(.date == "2024-05-02")] | length')" 2

# ---- incidents ----
as commune POST /api/v1/incidents "{\"kind\":\"smuggling\",\"marker\":\"$mA\",\"offset_m\":10,\"severity\":3,\"description\":\"Hàng lậu\"}"
expect_eq "incident in own commune" "$STATUS" 201
inc=$(jqb .id)
expect_eq "incident starts new" "$(jqb .status)" new
as commune POST /api/v1/incidents "{\"kind\":\"fire\",\"marker\":\"$mB\"}"
expect_eq "incident in another commune" "$STATUS" 403
as admin POST /api/v1/incidents '{"kind":"fire","severity":9,"lon":106,"lat":22}'
expect_eq "bad severity" "$STATUS" 422
expect_eq "bad severity: field" "$(jqb '.errors[0].field')" severity
as admin POST /api/v1/incidents '{"kind":"fire"}'
expect_eq "no place" "$STATUS" 422
as commune PATCH "/api/v1/incidents/$inc" '{"status":"resolved","note":"Đã bắt giữ","resolution":"Chuyển công an"}'
expect_eq "resolve" "$STATUS" 200
expect_eq "history kept" "$(jqb '[.history[].status] | join(",")')" new,resolved
expect_eq "resolution" "$(jqb .resolution)" "Chuyển công an"
as commune PATCH "/api/v1/incidents/$inc" '{"status":"gone"}'
expect_eq "bad status" "$STATUS" 422
as station GET "/api/v1/incidents/$inc"
expect_eq "station user sees it" "$STATUS" 200
expect_eq "incident changes audited" \
    "$(q "SELECT count(*) FROM audit WHERE kind = 'incidents' AND record_id = '$inc'")" 2
expect_eq "audit holds before and after" \
    "$(q "SELECT json_extract(before, '\$.status') || '>' || json_extract(after, '\$.status') FROM audit WHERE kind = 'incidents' AND action = 'update' AND record_id = '$inc'")" "new>resolved"

# ---- the review report ----
R="/api/v1/reports/review?from=2019-03-03&to=2024-03-03"
as viewer GET "$R&format=json"
expect_contains "report json type" "$(grep -i '^content-type' "$TMP/headers")" application/json
expect_contains "report file name" "$(grep -i '^content-disposition' "$TMP/headers")" 'bao-cao-so-ket-2019-03-03-2024-03-03.json'
cp "$TMP/body" "$TMP/r1.json"
"$BP" --db "$DB" report review --from 2019-03-03 --to 2024-03-03 --format json --out "$TMP/cli-report.json"
expect_eq "report's headline = CLI's" "$(jq -c .headline "$TMP/r1.json")" "$(jq -c .headline "$TMP/cli-report.json")"
as viewer GET "$R&format=pdf"
expect_eq "report pdf" "$(head -c 5 "$TMP/body")" "%PDF-"
expect_contains "report pdf type" "$(grep -i '^content-type' "$TMP/headers")" application/pdf
as viewer GET "$R&format=html&lang=en"
expect_contains "report html type" "$(grep -i '^content-type' "$TMP/headers")" text/html
expect_contains "report html" "$BODY" "<html"
as viewer GET "$R&format=csv"
expect_contains "report csv type" "$(grep -i '^content-type' "$TMP/headers")" text/csv
as viewer GET "$R&format=docx"
expect_eq "bad format" "$STATUS" 400
as viewer GET "/api/v1/reports/review?from=2024-01-01&to=2023-01-01"
expect_eq "from after to" "$STATUS" 400
as viewer GET "/api/v1/reports/review?to=2023-01-01"
expect_eq "no from" "$STATUS" 400
as admin GET "$R&format=json&commune=99999"
expect_eq "unknown commune" "$STATUS" 404

# ---- the OpenAPI description lists the new routes ----
req - GET /api/v1/openapi.json
jqb '.paths | to_entries[] | .key as $p | .value | keys[] | "\(ascii_upcase) \($p)"' >"$TMP/described"
for want in "GET /api/v1/patrols" "POST /api/v1/patrols" "POST /api/v1/patrols/import" \
    "GET /api/v1/patrols/{id}" "POST /api/v1/patrols/{id}/approve" \
    "GET /api/v1/patrols/{id}/track.geojson" "GET /api/v1/patrols/{id}/track.gpx" \
    "GET /api/v1/verify" "GET /api/v1/overdue" "GET /api/v1/inspections" \
    "POST /api/v1/inspections" "GET /api/v1/incidents" "POST /api/v1/incidents" \
    "GET /api/v1/incidents/{id}" "PATCH /api/v1/incidents/{id}" \
    "GET /api/v1/layers/walked" "GET /api/v1/layers/incidents" "GET /api/v1/reports/review"; do
    grep -qxF "$want" "$TMP/described" && ok || fail "route '$want' not described"
done

stop_server
expect_eq "clean stop" "$SRV_RC" 0
finish
