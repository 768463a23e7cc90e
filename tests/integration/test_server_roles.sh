#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every role against the endpoints (issue 6), table-driven: admin sees and
# changes everything; station and commune users only their communes'
# records (another commune's record ids answer 404, as if absent); viewers
# get aggregates and maps, never a person's name, phone or ID number.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/server_lib.sh"

DB="$TMP/t.sqlite"
make_db "$DB"
q() { sqlite3 "$DB" "$1"; }
# Commune A (06043) is covered by station BN; commune B (06025) by PM.
cA=$(q "SELECT id FROM commune WHERE code = '06043'")
cB=$(q "SELECT id FROM commune WHERE code = '06025'")
sA=$(q "SELECT id FROM station WHERE code = 'BN'")
cuA=$(q "SELECT id FROM custodian WHERE commune = (SELECT rid FROM commune WHERE code = '06043') AND kind = 'household' LIMIT 1")
cuB=$(q "SELECT id FROM custodian WHERE commune = (SELECT rid FROM commune WHERE code = '06025') AND kind = 'household' LIMIT 1")
pA=$(q "SELECT p.id FROM pledge p JOIN custodian c ON c.rid = p.custodian WHERE c.id = '$cuA' LIMIT 1")
pB=$(q "SELECT p.id FROM pledge p JOIN custodian c ON c.rid = p.custodian WHERE c.id = '$cuB' LIMIT 1")
vB=$(q "SELECT v.id FROM village v WHERE v.commune = (SELECT rid FROM commune WHERE code = '06025') LIMIT 1")
for x in cA cB sA cuA cuB pA pB vB; do
    [ -n "${!x}" ] || { echo "fixture $x missing" >&2; exit 1; }
done

role_tokens "$DB"
start_server "$DB"

# row METHOD PATH BODY ADMIN STATION COMMUNE VIEWER: the wanted status of
# each role; "-" skips a role. Roles run viewer first, admin last, so an
# admin's change never decides another role's answer.
row() {
    local m=$1 p=$2 b=$3 role want
    local -A exp=([admin]=$4 [station]=$5 [commune]=$6 [viewer]=$7)
    for role in viewer commune station admin; do
        want=${exp[$role]}
        [ "$want" = - ] && continue
        if [ -n "$b" ]; then
            BEARER=${TOKEN[$role]} CSRF= req - "$m" "$p" "${b//ROLE/$role}"
        else
            BEARER=${TOKEN[$role]} CSRF= req - "$m" "$p"
        fi
        expect_eq "$role $m $p" "$STATUS" "$want"
        case "$STATUS" in
        4*) expect_eq "$role $m $p: problem" "$(jqb .status)" "$STATUS" ;;
        esac
    done
}

# aggregates, maps, reference records
row GET /api/v1/coverage "" 200 200 200 200
row GET "/api/v1/coverage/history?from=2019&to=2024" "" 200 200 200 200
row GET /api/v1/gaps "" 200 200 200 200
row GET /api/v1/overlaps "" 200 200 200 200
row GET /api/v1/layers/border "" 200 200 200 200
row GET /api/v1/layers/markers "" 200 200 200 200
row GET /api/v1/layers/pledges "" 200 200 200 200
row GET /api/v1/layers/gaps "" 200 200 200 200
row GET /api/v1/stations "" 200 200 200 200
row GET /api/v1/communes "" 200 200 200 200
row GET /api/v1/markers "" 200 200 200 200
row GET "/api/v1/communes/$cB" "" 200 200 200 200
row GET /api/v1/stations.csv "" 200 200 200 200
row GET /api/v1/gaps.csv "" 200 200 200 200
row GET /api/v1/session "" 200 200 200 200
# records with people
row GET /api/v1/villages "" 200 200 200 403
row GET /api/v1/custodians "" 200 200 200 403
row GET /api/v1/pledges "" 200 200 200 403
row GET "/api/v1/custodians/$cuA" "" 200 200 200 403
row GET "/api/v1/custodians/$cuB" "" 200 404 404 403
row GET "/api/v1/pledges/$pA" "" 200 200 200 403
row GET "/api/v1/pledges/$pB" "" 200 404 404 403
row GET "/api/v1/villages/$vB" "" 200 404 404 403
row GET /api/v1/custodians.csv "" 200 403 403 403
row GET /api/v1/pledges.csv "" 200 403 403 403
# changes
row PATCH "/api/v1/custodians/$cuA" '{"members":4}' 200 200 200 403
row PATCH "/api/v1/custodians/$cuB" '{"members":4}' 200 404 404 403
row POST "/api/v1/pledges/$pB/end" '{"ended_on":"2025-01-01"}' - 404 404 403
row POST /api/v1/villages "{\"name\":\"Bản ROLE\",\"commune_id\":\"$cA\"}" 201 201 201 403
row POST /api/v1/villages "{\"name\":\"Bản ROLE B\",\"commune_id\":\"$cB\"}" 201 403 403 403
row PATCH "/api/v1/custodians/$cuA" "{\"commune_id\":\"$cB\"}" - 403 403 403
row POST /api/v1/stations '{"code":"ROLE","name":"Đồn ROLE"}' 201 403 403 403
row PATCH "/api/v1/stations/$sA" '{"name":"Đồn Bình Nghi"}' 200 403 403 403
row PATCH "/api/v1/communes/$cA" '{"district":"Tràng Định"}' 200 403 403 403
row POST /api/v1/custodians/import "" - 403 403 403
row GET /api/v1/users "" 200 403 403 403
row POST /api/v1/users '{"name":"new-ROLE","role":"viewer"}' 201 403 403 403
row GET /api/v1/audit "" 200 403 403 403
row GET /api/v1/tokens "" 200 200 200 200

# Scoped lists hold exactly the user's communes' records.
BEARER=${TOKEN[commune]} req - GET "/api/v1/custodians?limit=1000"
expect_eq "commune user's custodians" "$(jqb .total)" \
    "$(q "SELECT count(*) FROM custodian WHERE commune = (SELECT rid FROM commune WHERE code = '06043') OR village IN (SELECT rid FROM village WHERE commune = (SELECT rid FROM commune WHERE code = '06043'))")"
expect_eq "commune user sees phones of its households" \
    "$(jqb '[.items[] | has("phone")] | all')" true
BEARER=${TOKEN[station]} req - GET "/api/v1/pledges?limit=1000"
expect_eq "station user's pledges" "$(jqb .total)" \
    "$(q "SELECT count(*) FROM pledge p JOIN custodian c ON c.rid = p.custodian JOIN commune m ON m.rid = c.commune JOIN station s ON s.rid = m.station WHERE s.code = 'BN'")"
BEARER=${TOKEN[station]} req - GET "/api/v1/custodians?commune=06025"
expect_eq "station user filtering another commune" "$(jqb .total)" 0
# The scope is in the list's query (issue 6): guessing another commune's
# ids or names in the filters finds nothing; the pages of a scoped list
# hold exactly its records, each once.
nameB=$(q "SELECT name FROM custodian WHERE id = '$cuB'")
for role in station commune; do
    for p in "pledges?custodian=$cuB" "custodians?village=$vB" \
        "villages?commune=$cB" "pledges?commune=$cB" \
        "custodians?q=$(jq -rn --arg s "$nameB" '$s|@uri')&commune=$cB" \
        "custodians?station=PM"; do
        BEARER=${TOKEN[$role]} req - GET "/api/v1/$p"
        expect_eq "$role lists /$p" "$STATUS" 200
        expect_eq "$role finds nothing of B in /$p" "$(jqb .total)" 0
    done
    BEARER=${TOKEN[$role]} req - GET "/api/v1/custodians?q=$(jq -rn --arg s "$nameB" '$s|@uri')&limit=1000"
    expect_eq "$role search does not reach B's custodian" \
        "$(jqb "[.items[].id] | index(\"$cuB\")")" null
done
BEARER=${TOKEN[admin]} req - GET "/api/v1/pledges?custodian=$cuB"
[ "$(jqb .total)" -gt 0 ] && ok || fail "admin sees B's pledges by custodian"
BEARER=${TOKEN[commune]} req - GET "/api/v1/pledges?custodian=$cuA"
expect_eq "commune user's own custodian's pledges" "$(jqb .total)" \
    "$(q "SELECT count(*) FROM pledge WHERE custodian = (SELECT rid FROM custodian WHERE id = '$cuA')")"
want=$(q "SELECT c.id FROM custodian c JOIN commune m ON m.rid = coalesce(c.commune, (SELECT commune FROM village WHERE rid = c.village)) JOIN station s ON s.rid = m.station WHERE s.code = 'BN' ORDER BY c.name_fold, c.name, c.rid" | md5sum)
cursor=
: >"$TMP/walked"
for i in $(seq 1 100); do
    BEARER=${TOKEN[station]} req - GET "/api/v1/custodians?limit=7${cursor:+&cursor=$cursor}"
    jqb '.items[].id' >>"$TMP/walked"
    cursor=$(jqb .next_cursor)
    [ "$cursor" = null ] && break
done
expect_eq "station user's pages: its custodians once each, in order" \
    "$(md5sum <"$TMP/walked")" "$want"
# Reference lists read the same for every role, without personal fields.
BEARER=${TOKEN[viewer]} req - GET "/api/v1/communes?station=BN&limit=1000"
expect_eq "viewer lists communes of a station" "$(jqb .total)" \
    "$(q "SELECT count(*) FROM commune WHERE station = (SELECT rid FROM station WHERE code = 'BN')")"
# Viewers: no person anywhere they can reach.
BEARER=${TOKEN[viewer]} req - GET "/api/v1/layers/pledges"
expect_eq "viewer map has no names" \
    "$(jqb '[.features[].properties | (has("name") or has("phone") or has("citizen_id"))] | any')" false
name=$(q "SELECT name FROM custodian WHERE kind = 'household' LIMIT 1")
for p in /api/v1/coverage /api/v1/gaps /api/v1/overlaps /api/v1/layers/pledges /api/v1/layers/gaps; do
    BEARER=${TOKEN[viewer]} req - GET "$p"
    case "$BODY" in
    *"$name"*) fail "viewer sees a household name in $p" ;;
    *) ok ;;
    esac
done
# The out-of-scope attempts changed nothing.
expect_eq "cuB untouched by others" \
    "$(q "SELECT members FROM custodian WHERE id = '$cuB'")" 4
expect_eq "pB not ended by others" \
    "$(q "SELECT ended_on IS NULL FROM pledge WHERE id = '$pB'")" 1
expect_eq "no village in B by scoped users" \
    "$(q "SELECT count(*) FROM village WHERE name IN ('Bản station B', 'Bản commune B')")" 0
# Every change is in the audit log, with its user.
expect_eq "audit of station user's patch" \
    "$(q "SELECT count(*) FROM audit WHERE user_name = 'st' AND action = 'update' AND record_id = '$cuA'")" 1
stop_server
expect_eq "clean stop" "$SRV_RC" 0
finish
