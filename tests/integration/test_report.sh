#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The review report (issue 8) through the real program on the demo
# province: its figures equal those of `coverage` on the same database,
# the PDF holds the headline with its diacritics and its pages are not
# blank, the JSON is byte-identical across runs, a commune report holds
# only that commune, and bad arguments are refused.
. "$(dirname "$0")/lib.sh"
DB="$TMP/d.sqlite"
bp() { "$BP" --db "$DB" "$@"; }
export BIENPHONG_TODAY=2024-03-03
FROM=2019-03-03
TO=2024-03-03

expect_status "demo" 0 bp demo
expect_status "report json" 0 bp report review --from $FROM --to $TO \
    --format json --out "$TMP/r.json"
expect_status "coverage json" 0 bp coverage --as-of $TO --json
cov=$(cat "$TMP/out")

# The headline equals `coverage` as of the period's end.
for k in covered_m length_m households collectives markers_pledged markers_total; do
    expect_near "headline $k" "$(jq ".headline.$k" "$TMP/r.json")" \
        "$(echo "$cov" | jq ".$k")" 0.001
done
# Each year equals `coverage history` on 3 March.
bp coverage history --from 2019 --to 2024 --json >"$TMP/hist.json"
expect_eq "years" "$(jq '.years | length' "$TMP/r.json")" "$(jq length "$TMP/hist.json")"
for i in 0 1 2 3 4 5; do
    for k in covered_m households collectives markers_pledged; do
        expect_near "year $i $k" "$(jq ".years[$i].$k" "$TMP/r.json")" \
            "$(jq ".[$i].$k" "$TMP/hist.json")" 0.001
    done
    expect_eq "year $i as_of" "$(jq -r ".years[$i].as_of" "$TMP/r.json")" \
        "$(jq -r ".[$i].as_of" "$TMP/hist.json")"
done
# Per commune and per station, as `coverage --by`.
bp coverage --as-of $TO --by commune --json >"$TMP/bc.json"
expect_eq "communes" "$(jq -c '[.communes[] | [.code, .covered_m, .households, .collectives, .markers_pledged]]' "$TMP/r.json")" \
    "$(jq -c '[.communes[] | [.code, .covered_m, .households, .collectives, .markers_pledged]]' "$TMP/bc.json")"
bp coverage --as-of $TO --by station --json >"$TMP/bs.json"
expect_eq "stations" "$(jq -c '[.stations[] | [.code, .covered_m, .households, .collectives]]' "$TMP/r.json")" \
    "$(jq -c '[.stations[] | [.code, .covered_m, .households, .collectives]]' "$TMP/bs.json")"
# Gaps as `gaps`.
bp gaps --as-of $TO --json >"$TMP/gaps.json"
expect_eq "gaps" "$(jq -c '[.shortcomings.gaps[] | [.from_m, .to_m, .marker_before, .commune]]' "$TMP/r.json")" \
    "$(jq -c '[.[] | [.from_m, .to_m, .marker_before, .commune]]' "$TMP/gaps.json")"
expect_eq "sections absent" "$(jq -c '[.sections | to_entries[] | select(.value == false) | .key] | sort' "$TMP/r.json")" \
    '[]'

# Patrols year by year: each year's window is the day after the previous
# year's as-of date up to its own (the first from the period's start);
# the verified km equal `verify` over that window, the patrols `patrol
# list` over it.
vj() { bp verify "$@" --json; }
ny=$(jq '.years | length' "$TMP/r.json")
for ((i = 0; i < ny; i++)); do
    wf=$(jq -r ".years[$i].patrols.from" "$TMP/r.json")
    wt=$(jq -r ".years[$i].patrols.to" "$TMP/r.json")
    expect_eq "year $i window end" "$wt" "$(jq -r ".years[$i].as_of" "$TMP/r.json")"
    vj --from "$wf" --to "$wt" >"$TMP/v.json"
    expect_near "year $i verified_m" "$(jq ".years[$i].patrols.verified_m" "$TMP/r.json")" \
        "$(jq .walked_m "$TMP/v.json")" 0.001
    expect_near "year $i pledged_m" "$(jq ".years[$i].patrols.pledged_m" "$TMP/r.json")" \
        "$(jq .pledged_m "$TMP/v.json")" 0.001
    bp patrol list --from "$wf" --to "$wt" --json >"$TMP/pl.json"
    expect_eq "year $i patrols" "$(jq ".years[$i].patrols.patrols" "$TMP/r.json")" \
        "$(jq length "$TMP/pl.json")"
done
vj --from $FROM --to $TO >"$TMP/v.json"
expect_near "period verified_m" "$(jq .patrols.verified_m "$TMP/r.json")" "$(jq .walked_m "$TMP/v.json")" 0.001
expect_eq "years add up to the period" \
    "$(jq '[.years[].patrols.patrols] | add' "$TMP/r.json")" "$(jq .patrols.patrols "$TMP/r.json")"
expect_eq "incidents by kind add up" \
    "$(jq '[.patrols.incidents_by_kind[]] | add' "$TMP/r.json")" "$(jq .patrols.incidents "$TMP/r.json")"
expect_eq "incidents by status add up" \
    "$(jq '[.patrols.incidents_by_status[]] | add' "$TMP/r.json")" "$(jq .patrols.incidents "$TMP/r.json")"
if [ "$(jq .patrols.patrols "$TMP/r.json")" -gt 0 ]; then ok; else fail "no patrols in the demo report"; fi

# Overdue stretches and markers as `overdue` (its default 30 days).
bp overdue --as-of $TO --json >"$TMP/od.json"
expect_eq "overdue days" "$(jq .shortcomings.overdue_days "$TMP/r.json")" "$(jq .days "$TMP/od.json")"
expect_near "overdue_m" "$(jq .shortcomings.overdue_m "$TMP/r.json")" "$(jq .overdue_m "$TMP/od.json")" 0.01
expect_eq "overdue stretches" "$(jq '.shortcomings.overdue | length' "$TMP/r.json")" "$(jq '.stretches | length' "$TMP/od.json")"
expect_eq "overdue markers" "$(jq -c '[.shortcomings.markers_overdue[].number]' "$TMP/r.json")" \
    "$(jq -c '[.markers[].number]' "$TMP/od.json")"

# The campaign's road as `campaign show --as-of` the period's end.
bp campaign show --as-of $TO --json >"$TMP/cs.json"
for k in "road.planned_m road_planned_m" "road.built_m road_built_m" \
    "road.cost_vnd road_cost_vnd" "road.vnd_per_km vnd_per_km" \
    "goal_vnd goal_vnd" "goal_road_m goal_road_m"; do
    set -- $k
    expect_near "campaign $1" "$(jq ".campaign.$1" "$TMP/r.json")" "$(jq ".$2" "$TMP/cs.json")" 0.001
done
# The ledger: a report to the campaign's end holds every donation and
# expense, so it equals `campaign ledger`.
bp report review --from $FROM --to 2024-12-31 --format json --out "$TMP/r24.json"
bp campaign ledger --json >"$TMP/led.json"
for k in promised_vnd received_vnd cash_vnd in_kind_vnd labour_vnd spent_vnd; do
    expect_eq "ledger $k" "$(jq ".campaign.$k" "$TMP/r24.json")" "$(jq ".total.$k" "$TMP/led.json")"
done
for k in balance_vnd outstanding_vnd; do
    expect_eq "ledger $k" "$(jq ".campaign.$k" "$TMP/r24.json")" "$(jq ".$k" "$TMP/led.json")"
done
expect_eq "ledger donors" "$(jq .campaign.donors "$TMP/r24.json")" "$(jq '.donors | length' "$TMP/led.json")"
# As of the report's end, receipts after it are not counted.
if [ "$(jq .campaign.received_vnd "$TMP/r.json")" -le "$(jq .total.received_vnd "$TMP/led.json")" ]; then ok; else fail "received after the period counted"; fi

# The models as their own commands.
bp bamboo list --as-of $TO --json >"$TMP/bam.json"
bt=$(jq -c '.[] | select(.commune == null)' "$TMP/bam.json")
expect_near "bamboo km" "$(jq .models.bamboo.planted_m "$TMP/r.json")" "$(echo "$bt" | jq .planted_m)" 0.001
expect_eq "bamboo clumps" "$(jq -c '.models.bamboo | [.clumps_planted, .clumps_alive]' "$TMP/r.json")" \
    "$(echo "$bt" | jq -c '[.clumps_planted, .clumps_alive]')"
bp light list --as-of $TO --json >"$TMP/li.json"
lt=$(jq -c '.[] | select(.commune == null)' "$TMP/li.json")
expect_eq "lights" "$(jq -c '.models.lights | [.installed, .working]' "$TMP/r.json")" \
    "$(echo "$lt" | jq -c '[.installed, .working]')"
for y in 2020 2024; do
    bp event list --year $y --json >"$TMP/ev.json"
    expect_eq "events $y" "$(jq -c ".years[] | select(.year == $y) | .events | [.activities, .participants, .gifts_vnd]" "$TMP/r.json")" \
        "$(jq -c --argjson y $y '[.[] | select(.year == $y)][0] | [.activities, .participants, .gifts_vnd]' "$TMP/ev.json")"
done
expect_eq "awards add up" "$(jq '[.models.awards.by_level[]] | add' "$TMP/r.json")" "$(jq .models.awards.count "$TMP/r.json")"
# The diagram's lanes.
for k in walked road bamboo lit; do
    if jq -e ".diagram.$k.length_m > 0" "$TMP/r.json" >/dev/null; then ok; else fail "diagram lane $k empty"; fi
done
expect_near "lit lane" "$(jq .diagram.lit.length_m "$TMP/r.json")" "$(jq .models.lights.lit_m "$TMP/r.json")" 0.001

# Byte-identical JSON across runs.
bp report review --from $FROM --to $TO --format json --out "$TMP/r2.json"
if cmp -s "$TMP/r.json" "$TMP/r2.json"; then ok; else fail "json differs between runs"; fi
expect_eq "hash is hex" "$(jq -r '.source.records_sha256' "$TMP/r.json" | grep -cE '^[0-9a-f]{64}$')" 1

# The PDF: the headline, with diacritics, in its text.
expect_status "report pdf" 0 bp report review --from $FROM --to $TO --out "$TMP/r.pdf"
text=$(pdftotext -enc UTF-8 "$TMP/r.pdf" - | tr '\n' ' ' | tr -s ' ')
want=$(printf '%s tập thể và %s hộ gia đình ký nhận tự quản %s/%s km' \
    "$(echo "$cov" | jq .collectives)" "$(echo "$cov" | jq .households)" \
    "$(echo "$cov" | jq '.covered_m / 1000' | awk '{printf "%.3f", $1}' | tr . ,)" \
    "$(echo "$cov" | jq '.length_m / 1000' | awk '{printf "%.3f", $1}' | tr . ,)")
expect_contains "pdf headline" "$text" "$want"
expect_contains "pdf motto" "$text" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
expect_contains "pdf motto 2" "$text" "Độc lập - Tự do - Hạnh phúc"
expect_contains "pdf title" "$text" "Sơ kết 5 năm thực hiện Ngày Biên phòng toàn dân giai đoạn 2019–2024"
expect_contains "pdf shortcomings" "$text" "TỒN TẠI, HẠN CHẾ"
expect_contains "pdf patrols" "$text" "Tuần tra, kiểm tra cột mốc, vụ việc"
expect_contains "pdf patrols sentence" "$text" "$(jq .patrols.patrols "$TMP/r.json") chuyến tuần tra"
expect_contains "pdf campaign" "$text" "Vận động xây dựng đường tuần tra"
expect_contains "pdf cash" "$text" "bằng tiền mặt"
expect_contains "pdf models" "$text" "Lũy tre biên giới Việt"
expect_contains "pdf overdue" "$text" "chưa được kiểm tra trong 30 ngày"
expect_contains "pdf hash" "$text" "$(jq -r '.source.records_sha256' "$TMP/r.json")"
pages=$(pdfinfo "$TMP/r.pdf" | awk '/^Pages:/ {print $2}')
if [ "${pages:-0}" -ge 3 ]; then ok; else fail "pdf pages: $pages"; fi
# Every page has ink: count non-white bytes of a grey rendering.
pdftoppm -gray -r 20 "$TMP/r.pdf" "$TMP/pg"
for f in "$TMP"/pg-*.pgm; do
    # Skip the PGM header (3 lines), count bytes below 250.
    ink=$(tail -c +$(($(head -3 "$f" | wc -c) + 1)) "$f" | od -An -v -tu1 |
        tr -s ' ' '\n' | awk '$1 != "" && $1 < 250 {n++} END {print n + 0}')
    if [ "$ink" -gt 200 ]; then ok; else fail "page $(basename "$f") blank: $ink dark pixels"; fi
done

# English.
bp report review --from $FROM --to $TO --lang en --out "$TMP/en.pdf"
etext=$(pdftotext "$TMP/en.pdf" - | tr '\n' ' ' | tr -s ' ')
expect_contains "english pdf" "$etext" "SOCIALIST REPUBLIC OF VIET NAM"
expect_contains "english patrols" "$etext" "Patrols, marker inspections, incidents"
expect_contains "english campaign" "$etext" "in labour days (valued)"

# HTML: self-contained, with the headline and inline SVG.
bp report review --from $FROM --to $TO --out "$TMP/r.html"
html=$(cat "$TMP/r.html")
expect_contains "html headline" "$html" "$want"
expect_contains "html svg" "$html" "<svg"
expect_contains "html campaign" "$html" "Tồn quỹ (tiền mặt)"
expect_contains "html events" "$html" "Lượt người tham gia"
if grep -qE '<script|<link|src="http' "$TMP/r.html"; then fail "html fetches from elsewhere"; else ok; fi

# CSV: BOM and the headline's households.
bp report review --from $FROM --to $TO --format csv >"$TMP/r.csv"
expect_eq "csv bom" "$(head -c 3 "$TMP/r.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
expect_contains "csv households" "$(cat "$TMP/r.csv")" "headline,,,,$TO,households,$(echo "$cov" | jq .households),"
expect_contains "csv patrols" "$(cat "$TMP/r.csv")" "patrols,,,,$TO,patrols,$(jq .patrols.patrols "$TMP/r.json"),"
expect_contains "csv spent" "$(cat "$TMP/r.csv")" "campaign,,,,$TO,spent_vnd,$(jq .campaign.spent_vnd "$TMP/r.json"),VND"

# A commune report holds only that commune.
bp report review --from $FROM --to $TO --commune 06025 --format json >"$TMP/c.json"
expect_eq "commune rows" "$(jq -c '[.communes[].code]' "$TMP/c.json")" '["06025"]'
expect_eq "commune stations" "$(jq '.stations | length' "$TMP/c.json")" 0
cc=$(jq -c '.communes[] | select(.code == "06025") | [.covered_m, .households, .collectives]' "$TMP/bc.json")
expect_eq "commune headline" "$(jq -c '.headline | [.covered_m, .households, .collectives]' "$TMP/c.json")" "$cc"
others=$(jq -r '.communes[] | select(.code != "06025") | .name' "$TMP/bc.json")
leaked=0
while IFS= read -r name; do
    grep -qF "$name" "$TMP/c.json" && leaked=$((leaked + 1))
done <<<"$others"
expect_eq "other communes named" "$leaked" 0
# Its patrols and verification are the commune's, as `verify --by commune`.
vj --from $FROM --to $TO --by commune >"$TMP/vc.json"
cname=$(jq -r '.communes[0].name' "$TMP/c.json")
expect_near "commune verified_m" "$(jq .patrols.verified_m "$TMP/c.json")" \
    "$(jq --arg n "$cname" '[.rows[] | select(.name == $n) | .walked_m] | add // 0' "$TMP/vc.json")" 0.001
if [ "$(jq .patrols.patrols "$TMP/c.json")" -lt "$(jq .patrols.patrols "$TMP/r.json")" ]; then ok; else fail "commune patrols not fewer than the province's"; fi
expect_eq "commune overdue only its own" "$(jq -c '[.shortcomings.overdue[].commune] | unique' "$TMP/c.json")" '["06025"]'
bp report review --from $FROM --to $TO --commune 06025 --out "$TMP/c.pdf"
ctext=$(pdftotext "$TMP/c.pdf" - | tr '\n' ' ')
expect_contains "commune pdf" "$ctext" "Xã Đội Cấn"
leaked=0
while IFS= read -r name; do
    case "$ctext" in *"$name"*) leaked=$((leaked + 1)) ;; esac
done <<<"$others"
expect_eq "other communes in pdf" "$leaked" 0

# Bad arguments.
expect_status "no dates" 2 bp report review --format json
expect_status "from after to" 2 bp report review --from $TO --to $FROM --format json
expect_status "bad format" 2 bp report review --from $FROM --to $TO --format doc
expect_status "both scopes" 2 bp report review --from $FROM --to $TO --commune 06025 --station BN
expect_status "unknown commune" 1 bp report review --from $FROM --to $TO --commune 99999 --format json
expect_contains "unknown commune message" "$(cat "$TMP/err")" "commune '99999' not found"

finish
