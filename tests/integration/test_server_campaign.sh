#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The campaign over HTTP (issues 5 and 6): every campaign endpoint, every
# role against each (table-driven), money as JSON integers with the bad
# amounts answered 422 naming the field and nothing stored, the ledger and
# its public view, road progress, checks, layers and award suggestions.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/server_lib.sh"

DB="$TMP/t.sqlite"
make_db "$DB"
q() { sqlite3 "$DB" "$1"; }
cA=$(q "SELECT id FROM commune WHERE code = '06043'")
cB=$(q "SELECT id FROM commune WHERE code = '06025'")
for x in cA cB; do
    [ -n "${!x}" ] || { echo "fixture $x missing" >&2; exit 1; }
done
role_tokens "$DB"
start_server "$DB"

# as ROLE METHOD PATH [BODY]
as() {
    local role=$1
    shift
    BEARER=${TOKEN[$role]} CSRF= req - "$@"
}

# row METHOD PATH BODY ADMIN STATION COMMUNE VIEWER ("-" skips a role).
row() {
    local m=$1 p=$2 b=$3 role want
    local -A exp=([admin]=$4 [station]=$5 [commune]=$6 [viewer]=$7)
    for role in viewer commune station admin; do
        want=${exp[$role]}
        [ "$want" = - ] && continue
        if [ -n "$b" ]; then
            as "$role" "$m" "$p" "${b//ROLE/$role}"
        else
            as "$role" "$m" "$p"
        fi
        expect_eq "$role $m $p" "$STATUS" "$want"
        case "$STATUS" in
        4*) expect_eq "$role $m $p: problem" "$(jqb .status)" "$STATUS" ;;
        esac
    done
}

# ---- a campaign of our own, made by the admin ----
as admin POST /api/v1/campaigns '{"name":"Đợt thử HTTP","starts_on":"2024-01-01","goal_vnd":5000000,"labour_day_vnd":200000}'
expect_eq "campaign create" "$STATUS" 201
C=$(jqb .id)
expect_eq "goal is an integer" "$(jqb '.goal_vnd|type')" number
as admin POST /api/v1/donors '{"kind":"enterprise","name":"Công ty Thử HTTP"}'
expect_eq "donor create" "$STATUS" 201
D=$(jqb .id)
as admin POST /api/v1/donors '{"kind":"individual","name":"Bà Ẩn Danh","anonymous":true}'
expect_eq "anonymous donor create" "$STATUS" 201
DA=$(jqb .id)

don() { # STATUS-WANT BODY-EXTRA: a donation of donor D in campaign C
    as admin POST /api/v1/donations "{\"campaign_id\":\"$C\",\"donor_id\":\"$D\",$1}"
}
don '"status":"promised","amount_vnd":1000000,"date":"2024-01-02","note":"CK-1"'
expect_eq "promise" "$STATUS" 201
P=$(jqb .id)
don "\"status\":\"received\",\"amount_vnd\":400000,\"date\":\"2024-01-03\",\"receipt_no\":\"PT-1\",\"fulfils_id\":\"$P\""
expect_eq "receipt in part" "$STATUS" 201
as admin POST /api/v1/donations "{\"campaign_id\":\"$C\",\"donor_id\":\"$DA\",\"status\":\"received\",\"amount_vnd\":250000,\"date\":\"2024-01-04\",\"receipt_no\":\"PT-2\"}"
expect_eq "anonymous receipt" "$STATUS" 201
RA=$(jqb .id)

count() { as admin GET "/api/v1/$1"; jqb .total; }
n0=$(count donations)
ne0=$(count expenses)

# ---- pages: limit and next_cursor walk every donation once, in order ----
as admin GET "/api/v1/donations"
all=$(jqb '[.items[].id] | join(",")')
expect_eq "whole list: next_cursor null" "$(jqb .next_cursor)" null
walked="" cur=""
for _ in $(seq 1 $((n0 + 1))); do
    as admin GET "/api/v1/donations?limit=2${cur:+&cursor=$cur}"
    expect_eq "page: status" "$STATUS" 200
    expect_eq "page: total" "$(jqb .total)" "$n0"
    walked="$walked${walked:+,}$(jqb '[.items[].id] | join(",")')"
    cur=$(jqb '.next_cursor // empty')
    [ -n "$cur" ] || break
done
expect_eq "pages of 2 hold the whole list in order" "$walked" "$all"
as admin GET "/api/v1/donations?limit=0"
expect_eq "limit 0: 400" "$STATUS" 400
expect_contains "limit 0: names the field" "$(cat "$TMP/body")" '"limit"'
as admin GET "/api/v1/donations?cursor=x"
expect_eq "bad cursor: 400" "$STATUS" 400

# ---- bad amounts: 422 naming the field, nothing stored ----
bad() { # WHAT FIELD BODY-EXTRA
    don "$3"
    expect_eq "$1: status" "$STATUS" 422
    expect_eq "$1: field" "$(jqb '.errors[0].field')" "$2"
    expect_eq "$1: problem type" "$(jqb '.status')" 422
}
bad "negative đồng" amount_vnd '"status":"received","amount_vnd":-5000,"date":"2024-01-05","receipt_no":"X1"'
bad "fractional đồng" amount_vnd '"status":"received","amount_vnd":12.5,"date":"2024-01-05","receipt_no":"X2"'
bad "float đồng" amount_vnd '"status":"received","amount_vnd":1000.0,"date":"2024-01-05","receipt_no":"X3"'
bad "string đồng" amount_vnd '"status":"received","amount_vnd":"1000","date":"2024-01-05","receipt_no":"X4"'
bad "beyond int64" amount_vnd '"status":"received","amount_vnd":9223372036854775808,"date":"2024-01-05","receipt_no":"X5"'
bad "receipt beyond its promise" amount_vnd "\"status\":\"received\",\"amount_vnd\":700000,\"date\":\"2024-01-05\",\"receipt_no\":\"X6\",\"fulfils_id\":\"$P\""
expect_contains "receipt beyond: says promise" "$(jqb .detail)$(jqb '.errors[0].detail')" "promise"
bad "bad date" date '"status":"received","amount_vnd":1000,"date":"31/02/2024","receipt_no":"X7"'
bad "unknown field" colour '"status":"received","amount_vnd":1000,"date":"2024-01-05","colour":"red"'
expect_eq "bad donations: nothing stored" "$(count donations)" "$n0"

# Cash received is 650.000 đ: 650.001 spent is beyond the balance.
as admin POST /api/v1/expenses "{\"campaign_id\":\"$C\",\"doc_no\":\"C-1\",\"date\":\"2024-01-06\",\"amount_vnd\":650001}"
expect_eq "spending beyond the balance" "$STATUS" 422
expect_contains "spending beyond: detail" "$BODY" "balance"
as admin POST /api/v1/expenses "{\"campaign_id\":\"$C\",\"doc_no\":\"C-2\",\"date\":\"2024-01-06\",\"amount_vnd\":-1}"
expect_eq "negative expense" "$STATUS" 422
expect_eq "negative expense: field" "$(jqb '.errors[0].field')" amount_vnd
expect_eq "bad expenses: nothing stored" "$(count expenses)" "$ne0"
as admin POST /api/v1/expenses "{\"campaign_id\":\"$C\",\"doc_no\":\"C-3\",\"date\":\"2024-01-06\",\"amount_vnd\":150000}"
expect_eq "expense ok" "$STATUS" 201

# ---- the ledger ----
as admin GET "/api/v1/ledger?campaign=$C"
expect_eq "ledger" "$STATUS" 200
expect_eq "ledger received" "$(jqb .total.received_vnd)" 650000
expect_eq "ledger promised" "$(jqb .total.promised_vnd)" 1000000
expect_eq "ledger spent" "$(jqb .total.spent_vnd)" 150000
expect_eq "ledger balance" "$(jqb .balance_vnd)" 500000
expect_eq "ledger outstanding" "$(jqb .outstanding_vnd)" 600000
expect_eq "balance is an integer" "$(jqb '.balance_vnd|floor == .')" true
expect_eq "admin sees the anonymous name" "$(jqb '[.donors[]|select(.anonymous)|.name][0]')" "Bà Ẩn Danh"
as viewer GET "/api/v1/ledger?campaign=$C&public=1"
expect_eq "public ledger" "$STATUS" 200
expect_eq "public: anonymous unnamed" "$(jqb '[.donors[]|select(.anonymous)|.name][0]')" null
expect_eq "public: others named" "$(jqb '[.donors[]|select(.anonymous|not)|.name][0]')" "Công ty Thử HTTP"
expect_eq "public: same balance" "$(jqb .balance_vnd)" 500000
expect_contains "public: no hidden name anywhere" "$(grep -c 'Ẩn Danh' "$TMP/body" || true)" 0

# ---- roads, progress, cost per km ----
as admin POST /api/v1/roads "{\"campaign_id\":\"$C\",\"name\":\"Đường thử HTTP\",\"commune_id\":\"$cA\",\"from\":150000,\"to\":151000,\"budget_vnd\":2000000}"
expect_eq "road create" "$STATUS" 201
R=$(jqb .id)
expect_eq "road stretch" "$(jqb .to.measure_m)" 151000
as admin POST /api/v1/roads '{"name":"Ngoài biên","from":900000000,"to":900001000}'
expect_eq "road outside the border" "$STATUS" 422
as admin POST "/api/v1/roads/$R/progress" '{"from_m":150000,"to_m":150400,"date":"2024-02-01"}'
expect_eq "progress" "$STATUS" 201
as admin POST "/api/v1/roads/$R/progress" '{"from_m":150200,"to_m":150600,"date":"2024-03-01"}'
expect_eq "progress overlapping" "$STATUS" 201
as admin POST "/api/v1/roads/$R/progress" '{"from_m":160000,"to_m":160100,"date":"2024-03-01"}'
expect_eq "progress outside the road" "$STATUS" 422
as admin GET "/api/v1/roads/$R/progress"
expect_eq "progress entries" "$(jqb .total)" 2
as admin PATCH "/api/v1/expenses/$(as admin GET /api/v1/expenses >/dev/null; jqb "[.items[]|select(.doc_no==\"C-3\")|.id][0]")" "{\"road_id\":\"$R\"}"
expect_eq "expense earmarked" "$STATUS" 200
as viewer GET /api/v1/roads/progress
expect_eq "road progress (viewer)" "$STATUS" 200
expect_near "road built (union)" "$(jqb ".roads[]|select(.road_id==\"$R\")|.built_m")" 600 0.01
expect_near "road planned" "$(jqb ".roads[]|select(.road_id==\"$R\")|.planned_m")" 1000 0.01
expect_near "road share" "$(jqb ".roads[]|select(.road_id==\"$R\")|.share")" 0.6 0.0001
expect_eq "road cost per km" "$(jqb ".roads[]|select(.road_id==\"$R\")|.vnd_per_km")" 250000
expect_eq "commune figures" "$(jqb "[.communes[]|select(.commune_id==\"$cA\")]|length")" 1
tot=$(jqb .total.built_m)
sum=$(jqb '[.roads[].built_m]|add')
expect_near "overall = sum of roads" "$tot" "$sum" 0.01

# ---- lights, bamboo, events, awards ----
nl0=$(count lights)
as admin POST /api/v1/lights '{"measure_m":5000,"installed_on":"2024-03-01"}'
expect_eq "light far from any road" "$STATUS" 422
expect_eq "light far: field" "$(jqb '.errors[0].field // .field')" position
expect_eq "light far: nothing stored" "$(count lights)" "$nl0"
as station POST /api/v1/lights "{\"measure_m\":150500,\"installed_on\":\"2024-03-01\",\"commune_id\":\"$cA\"}"
expect_eq "light (station, own commune)" "$STATUS" 201
L=$(jqb .id)
expect_eq "light on our road" "$(jqb .road_id)" "$R"
as station POST /api/v1/lights "{\"measure_m\":150500,\"installed_on\":\"2024-03-01\",\"commune_id\":\"$cB\"}"
expect_eq "light (station, other commune)" "$STATUS" 403
as commune POST "/api/v1/lights/$L/checks" '{"date":"2024-06-01","working":false}'
expect_eq "light check (commune)" "$STATUS" 201
as admin GET /api/v1/layers/lights
expect_eq "lights layer" "$(jqb ".features[]|select(.properties.id==\"$L\")|.properties.working_now")" false
as commune POST /api/v1/bamboo "{\"commune_id\":\"$cA\",\"from\":150000,\"to\":150300,\"clumps\":120,\"planted_on\":\"2024-03-03\",\"households\":12}"
expect_eq "bamboo (commune)" "$STATUS" 201
B=$(jqb .id)
as commune POST "/api/v1/bamboo/$B/checks" '{"date":"2024-09-01","alive":130}'
expect_eq "bamboo check: more alive than planted" "$STATUS" 422
as commune POST "/api/v1/bamboo/$B/checks" '{"date":"2024-09-01","alive":100}'
expect_eq "bamboo check" "$STATUS" 201
as station POST /api/v1/events "{\"commune_id\":\"$cA\",\"year\":2031,\"activities\":3,\"participants\":150,\"gifts\":20,\"gifts_vnd\":4000000,\"funds_vnd\":6000000}"
expect_eq "event (station)" "$STATUS" 201
E=$(jqb .id)
as commune PATCH "/api/v1/events/$E" '{"participants":160}'
expect_eq "event update (commune)" "$STATUS" 200
expect_eq "event updated" "$(jqb .participants)" 160
as commune POST /api/v1/events "{\"commune_id\":\"$cB\",\"year\":2031}"
expect_eq "event (commune, other commune)" "$STATUS" 403
as admin POST /api/v1/awards "{\"recipient\":\"Tổ tự quản thử\",\"recipient_kind\":\"collective\",\"level\":\"gk_station\",\"decision_no\":\"12/QĐ-ĐBP\",\"decided_on\":\"2024-04-01\",\"commune_id\":\"$cA\"}"
expect_eq "award" "$STATUS" 201
AW=$(jqb .id)

# The audit log holds each change with its before and after.
as admin GET "/api/v1/audit?record_id=$E"
expect_eq "audit: event create and update" "$(jqb '[.items[].action]|sort|join(",")')" "create,update"

# ---- every role against every endpoint ----
for k in campaigns donors donations expenses roads bamboo lights events awards; do
    row GET "/api/v1/$k" "" 200 200 200 403
done
row GET "/api/v1/campaigns/$C" "" 200 200 200 403
row GET "/api/v1/donors/$DA" "" 200 200 200 403
row GET "/api/v1/donations/$RA" "" 200 200 200 403
row GET "/api/v1/roads/$R" "" 200 200 200 403
row GET "/api/v1/bamboo/$B" "" 200 200 200 403
row GET "/api/v1/lights/$L" "" 200 200 200 403
row GET "/api/v1/events/$E" "" 200 200 200 403
row GET "/api/v1/awards/$AW" "" 200 200 200 403
row GET "/api/v1/roads/$R/progress" "" 200 200 200 403
row GET "/api/v1/bamboo/$B/checks" "" 200 200 200 403
row GET "/api/v1/lights/$L/checks" "" 200 200 200 403
row GET "/api/v1/awards/suggest" "" 200 200 200 403
row GET "/api/v1/ledger?campaign=$C" "" 200 200 200 403
row GET "/api/v1/ledger?campaign=$C&public=1" "" 200 200 200 200
row GET /api/v1/roads/progress "" 200 200 200 200
row GET /api/v1/layers/roads "" 200 200 200 200
row GET /api/v1/layers/lights "" 200 200 200 200
row GET /api/v1/layers/bamboo "" 200 200 200 200
row GET /api/v1/campaigns/00000000-0000-4000-8000-000000000000 "" 404 404 404 403
# changes: admins only, except events, bamboo and lights of one's communes
row POST /api/v1/campaigns '{"name":"Đợt ROLE","starts_on":"2025-01-01"}' 201 403 403 403
row PATCH "/api/v1/campaigns/$C" '{"goal_vnd":6000000}' 200 403 403 403
row POST /api/v1/donors '{"kind":"unit","name":"Đơn vị ROLE"}' 201 403 403 403
row PATCH "/api/v1/donors/$D" '{"contact":"0912"}' 200 403 403 403
row POST /api/v1/donations "{\"campaign_id\":\"$C\",\"donor_id\":\"$D\",\"status\":\"promised\",\"amount_vnd\":1000,\"date\":\"2024-05-01\"}" 201 403 403 403
row PATCH "/api/v1/donations/$RA" '{"note":"ROLE"}' 200 403 403 403
row POST /api/v1/expenses "{\"campaign_id\":\"$C\",\"doc_no\":\"E-ROLE\",\"date\":\"2024-05-02\",\"amount_vnd\":1000}" 201 403 403 403
row PATCH "/api/v1/roads/$R" '{"note":"ROLE"}' 200 403 403 403
row POST /api/v1/roads "{\"name\":\"Đường ROLE\",\"from\":150000,\"to\":150100}" 201 403 403 403
row POST "/api/v1/roads/$R/progress" '{"from_m":150600,"to_m":150700,"date":"2024-05-01"}' 201 403 403 403
row PATCH "/api/v1/awards/$AW" '{"reason":"ROLE"}' 200 403 403 403
row POST /api/v1/awards '{"recipient":"ROLE","decision_no":"1/QĐ","decided_on":"2024-05-01"}' 201 403 403 403
row POST /api/v1/bamboo "{\"commune_id\":\"$cA\",\"from\":150000,\"to\":150100,\"clumps\":5,\"planted_on\":\"2024-05-01\"}" 201 201 201 403
row POST /api/v1/bamboo "{\"commune_id\":\"$cB\",\"from\":150000,\"to\":150100,\"clumps\":5,\"planted_on\":\"2024-05-01\"}" 201 403 403 403
row PATCH "/api/v1/bamboo/$B" '{"households":13}' 200 200 200 403
row POST "/api/v1/bamboo/$B/checks" '{"date":"2024-10-01","alive":90}' 201 201 201 403
row PATCH "/api/v1/lights/$L" '{"funder":"ROLE"}' 200 200 200 403
row POST "/api/v1/lights/$L/checks" '{"date":"2024-10-01","working":true}' 201 201 201 403
row PATCH "/api/v1/events/$E" '{"gifts":21}' 200 200 200 403
BEARER= CSRF= req - GET /api/v1/ledger?public=1
expect_eq "ledger without login" "$STATUS" 401

stop_server
expect_eq "clean shutdown" "$SRV_RC" 0
finish
