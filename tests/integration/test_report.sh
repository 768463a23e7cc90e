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
    '["campaign","models","patrols"]'

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
expect_contains "english pdf" "$(pdftotext "$TMP/en.pdf" - | tr '\n' ' ')" "SOCIALIST REPUBLIC OF VIET NAM"

# HTML: self-contained, with the headline and inline SVG.
bp report review --from $FROM --to $TO --out "$TMP/r.html"
html=$(cat "$TMP/r.html")
expect_contains "html headline" "$html" "$want"
expect_contains "html svg" "$html" "<svg"
if grep -qE '<script|<link|src="http' "$TMP/r.html"; then fail "html fetches from elsewhere"; else ok; fi

# CSV: BOM and the headline's households.
bp report review --from $FROM --to $TO --format csv >"$TMP/r.csv"
expect_eq "csv bom" "$(head -c 3 "$TMP/r.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
expect_contains "csv households" "$(cat "$TMP/r.csv")" "headline,,,,$TO,households,$(echo "$cov" | jq .households),"

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
