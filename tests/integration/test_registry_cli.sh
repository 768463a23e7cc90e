#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The registry commands through the real program on a temporary database:
# a small province built from files (border, stations, communes, villages,
# markers, custodians with pledges), coverage figures against values
# computed by hand, as-of dates, history, gaps, overlaps, search, export,
# the re-survey after moved markers, and bad files that change nothing.
. "$(dirname "$0")/lib.sh"
DB="$TMP/t.sqlite"
bp() { "$BP" --db "$DB" "$@"; }

# A border along the equator, official length 100 km: the calibrated
# measure of longitude x is x * 100 km, so every figure is easy to state.
cat >"$TMP/line.geojson" <<'J'
{"type":"LineString","coordinates":[[0,0],[1,0]]}
J
expect_status "init" 0 bp init
expect_contains "init schema" "$(cat "$TMP/out")" "lược đồ phiên bản"
expect_status "border" 0 bp border import "$TMP/line.geojson" --official-km 100

printf 'ma_don,ten_don\nBN,Đồn Biên phòng Bình Nghi\nTD,Đồn Biên phòng Tri Phương\n' >"$TMP/don.csv"
expect_status "station import" 0 bp station import "$TMP/don.csv"
expect_eq "stations" "$(bp station list --json | jq length)" 2

# Markers 100..105 at km 10, 20, 30, 50, 70, 90, a little off the line.
cat >"$TMP/moc.csv" <<'C'
so_moc,loai,kinh_do,vi_do
100,chính,"0,1",0.001
101,phụ,0.2,-0.001
102,main,0.3,0.001
103,sub,0.5,0.001
104,main,0.7,0.001
105,twin,0.9,0.001
C
expect_status "marker import" 0 bp marker import "$TMP/moc.csv"
expect_near "marker 101 measure" "$(bp marker show 101 --json | jq .measure_m)" 20000 0.01
expect_near "marker 101 offset" "$(bp marker show 101 --json | jq '.offset_m | fabs')" 110.574 0.01
expect_eq "markers" "$(bp marker list --json | jq length)" 6

# Communes: X1 km 0-40 by km, X2 from "mốc 102 + 10000 m" (km 40) to km 100.
cat >"$TMP/xa.csv" <<'C'
ma_xa,ten_xa,huyen,don_bien_phong,tu_moc,den_moc,tu_km,den_km
X1,Xã Đào Viên,Tràng Định,BN,,,0,40
X2,Xã Quốc Khánh,Tràng Định,TD,mốc 102 + 10000 m,,,100
C
expect_status "commune import" 0 bp commune import "$TMP/xa.csv"
js=$(bp commune list --json)
expect_near "X2 from (marker anchor)" "$(echo "$js" | jq '.[] | select(.code=="X2") | .from_m')" 40000 0.01
printf 'ten_thon,xa\nBản Đuốc,X1\nThôn Nà Sla,Xã Quốc Khánh\n' >"$TMP/thon.csv"
expect_status "village import" 0 bp village import "$TMP/thon.csv"
expect_eq "villages of X2" "$(bp village list --commune X2 --json | jq -r '.[0].name')" "Thôn Nà Sla"

# Custodians with their pledges on the same rows.
#  Đào Viên      [9 500, 20 500)  from 03/03/2020
#  Nguyễn Văn An [15 000, 25 000) from 01/05/2021, ended 01/01/2023
#  Chi đoàn      [60 500, 80 000) from 03/03/2019
#  Hoàng Thị Lan no pledge
cat >"$TMP/ho.csv" <<'C'
ho_ten_chu_ho,ten_tap_the,loai,thon,xa,so_nhan_khau,so_dien_thoai,cccd,tu_moc,den_moc,tu_km,den_km,ngay_ky,ngay_ket_thuc,don_bien_phong,so_van_ban,ghi_chu
Đào Viên,,,Bản Đuốc,,5,0912345678,012345678901,100-500,101 + 500 m,,,03/03/2020,,BN,12/BB,
Nguyễn Văn An,,,Nà Sla,,4,,,,,15,25,2021-05-01,01/01/2023,,,
,Chi đoàn Thanh niên xã Quốc Khánh,youth_union,,X2,,,,,,"60,5",80,03/03/2019,,TD,,
Hoàng Thị Lan,,,Thôn Nà Sla,,3,,,,,,,,,,,
C
C_BAD=0
expect_status "custodian import" 0 bp custodian import "$TMP/ho.csv"
expect_contains "custodian import summary" "$(cat "$TMP/out")" "Đã nhập 4 bản ghi"
expect_eq "custodians" "$(bp custodian list --json | jq length)" 4
expect_eq "pledges" "$(bp pledge list --json | jq length)" 3

# Coverage as of 01/01/2024: 11 000 + 19 500 = 30 500 m of 100 000;
# markers 100, 101 and 104 inside.
js=$(bp coverage --as-of 01/01/2024 --json)
expect_near "covered 2024" "$(echo "$js" | jq .covered_m)" 30500 0.01
expect_near "length" "$(echo "$js" | jq .length_m)" 100000 0.01
expect_eq "households 2024" "$(echo "$js" | jq .households)" 1
expect_eq "collectives 2024" "$(echo "$js" | jq .collectives)" 1
expect_eq "markers pledged" "$(echo "$js" | jq .markers_pledged)" 3
expect_eq "markers total" "$(echo "$js" | jq .markers_total)" 6
expect_eq "as_of" "$(echo "$js" | jq -r .as_of)" 2024-01-01
out=$(bp coverage --as-of 2024-01-01)
expect_contains "headline" "$out" "1 tập thể và 1 hộ gia đình ký nhận tự quản 30,500/100,000 km đường biên giới (30,5%)"
expect_contains "markers line" "$out" "3/6"
expect_contains "headline en" "$(bp --lang en coverage --as-of 2024-01-01)" "1 collectives and 1 households co-manage 30.500/100.000 km"

# As of 01/01/2022 the overlapping pledge of Nguyễn Văn An counts once:
# [9 500, 25 000) + 19 500 = 35 000.
js=$(bp coverage --as-of 2022-01-01 --json)
expect_near "covered 2022" "$(echo "$js" | jq .covered_m)" 35000 0.01
expect_eq "households 2022" "$(echo "$js" | jq .households)" 2
expect_near "covered 2019-01-01" "$(bp coverage --as-of 01/01/2019 --json | jq .covered_m)" 0 0.01

# By commune: X1 [0, 40 000) holds 11 000 pledged m and the household.
js=$(bp coverage --as-of 2024-01-01 --by commune --json)
expect_near "X1 covered" "$(echo "$js" | jq '.communes[] | select(.code=="X1") | .covered_m')" 11000 0.01
expect_near "X2 covered" "$(echo "$js" | jq '.communes[] | select(.code=="X2") | .covered_m')" 19500 0.01
expect_near "X2 length" "$(echo "$js" | jq '.communes[] | select(.code=="X2") | .length_m')" 60000 0.01
expect_eq "X2 collectives" "$(echo "$js" | jq '.communes[] | select(.code=="X2") | .collectives')" 1
expect_contains "by commune table" "$(bp coverage --as-of 2024-01-01 --by commune)" "Xã Đào Viên"
js=$(bp coverage --as-of 2024-01-01 --by station --json)
expect_eq "by station rows" "$(echo "$js" | jq '.stations | length')" 2

# History on each 3 March: 2019 19 500, 2020 30 500, 2021 30 500,
# 2022 35 000, 2023 30 500 (Nguyễn Văn An ended on 01/01/2023).
js=$(bp coverage history --from 2019 --to 2023 --json)
expect_eq "history rows" "$(echo "$js" | jq length)" 5
expect_eq "history series" "$(echo "$js" | jq -c '[.[] | .covered_m | round]')" "[19500,30500,30500,35000,30500]"
expect_eq "history date" "$(echo "$js" | jq -r '.[0].as_of')" 2019-03-03
js=$(bp coverage history --from 2022 --to 2022 --on 31/12 --json)
expect_near "history year end 2022" "$(echo "$js" | jq '.[0].covered_m')" 35000 0.01
expect_contains "history table" "$(bp coverage history --from 2019 --to 2020)" "03/03/2020"

# Gaps as of 2024: [0, 9 500), [20 500, 60 500), [80 000, 100 000).
js=$(bp gaps --as-of 2024-01-01 --json)
expect_eq "gaps" "$(echo "$js" | jq length)" 3
expect_near "gap 2 from" "$(echo "$js" | jq '.[1].from_m')" 20500 0.01
expect_near "gap 2 to" "$(echo "$js" | jq '.[1].to_m')" 60500 0.01
expect_eq "gap 2 markers" "$(echo "$js" | jq -r '.[1].marker_before + "-" + .[1].marker_after')" "101-104"
expect_eq "gap 2 commune" "$(echo "$js" | jq -r '.[1].commune')" X2
expect_eq "gap 1 commune" "$(echo "$js" | jq -r '.[0].commune')" X1
expect_near "gaps total" "$(echo "$js" | jq '[.[].length_m] | add')" 69500 0.01
expect_contains "gaps text" "$(bp gaps --as-of 2024-01-01)" "giữa mốc 101 và 104"

# Overlaps as of 2022: [15 000, 20 500) by Đào Viên and Nguyễn Văn An.
js=$(bp overlaps --as-of 2022-01-01 --json)
expect_eq "overlaps" "$(echo "$js" | jq length)" 1
expect_near "overlap from" "$(echo "$js" | jq '.[0].from_m')" 15000 0.01
expect_near "overlap to" "$(echo "$js" | jq '.[0].to_m')" 20500 0.01
expect_eq "overlap names" "$(echo "$js" | jq -r '[.[0].custodians[].name] | sort | join("|")')" "Nguyễn Văn An|Đào Viên"
expect_eq "no overlaps 2024" "$(bp overlaps --as-of 2024-01-01 --json | jq length)" 0

# Search ignores case and diacritics.
expect_eq "search" "$(bp custodian search "dao vien" --json | jq -r '.[0].name')" "Đào Viên"
expect_eq "search upper" "$(bp custodian search "CHI DOAN" --json | jq length)" 1
id=$(bp custodian search "dao vien" --json | jq -r '.[0].id')
js=$(bp custodian show "$id" --json)
expect_eq "show pledges" "$(echo "$js" | jq '.pledges | length')" 1
expect_eq "show citizen id" "$(echo "$js" | jq -r .citizen_id)" 012345678901

# Single records from the command line.
expect_status "custodian add" 0 bp custodian add --household --name "Lý Văn Sáu" --village "Bản Đuốc" --members 6 --citizen-id 001122334455 --json
sau=$(jq -r .id "$TMP/out")
expect_status "pledge add" 0 bp pledge add --custodian "$sau" --from "105+1000" --to-km "95,5" --signed 03/03/2024 --json
pl=$(jq -r .id "$TMP/out")
expect_near "pledge add from" "$(jq .from_m "$TMP/out")" 91000 0.01
expect_near "covered 2024-06" "$(bp coverage --as-of 2024-06-01 --json | jq .covered_m)" 35000 0.01
expect_status "pledge end" 0 bp pledge end "$pl" --on 2024-05-01
expect_near "covered after end" "$(bp coverage --as-of 2024-06-01 --json | jq .covered_m)" 30500 0.01
expect_near "covered before end" "$(bp coverage --as-of 2024-04-01 --json | jq .covered_m)" 35000 0.01
expect_status "pledge end before signed" 1 bp pledge end "$pl" --on 2024-01-01
expect_status "collective add" 0 bp custodian add --collective --name "Trường PTDTBT Đào Viên" --kind school --commune X1
expect_status "collective bad kind" 2 bp custodian add --collective --name "X" --kind club --commune X1
expect_status "pledge add unknown marker" 1 bp pledge add --custodian "$sau" --from 999 --to 100 --signed 2024-01-01
expect_contains "pledge add unknown marker message" "$(cat "$TMP/err")" "999"
expect_status "pledge list as of" 0 bp pledge list --as-of 2022-01-01 --json
expect_eq "pledges as of 2022" "$(jq length "$TMP/out")" 3

# Pledges by file, English headers; the custodian by name.
cat >"$TMP/pledges.csv" <<'C'
custodian,from_km,to_km,signed_on,note
Hoàng Thị Lan,90,95,2024-06-01,bổ sung
C
expect_status "pledge import" 0 bp pledge import "$TMP/pledges.csv"
expect_near "covered 2024-07" "$(bp coverage --as-of 2024-07-01 --json | jq .covered_m)" 35500 0.01
expect_eq "households 2024-07" "$(bp coverage --as-of 2024-07-01 --json | jq .households)" 2

# Export: BOM, CRLF, Vietnamese headers; GeoJSON geometry.
expect_status "export custodians" 0 bp export custodians --out "$TMP/ho_out.csv"
expect_eq "export BOM" "$(head -c 3 "$TMP/ho_out.csv" | od -An -tx1 | tr -d ' \n')" efbbbf
expect_eq "export CRLF" "$(head -n 1 "$TMP/ho_out.csv" | tail -c 2 | od -An -tx1 | tr -d ' \n')" 0d0a
expect_contains "export header" "$(head -n 1 "$TMP/ho_out.csv")" "so_nhan_khau"
expect_eq "export rows" "$(($(wc -l <"$TMP/ho_out.csv") - 1))" 6
expect_contains "export names" "$(cat "$TMP/ho_out.csv")" "Đào Viên"
js=$(bp export markers --format geojson)
expect_eq "markers geojson" "$(echo "$js" | jq '.features | length')" 6
expect_eq "markers geojson type" "$(echo "$js" | jq -r '.features[0].geometry.type')" Point
js=$(bp export pledges --format geojson)
expect_eq "pledges geojson" "$(echo "$js" | jq '[.features[] | select(.geometry.type=="LineString")] | length')" 5
js=$(bp export gaps --format geojson --as-of 2024-01-01)
expect_near "gap line start" "$(echo "$js" | jq '.features[1].geometry.coordinates[0][0]')" 0.205 1e-6
expect_status "export stations geojson" 1 bp export stations --format geojson
expect_status "export bad kind" 2 bp export people
bp export pledges >"$TMP/pl_out.csv"
expect_contains "export pledges anchors" "$(cat "$TMP/pl_out.csv")" "101+500"

# ---- bad files: every problem listed, nothing written ----
state() { echo "$(bp custodian list --json | jq length)/$(bp pledge list --json | jq length)/$(bp marker list --json | jq length)/$(bp commune list --json | jq length)"; }
before=$(state)
cat >"$TMP/bad.csv" <<'C'
ho_ten_chu_ho,thon,xa,so_nhan_khau,cccd,tu_moc,den_moc,tu_km,den_km,ngay_ky,ngay_ket_thuc
Người Tốt,Bản Đuốc,,2,,,,1,2,03/03/2024,
Mốc Lạ,Bản Đuốc,,2,,999+10,100,,,03/03/2024,
Thôn Lạ,Bản Không Có,,2,,,,1,2,03/03/2024,
Xã Lạ,,XX,2,,,,1,2,03/03/2024,
Dài Không,Bản Đuốc,,2,,,,30,30,03/03/2024,
Ngược,Bản Đuốc,,2,,,,30,20,03/03/2024,
Quá Xa,Bản Đuốc,,2,,,,90,120,03/03/2024,
Kết Sớm,Bản Đuốc,,2,,,,1,2,01/01/2022,01/01/2021
Ngày Sai,Bản Đuốc,,2,,,,1,2,31/02/2021,
CCCD Sai,Bản Đuốc,,2,12345,,,1,2,03/03/2024,
C
expect_status "bad custodians" 1 bp custodian import "$TMP/bad.csv"
err=$(cat "$TMP/err")
expect_contains "bad: unknown marker" "$err" "bad.csv: row 3: field 'tu_moc': no marker '999+10'"
expect_contains "bad: unknown village" "$err" "bad.csv: row 4: field 'thon': no village 'Bản Không Có'"
expect_contains "bad: unknown commune" "$err" "bad.csv: row 5: field 'xa': no commune"
expect_contains "bad: zero length" "$err" "row 6: field 'tu_km': the stretch from km 30.000 to km 30.000 has zero or negative length"
expect_contains "bad: negative length" "$err" "row 7: field 'tu_km'"
expect_contains "bad: beyond the end" "$err" "row 8: field 'tu_km': the stretch from km 90.000 to km 120.000 goes beyond the border's ends"
expect_contains "bad: end before signed" "$err" "row 9: field 'ngay_ket_thuc': the end date 01/01/2021 is before the signing date 01/01/2022"
expect_contains "bad: not a date" "$err" "bad.csv: row 10: field 'ngay_ky': '31/02/2021' is not a date"
expect_contains "bad: citizen id" "$err" "row 11: field 'cccd': '12345' is not a citizen ID"
expect_contains "bad: summary" "$err" "9 lỗi; không ghi gì"
expect_eq "bad: good row not written" "$(state)" "$before"

printf 'so_moc,kinh_do,vi_do\n106,0.95,0\n106,0.96,0\n103,0.5,0\n' >"$TMP/badmoc.csv"
expect_status "bad markers" 1 bp marker import "$TMP/badmoc.csv"
expect_contains "bad: duplicate in file" "$(cat "$TMP/err")" "row 3: field 'so_moc': marker '106' appears twice in the file"
expect_contains "bad: duplicate in store" "$(cat "$TMP/err")" "row 4: field 'so_moc': marker '103' is already in the database"
expect_eq "bad markers: nothing written" "$(state)" "$before"

printf 'ma_xa,ten_xa,tu_km,den_km\nX3,Xã Mới,35,45\n' >"$TMP/badxa.csv"
expect_status "bad communes" 1 bp commune import "$TMP/badxa.csv"
expect_contains "bad: commune overlap" "$(cat "$TMP/err")" "row 2: field 'tu_km': the stretch of commune 'X3' overlaps commune"
expect_eq "bad communes: nothing written" "$(state)" "$before"

# Not UTF-8, and neither Windows-1258 nor TCVN3 reads it as Vietnamese.
printf 'ho_ten_chu_ho,thon,so_nhan_khau\n\xa4\xa5\xa6\xa7 \xbf\xbe\xbd,x,2\n' >"$TMP/badenc.csv"
expect_status "bad encoding" 1 bp custodian import "$TMP/badenc.csv"
expect_contains "bad encoding message" "$(cat "$TMP/err")" "badenc.csv: cannot tell the text encoding"
expect_contains "bad encoding hint" "$(cat "$TMP/err")" "--encoding"
expect_eq "bad encoding: nothing written" "$(state)" "$before"

expect_status "missing file" 1 bp custodian import "$TMP/nope.csv"
expect_contains "missing file message" "$(cat "$TMP/err")" "nope.csv"

# ---- re-survey: marker 101 moves from km 20 to km 21; the pledge ending
# at "101 + 500 m" follows it and is reported. ----
printf 'so_moc,kinh_do,vi_do\n101,0.21,-0.001\n' >"$TMP/moc2.csv"
expect_status "marker move without --update" 1 bp marker import "$TMP/moc2.csv"
expect_status "marker move" 0 bp marker import "$TMP/moc2.csv" --update --json
expect_eq "changed pledges" "$(jq '.changed_pledges | length' "$TMP/out")" 1
expect_near "changed pledge new end" "$(jq '.changed_pledges[0].to_m' "$TMP/out")" 21500 0.01
expect_near "covered after re-survey" "$(bp coverage --as-of 01/01/2024 --json | jq .covered_m)" 31500 0.01

# GeoJSON markers.
cat >"$TMP/moc.geojson" <<'J'
{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"so_moc":"106","loai":"phụ"},"geometry":{"type":"Point","coordinates":[0.95,0.0005]}}]}
J
expect_status "marker geojson" 0 bp marker import "$TMP/moc.geojson"
expect_near "geojson marker measure" "$(bp marker show 106 --json | jq .measure_m)" 95000 0.01
expect_eq "geojson marker kind" "$(bp marker show 106 --json | jq -r .kind)" sub

# Usage errors exit 2.
expect_status "coverage bad --by" 2 bp coverage --by village
expect_status "coverage bad date" 2 bp coverage --as-of 31/02/2021
expect_status "history bad years" 2 bp coverage history --from 2024 --to 2020
finish
