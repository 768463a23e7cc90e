# SPDX-License-Identifier: MIT
# Patrols through the command line (issue 4): a small province on a
# straight border, GPX tracks written here, import with per-file figures,
# duplicates skipped, bad files rolling the whole import back, flags and
# approval, verified km of a pledge, overdue lists, inspections (far fix
# flagged), incidents with history, exports.
. "$(dirname "$0")/lib.sh"
DB="$TMP/t.sqlite"
bp() { "$BP" --db "$DB" "$@"; }

# Border along the equator from lon 0 to 1, 100 official km: lon 0.1 is
# km 10.
echo '{"type":"LineString","coordinates":[[0,0],[1,0]]}' >"$TMP/line.geojson"
expect_status "border" 0 bp border import "$TMP/line.geojson" --official-km 100
printf 'ma_don,ten_don\nBN,Đồn Biên phòng Bình Nghi\n' >"$TMP/don.csv"
expect_status "station" 0 bp station import "$TMP/don.csv"
printf 'so_moc,loai,kinh_do,vi_do\n100,chính,0.1,0.0001\n101,phụ,0.5,0.0001\n' >"$TMP/moc.csv"
expect_status "markers" 0 bp marker import "$TMP/moc.csv"
printf 'ma_xa,ten_xa,huyen,don_bien_phong,tu_km,den_km\nX1,Xã Đào Viên,Tràng Định,BN,0,100\n' >"$TMP/xa.csv"
expect_status "commune" 0 bp commune import "$TMP/xa.csv"
printf 'ten_thon,xa\nBản Đuốc,X1\n' >"$TMP/thon.csv"
expect_status "village" 0 bp village import "$TMP/thon.csv"
cat >"$TMP/ho.csv" <<'C'
ho_ten_chu_ho,thon,so_nhan_khau,tu_km,den_km,ngay_ky,don_bien_phong
Đào Viên,Bản Đuốc,5,10,20,03/03/2020,BN
Nông Văn Pảo,Bản Đuốc,4,30,40,03/03/2020,BN
C
expect_status "custodians" 0 bp custodian import "$TMP/ho.csv"
pj=$(bp pledge list --json)
C1=$(echo "$pj" | jq -r '.[] | select(.from_m == 10000) | .custodian_id')
C2=$(echo "$pj" | jq -r '.[] | select(.from_m == 30000) | .custodian_id')
expect_eq "custodian id" "${#C1}" 36

# gpx FILE LON_FROM LON_TO LAT START_EPOCH STEP_S [STEP_DEG]: a walk east.
gpx() {
    awk -v a="$2" -v b="$3" -v lat="$4" -v t0="$5" -v dt="$6" \
        -v step="${7:-0.0001}" 'BEGIN {
        print "<?xml version=\"1.0\"?>"
        print "<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg>"
        t = t0
        for (x = a; x <= b + 1e-12; x += step) {
            printf "<trkpt lat=\"%.7f\" lon=\"%.7f\"><time>%s</time></trkpt>\n", lat, x, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1)
            t += dt
        }
        print "</trkseg></trk></gpx>" }' >"$1"
}
T0=$(date -u -d 2023-06-05T00:10:00Z +%s)
# 11 m every 10 s along km 10..15, 110 m from the line: 5 km walked.
gpx "$TMP/a.gpx" 0.1 0.15 0.001 "$T0" 10
# A car at 40 km/h along km 30..35.
gpx "$TMP/car.gpx" 0.3 0.35 0.001 "$T0" 1
# Far from the border (lat 0.1 is 11 km away).
gpx "$TMP/far.gpx" 0.3 0.31 0.1 "$T0" 10

expect_status "import" 0 bp patrol import "$TMP/a.gpx" --station BN --participants "$C1" --json
js=$(cat "$TMP/out")
expect_eq "fixes read" "$(echo "$js" | jq '.files[0].fixes_read')" 501
expect_eq "fixes kept" "$(echo "$js" | jq '.files[0].fixes_kept')" 501
expect_near "km walked" "$(echo "$js" | jq '.files[0].walked_m')" 5000 5
expect_eq "no flags" "$(echo "$js" | jq '.files[0].flags | length')" 0
expect_eq "marker 100, 99 m off, not visited" "$(echo "$js" | jq '.files[0].markers_visited')" 0
P1=$(echo "$js" | jq -r '.files[0].patrol_id')

# The same file again: reported and skipped.
expect_status "import again" 0 bp patrol import "$TMP/a.gpx"
expect_contains "duplicate skipped" "$(cat "$TMP/out")" "đã nhập trước đây, bỏ qua"
expect_eq "one patrol" "$(bp patrol list --json | jq length)" 1

# A bad file among good ones: nothing imported, the file and point named.
printf '<gpx><trk><trkseg>\n<trkpt lat="95.5" lon="0.3"/></trkseg></trk></gpx>' >"$TMP/bad.gpx"
expect_status "bad import" 1 bp patrol import "$TMP/car.gpx" "$TMP/bad.gpx"
expect_contains "bad names file and point" "$(cat "$TMP/err")" "bad.gpx: trkpt 1 (line 2): latitude 95.5 is out of range"
expect_contains "nothing imported" "$(cat "$TMP/err")" "không nhập gì cả"
expect_eq "still one patrol" "$(bp patrol list --json | jq length)" 1
printf '<gpx><trk><trkseg><trkpt lat="1" lon="2"></trkseg></trk></gpx>' >"$TMP/mal.gpx"
expect_status "malformed" 1 bp patrol import "$TMP/mal.gpx" --date 05/06/2023
expect_contains "malformed message" "$(cat "$TMP/err")" "mal.gpx: line 1, column"
printf '<gpx version="1.1"/>' >"$TMP/empty.gpx"
expect_status "empty gpx" 1 bp patrol import "$TMP/empty.gpx" --date 05/06/2023
expect_contains "empty message" "$(cat "$TMP/err")" "không có điểm nào"
expect_status "unknown participant" 1 bp patrol import "$TMP/car.gpx" \
    --participants 00000000-0000-4000-8000-000000000000
expect_contains "unknown participant message" "$(cat "$TMP/err")" "participants"
expect_eq "still one patrol after errors" "$(bp patrol list --json | jq length)" 1

# Flagged tracks: kept, not counted until approved.
expect_status "import car" 0 bp patrol import "$TMP/car.gpx" --participants "$C2" --json
js=$(cat "$TMP/out")
expect_eq "car flagged speed" "$(echo "$js" | jq -r '.files[0].flags | index("speed") != null')" true
P2=$(echo "$js" | jq -r '.files[0].patrol_id')
expect_status "import far" 0 bp patrol import "$TMP/far.gpx" --json
expect_eq "far flagged" "$(jq -r '.files[0].flags[0]' "$TMP/out")" far_border
expect_eq "far kept 0" "$(jq -r '.files[0].fixes_kept' "$TMP/out")" 0

# Verification of 2023: custodian 1 walked 5 of 10 km; custodian 2's car
# patrol does not count yet.
js=$(bp verify --from 01/01/2023 --to 31/12/2023 --json)
expect_near "verified walked" "$(echo "$js" | jq .walked_m)" 5000 5
expect_near "pledged" "$(echo "$js" | jq .pledged_m)" 20000 0.01
expect_near "share of pledge 1" "$(echo "$js" | jq '.rows[] | select(.from_m == 10000) | .share')" 0.5 0.001
expect_eq "last walked" "$(echo "$js" | jq -r '.rows[] | select(.from_m == 10000) | .last_walked')" 2023-06-05
expect_status "approve" 0 bp patrol approve "$P2" --by "Đồn trưởng"
expect_contains "approved count" "$(cat "$TMP/out")" "1"
js=$(bp verify --from 01/01/2023 --to 31/12/2023 --json)
expect_near "verified after approval" "$(echo "$js" | jq .walked_m)" 10000 10
expect_near "by custodian" "$(bp verify --by custodian --json | jq '[.rows[].walked_m] | add')" 10000 10
expect_near "by station" "$(bp verify --by station --json | jq '.rows[0].pledged_m')" 20000 0.01
expect_status "verify 2022" 0 bp verify --from 2022-01-01 --to 2022-12-31 --json
expect_near "nothing in 2022" "$(jq .walked_m "$TMP/out")" 0 0

# Overdue as of 20/06/2023 (15 days after): with 30 days only the unwalked
# 5 + 5 km; with 10 days all 20 km.
js=$(bp overdue --as-of 20/06/2023 --days 30 --json)
expect_near "overdue 30" "$(echo "$js" | jq .overdue_m)" 10000 10
js=$(bp overdue --as-of 20/06/2023 --days 10 --json)
expect_near "overdue 10" "$(echo "$js" | jq .overdue_m)" 20000 0.01
expect_eq "markers overdue" "$(echo "$js" | jq '.markers | length')" 2

# Inspections: a fix 8 m from marker 100 is fine, 200 m away is flagged.
expect_status "inspection" 0 bp inspection add --marker 100 --date 15/06/2023 \
    --condition "nghiêng" --lon 0.10007 --lat 0.0001 --json
expect_eq "inspection not far" "$(jq .far "$TMP/out")" false
expect_status "inspection far" 0 bp inspection add --marker 100 --date 16/06/2023 \
    --condition "nguyên vẹn" --lon 0.1018 --lat 0.0001
expect_contains "far warning" "$(cat "$TMP/err")" "cách mốc"
expect_eq "inspections" "$(bp inspection list --json | jq length)" 2
expect_eq "marker 100 inspected" "$(bp overdue --as-of 20/06/2023 --days 10 --json | jq '.markers | length')" 1
expect_status "inspection bad marker" 1 bp inspection add --marker 999 --condition mất
expect_contains "bad marker" "$(cat "$TMP/err")" "no marker '999'"
printf 'moc,ngay,tinh_trang\n101,17/06/2023,bị che khuất\n' >"$TMP/kt.csv"
expect_status "inspection import" 0 bp inspection import "$TMP/kt.csv"
expect_eq "inspections after import" "$(bp inspection list --json | jq length)" 3
bp inspection list --csv >"$TMP/kt_out.csv"
expect_eq "csv bom" "$(head -c 3 "$TMP/kt_out.csv" | od -An -tx1 | tr -d ' ')" efbbbf

# Incidents with their history.
expect_status "incident" 0 bp incident add --kind "buôn lậu" --time 2023-06-05T08:00:00+07:00 \
    --marker 101 --offset 250 --severity 3 --reporter "$C1" --note "Vận chuyển hàng" --json
I1=$(jq -r .id "$TMP/out")
expect_near "incident measure" "$(jq .measure_m "$TMP/out")" 50250 1
expect_status "incident update" 0 bp incident update "$I1" --status "đang xử lý" --note "Cử tổ xác minh"
expect_status "incident resolve" 0 bp incident update "$I1" --status resolved --resolution "Đã lập biên bản"
js=$(bp incident show "$I1" --json)
expect_eq "history" "$(echo "$js" | jq '.history | length')" 3
expect_eq "status" "$(echo "$js" | jq -r .status)" resolved
expect_eq "resolution" "$(echo "$js" | jq -r .resolution)" "Đã lập biên bản"
expect_status "incident no place" 1 bp incident add --kind fire
expect_contains "incident no place message" "$(cat "$TMP/err")" "an incident needs a place"
expect_status "incident bad kind" 2 bp incident add --kind "bão"

# Exports.
expect_status "export walked" 0 bp patrol export --what walked --out "$TMP/w.geojson"
expect_eq "walked features" "$(jq '.features | length' "$TMP/w.geojson")" 2
expect_status "export gpx" 0 bp patrol export --what tracks --format gpx --patrol "$P1" --out "$TMP/t.gpx"
expect_status "re-import exported gpx is a new file but the same fixes" 0 \
    bp patrol import "$TMP/t.gpx" --json
expect_eq "duplicate flagged" "$(jq -r '.files[0].flags | index("duplicate") != null' "$TMP/out")" true
expect_status "show" 0 bp patrol show "$P1"
expect_contains "show tracks" "$(cat "$TMP/out")" "a.gpx"

# Many files in one import (parsed ahead by threads, more files than are
# parsed ahead at once): reported in the order given, all or nothing.
DB="$TMP/many.sqlite"
expect_status "many: border" 0 bp border import "$TMP/line.geojson" --official-km 100
files=()
for i in $(seq 1 12); do
    gpx "$TMP/m$i.gpx" "0.$((10 + i))" "0.$((10 + i))5" 0.001 $((T0 + i * 86400)) 10
    files+=("$TMP/m$i.gpx")
done
bad=("${files[@]:0:9}" "$TMP/bad.gpx" "${files[@]:9}")
expect_status "many: a bad file tenth" 1 bp patrol import "${bad[@]}" --progress
expect_contains "many: bad file named" "$(cat "$TMP/err")" "bad.gpx: trkpt 1 (line 2)"
expect_contains "many: progress to the end" "$(cat "$TMP/err")" "13/13"
expect_contains "many: progress counts the good files' fixes" \
    "$(cat "$TMP/err")" "13/13 tệp · $((12 * 51)) điểm"
expect_eq "many: nothing imported" "$(bp patrol list --json | jq length)" 0
expect_status "many: import" 0 bp patrol import "${files[@]}" --json
want=$(printf '%s\n' "${files[@]}")
expect_eq "many: files in order" "$(jq -r '.files[].file' "$TMP/out")" "$want"
expect_eq "many: fixes read" "$(jq '.fixes_read' "$TMP/out")" $((12 * 51))
expect_near "many: km walked (12 x 500 m)" "$(jq '.walked_m' "$TMP/out")" 6000 6
expect_eq "many: patrols" "$(bp patrol list --json | jq length)" 12
finish
