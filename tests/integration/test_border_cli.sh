#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The border commands through the real program on a temporary database:
# import, show, locate, point, slice, and bad files leaving the stored
# line unchanged.
. "$(dirname "$0")/lib.sh"
DB="$TMP/t.sqlite"
bp() { "$BP" --db "$DB" "$@"; }

# A line along the equator: 1 degree of longitude is 111319.491 m on
# WGS84, so measures are easy to state.
# Duplicate consecutive vertices are dropped on import.
cat >"$TMP/line.geojson" <<'J'
{"type":"LineString","coordinates":[[0,0],[0.5,0],[0.5,0],[1,0]]}
J
expect_status "import" 0 bp border import "$TMP/line.geojson" --name "Tuyến thử"
expect_contains "import summary" "$(cat "$TMP/out")" "Số đỉnh: 3"
expect_contains "import summary km" "$(cat "$TMP/out")" "111,319 km"

js=$(bp border show --json)
expect_eq "show vertices" "$(echo "$js" | jq -r .vertices)" 3
expect_near "show geodesic" "$(echo "$js" | jq -r .geodesic_length_m)" 111319.491 0.001
expect_near "show length" "$(echo "$js" | jq -r .length_m)" 111319.491 0.001
expect_eq "show name" "$(echo "$js" | jq -r .name)" "Tuyến thử"

# locate: header optional, order kept, home side is the right of travel
# (south when walking east).
printf 'lon,lat\n0.25,-0.001\n0.75,0.001\n' >"$TMP/fix.csv"
out=$(bp border locate --file "$TMP/fix.csv")
expect_eq "locate header" "$(echo "$out" | sed -n 1p)" "measure_m,offset_m"
m1=$(echo "$out" | sed -n 2p | cut -d, -f1)
o1=$(echo "$out" | sed -n 2p | cut -d, -f2)
o2=$(echo "$out" | sed -n 3p | cut -d, -f2)
expect_near "locate measure" "$m1" 27829.873 0.01
expect_near "locate offset south is home" "$o1" 110.574 0.01
expect_near "locate offset north" "$o2" -110.574 0.01
out=$(printf '0.25,0\n' | bp border locate)
expect_near "locate stdin" "$(echo "$out" | sed -n 2p | cut -d, -f1)" 27829.873 0.01
expect_status "locate bad row" 1 bp border locate --file <(printf '0.1,0\nx,y\n')
expect_contains "locate bad row message" "$(cat "$TMP/err")" "dòng 2"
# Rows are projected thousands at a time: where the chunks end changes
# no answer, and a bad row stops the output right before it.
awk 'BEGIN { for (i = 0; i < 10000; i++)
    printf "%.6f,%.6f\n", i / 10000.0, (i % 7 - 3) / 1000.0 }' >"$TMP/many.csv"
out=$(bp border locate --file "$TMP/many.csv")
expect_eq "locate many rows" "$(echo "$out" | wc -l)" 10001
for r in 1 4096 4097 8193 10000; do
    one=$(sed -n "${r}p" "$TMP/many.csv" | bp border locate | sed -n 2p)
    expect_eq "locate row $r alone" "$(echo "$out" | sed -n "$((r + 1))p")" "$one"
done
awk 'NR == 5000 { print "200,0"; next } { print }' "$TMP/many.csv" >"$TMP/bad.csv"
expect_status "locate out of range" 1 bp border locate --file "$TMP/bad.csv"
expect_contains "locate out of range row" "$(cat "$TMP/err")" "dòng 5000"
expect_contains "locate out of range message" "$(cat "$TMP/err")" "ngoài phạm vi"
expect_eq "locate rows before the bad one" "$(wc -l <"$TMP/out")" 5000
expect_eq "locate last row before the bad one" "$(sed -n 5000p "$TMP/out")" \
    "$(echo "$out" | sed -n 5000p)"
awk 'NR == 6000 { print "x,y"; next } { print }' "$TMP/many.csv" >"$TMP/bad.csv"
expect_status "locate bad row late" 1 bp border locate --file "$TMP/bad.csv"
expect_contains "locate bad row late message" "$(cat "$TMP/err")" "dòng 6000"
expect_eq "locate rows before the bad row" "$(wc -l <"$TMP/out")" 6000

# point and slice
pt=$(bp border point 55659.7455)
expect_near "point lon" "${pt%,*}" 0.5 1e-7
expect_near "point lat" "${pt#*,}" 0 1e-7
expect_status "point out of range" 1 bp border point 200000
sl=$(bp border slice 27829.873 83489.618)
expect_eq "slice type" "$(echo "$sl" | jq -r .type)" LineString
expect_eq "slice vertices" "$(echo "$sl" | jq '.coordinates | length')" 3
expect_near "slice start" "$(echo "$sl" | jq '.coordinates[0][0]')" 0.25 1e-6
expect_near "slice end" "$(echo "$sl" | jq '.coordinates[2][0]')" 0.75 1e-6

# official length: calibrated measure scales
expect_status "import official" 0 bp border import "$TMP/line.geojson" --official-km 120,5
js=$(bp border show --json)
expect_near "official length" "$(echo "$js" | jq -r .length_m)" 120500 0.001
out=$(printf '0.5,0\n' | bp border locate)
expect_near "calibrated midpoint" "$(echo "$out" | sed -n 2p | cut -d, -f1)" 60250 0.01
out=$(printf '0.5,0\n' | bp border locate --geodesic)
expect_near "geodesic midpoint" "$(echo "$out" | sed -n 2p | cut -d, -f1)" 55659.745 0.01

# start east reverses the measure; home left flips the sign
expect_status "import east" 0 bp border import "$TMP/line.geojson" --start east --home left
out=$(printf '0.25,-0.001\n' | bp border locate)
expect_near "east measure" "$(echo "$out" | sed -n 2p | cut -d, -f1)" 83489.618 0.01
expect_near "east offset" "$(echo "$out" | sed -n 2p | cut -d, -f2)" 110.574 0.01

# Bad files: each gives its error and leaves the stored line unchanged.
bp border import "$TMP/line.geojson" --name "Giữ nguyên" >/dev/null
before=$(bp border show --json)
bad() { # NAME CONTENT EXPECTED-MESSAGE-PART
    printf '%s' "$2" >"$TMP/bad.geojson"
    expect_status "bad file $1" 1 bp border import "$TMP/bad.geojson"
    expect_contains "bad file $1 message" "$(cat "$TMP/err")" "$3"
    expect_eq "bad file $1 leaves line" "$(bp border show --json)" "$before"
}
bad "not json" '{"type": "LineString", "coordinates": [[0,0],' "bad.geojson"
bad "one vertex" '{"type":"LineString","coordinates":[[0,0],[0,0]]}' "vertices"
bad "latitude" '{"type":"LineString","coordinates":[[0,0],[1,95]]}' "95"
bad "point" '{"type":"Point","coordinates":[0,0]}' "Point"
bad "gap" '{"type":"MultiLineString","coordinates":[[[0,0],[1,0]],[[2,0],[3,0]]]}' "m"
bad "antimeridian" '{"type":"LineString","coordinates":[[179.9,0],[-179.9,0]]}' "antimeridian"
expect_status "missing file" 1 bp border import "$TMP/nope.geojson"
expect_contains "missing file message" "$(cat "$TMP/err")" "nope.geojson"
expect_status "bad --start" 2 bp border import "$TMP/line.geojson" --start up
expect_status "bad --official-km" 2 bp border import "$TMP/line.geojson" --official-km -3

# MultiLineString parts in any order and direction join into one line.
cat >"$TMP/multi.geojson" <<'J'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
 "geometry":{"type":"MultiLineString","coordinates":[[[1,0],[0.5,0]],[[0,0],[0.5,0]]]}}]}
J
expect_status "import multi" 0 bp border import "$TMP/multi.geojson"
expect_near "multi length" "$(bp border show --json | jq -r .geodesic_length_m)" 111319.491 0.001

# English output
expect_contains "english" "$(bp --lang en border show)" "Geodesic length"

# no border yet
expect_status "no border" 1 "$BP" --db "$TMP/empty.sqlite" border show
expect_contains "no border message" "$(cat "$TMP/err")" "border import"
finish
