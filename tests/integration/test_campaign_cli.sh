#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The campaign commands (issue 5) on the demo province: the demo's
# campaign figures, promise/receipt matching, the balance, every bad-input
# case (nothing written), CSV import all-or-nothing and export with BOM.
. "$(dirname "$0")/lib.sh"
DB="$TMP/c.sqlite"
bp() { "$BP" --db "$DB" "$@"; }
C="Kiểm thử"

expect_status "demo" 0 bp demo

# The demo campaign: money received, spent, a non-negative balance, road.
out=$(bp campaign show --json "Đợt vận động đặc biệt ủng hộ xây dựng đường kiểm tra cột mốc, bảo vệ biên giới (mẫu)")
received=$(jq '.totals.received_vnd' <<<"$out")
spent=$(jq '.totals.spent_vnd' <<<"$out")
balance=$(jq '.balance_vnd' <<<"$out")
cash=$(jq '.totals.cash_vnd' <<<"$out")
expect_eq "demo balance = cash - spent" "$balance" "$((cash - spent))"
[ "$balance" -ge 0 ] && ok || fail "demo balance negative: $balance"
[ "$received" -gt 10000000000 ] && ok || fail "demo received only $received"
built=$(jq '.road_built_m' <<<"$out")
expect_near "demo built > 0" "$(awk -v b="$built" 'BEGIN{print (b>1000)}')" 1 0
roads=$(bp road list --json)
expect_eq "path to 1230 planned" "$(jq '.roads[] | select(.name=="Đường lên mốc 1230") | .planned_m' <<<"$roads")" "130"
expect_eq "path to 1145 planned" "$(jq '.roads[] | select(.name=="Đường lên mốc 1145") | .planned_m' <<<"$roads")" "250"
expect_eq "path to 962 finished" "$(jq -r '.roads[] | select(.name=="Đường lên mốc 962") | .finished_on' <<<"$roads")" "2024-11-22"
ev=$(bp event list --json --year 2024)
expect_eq "3 March 2024 in all communes" "$(jq '.[0].communes' <<<"$ev")" "21"
# Counts in the human output are grouped as vi-VN writes them ("12.604").
people=$(jq '.[0].participants' <<<"$ev")
grouped=$(printf '%d' "$people" | sed -E ':a;s/^([0-9]+)([0-9]{3})/\1.\2/;ta')
expect_status "event list" 0 bp event list --year 2024
expect_contains "participants grouped" "$(cat "$TMP/out")" "$grouped lượt người"
expect_status "bamboo list" 0 bp bamboo list
expect_contains "bamboo list" "$(cat "$TMP/out")" "khóm"
expect_status "light list" 0 bp light list --json
lit=$(jq '.[-1].lit_m' "$TMP/out")
expect_near "some km lit" "$(awk -v b="$lit" 'BEGIN{print (b>100)}')" 1 0

# A campaign of our own.
expect_status "campaign add" 0 bp campaign add --name "$C" --from 01/01/2024 --labour-rate 200000
expect_status "donor add" 0 bp donor add --name "Công ty Thử" --kind enterprise
expect_status "anon donor" 0 bp donor add --name "Bà Bí Mật" --kind individual --anonymous
expect_status "promise" 0 bp donation add --campaign "$C" --donor "Công ty Thử" --promise --amount "1.000.000" --date 02/01/2024 --receipt CK-T1
expect_status "receipt in part" 0 bp donation add --campaign "$C" --donor "Công ty Thử" --amount 400.000 --date 03/01/2024 --receipt PT-T1 --fulfils CK-T1
n0=$(bp donation list --campaign "$C" --json | jq length)
expect_status "receipt beyond promise" 1 bp donation add --campaign "$C" --donor "Công ty Thử" --amount 700.000 --date 04/01/2024 --receipt PT-T2 --fulfils CK-T1
expect_contains "beyond promise message" "$(cat "$TMP/err")" "receipt 'PT-T2' of 700.000 đồng fulfils more than promise 'CK-T1'"
expect_contains "beyond promise field" "$(cat "$TMP/err")" "field 'amount_vnd'"
expect_eq "nothing written" "$(bp donation list --campaign "$C" --json | jq length)" "$n0"
expect_status "receipt in full" 0 bp donation add --campaign "$C" --donor "Công ty Thử" --amount 600.000 --date 04/01/2024 --receipt PT-T3 --fulfils CK-T1
expect_status "labour" 0 bp donation add --campaign "$C" --donor "Bà Bí Mật" --form labour --days 2,5 --date 05/01/2024
led=$(bp campaign ledger "$C" --json)
expect_eq "promised" "$(jq .total.promised_vnd <<<"$led")" 1000000
expect_eq "received" "$(jq .total.received_vnd <<<"$led")" 1500000
expect_eq "labour valued" "$(jq .total.labour_vnd <<<"$led")" 500000
expect_eq "outstanding" "$(jq .outstanding_vnd <<<"$led")" 0
pub=$(bp campaign ledger "$C" --public --json)
expect_eq "public hides anonymous" "$(jq '[.donors[] | select(.donor == null)] | length' <<<"$pub")" 1
expect_eq "private shows names" "$(jq '[.donors[] | select(.donor == null)] | length' <<<"$led")" 0

# Bad amounts: negative, fractional, beyond int64_t.
expect_status "negative" 2 bp donation add --campaign "$C" --donor "Công ty Thử" --amount -5000 --date 05/01/2024 --receipt X1
expect_contains "negative message" "$(cat "$TMP/err")" "số tiền âm"
expect_status "fractional" 2 bp donation add --campaign "$C" --donor "Công ty Thử" --amount 12,5 --date 05/01/2024 --receipt X2
expect_contains "fractional message" "$(cat "$TMP/err")" "không có phần lẻ"
expect_status "beyond int64" 2 bp expense add --campaign "$C" --doc C-X --amount 9223372036854775808 --date 05/01/2024
expect_contains "int64 message" "$(cat "$TMP/err")" "int64_t"

# Spending more than the balance (1.000.000 đ of cash on hand).
expect_status "expense too big" 1 bp expense add --campaign "$C" --doc C-01 --amount 1.000.001 --date 06/01/2024
expect_contains "balance message" "$(cat "$TMP/err")" "expense 'C-01' of 1.000.001 đồng on 06/01/2024 is more than the balance: only 1.000.000 đồng"
expect_status "expense before the money" 1 bp expense add --campaign "$C" --doc C-02 --amount 500000 --date 01/01/2024
expect_status "expense ok" 0 bp expense add --campaign "$C" --doc C-03 --amount 1.000.000 --date 06/01/2024
expect_eq "expenses written" "$(bp expense list --campaign "$C" --json | jq length)" 1

# A road stretch outside the border; a light far from any road.
expect_status "road outside" 1 bp road add --name "Ngoài" --from-km 230 --to-km 240
expect_contains "road outside message" "$(cat "$TMP/err")" "km 240,000 is outside the border"
expect_status "path ok" 0 bp road add --name "Đường thử" --from-km 100 --to-km 101
expect_status "progress outside road" 1 bp road progress --road "Đường thử" --from-km 100,5 --to-km 101,5 --date 01/02/2024
expect_contains "progress message" "$(cat "$TMP/err")" "outside the road"
expect_status "progress" 0 bp road progress --road "Đường thử" --from-km 100 --to-km 100,6 --date 01/02/2024
expect_status "progress overlap" 0 bp road progress --road "Đường thử" --from-km 100,4 --to-km 100,8 --date 01/03/2024
expect_eq "built counts overlaps once" "$(bp road list --json | jq '.roads[] | select(.name=="Đường thử") | .built_m')" "800"
expect_status "light far" 1 bp light add --km 150 --date 01/03/2024
expect_contains "light far message" "$(cat "$TMP/err")" "is far from every road project"
expect_status "light near" 0 bp light add --km 100,3 --date 01/03/2024

# CSV import: all or nothing, every bad row named; export with a BOM.
printf 'ten,loai,an_danh\nCông ty Một,doanh nghiệp,0\nÔng Hai,ngoài hành tinh,1\n,cá nhân,0\n' >"$TMP/d.csv"
nd=$(bp donor list --json | jq length)
expect_status "bad donor import" 1 bp donor import "$TMP/d.csv"
expect_contains "row 3 kind" "$(cat "$TMP/err")" "d.csv: row 3: field 'loai': 'ngoài hành tinh' is not a donor kind"
expect_contains "row 4 name" "$(cat "$TMP/err")" "row 4: field 'ten'"
expect_eq "donors unchanged" "$(bp donor list --json | jq length)" "$nd"
printf 'nha_tai_tro,ngay,chien_dich,so_tien,so_phieu\nCông ty Thử,07/01/2024,%s,-100,A1\nCông ty Thử,07/01/2024,%s,1.5,A2\nCông ty Thử,07/01/2024,%s,200000,A3\n' "$C" "$C" "$C" >"$TMP/n.csv"
expect_status "bad donation import" 1 bp donation import "$TMP/n.csv"
expect_contains "row 2 negative" "$(cat "$TMP/err")" "row 2: field 'so_tien': '-100' is negative"
expect_contains "row 3 fraction" "$(cat "$TMP/err")" "row 3: field 'so_tien': '1.5' is not a whole number"
expect_eq "donations unchanged" "$(bp donation list --campaign "$C" --json | jq length)" 4
printf 'nha_tai_tro,ngay,chien_dich,so_tien,so_phieu\nCông ty Thử,07/01/2024,%s,200.000,A3\n' "$C" >"$TMP/ok.csv"
expect_status "good donation import" 0 bp donation import "$TMP/ok.csv"
expect_eq "donation imported" "$(bp donation list --campaign "$C" --json | jq length)" 5
expect_status "donor export" 0 bp donor list --csv "$TMP/out.csv"
expect_eq "BOM" "$(head -c3 "$TMP/out.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
expect_status "donor re-import" 0 bp donor import "$TMP/out.csv"
expect_eq "re-import keeps count" "$(bp donor list --json | jq length)" "$((nd))"
expect_status "event import bad" 1 bp event import <(printf 'xa,nam,so_hoat_dong\nNowhere,2024,3\nTân Thanh,1800,2\n')
expect_contains "event commune" "$(cat "$TMP/err")" "no commune 'Nowhere'"
expect_contains "event year" "$(cat "$TMP/err")" "row 3: field 'nam': '1800' is not a year"
# Road, bamboo and light import: a good file goes in; one bad row writes
# nothing and is named by file, row and field.
nr=$(bp road list --json | jq '.roads | length')
printf 'ten,tu_moc,tu_km,den_km,moc_duong,dai_m,du_toan\nĐường nhập 1,,100,100.9,,,"2.000.000"\nĐường lên mốc nhập,,,,1230,90,\n' >"$TMP/r.csv"
expect_status "road import" 0 bp road import "$TMP/r.csv"
expect_eq "roads imported" "$(bp road list --json | jq '.roads | length')" "$((nr + 2))"
expect_eq "imported path length" "$(bp road list --json | jq '.roads[] | select(.name=="Đường lên mốc nhập") | .planned_m')" "90"
expect_eq "imported stretch" "$(bp road list --json | jq '.roads[] | select(.name=="Đường nhập 1") | .planned_m')" "900"
printf 'name,from_marker,from_km,to_km\nĐường nhập 2,,100,101\nĐường nhập 3,abc,,101\n' >"$TMP/rb.csv"
expect_status "road import bad" 1 bp road import "$TMP/rb.csv"
expect_contains "road bad row" "$(cat "$TMP/err")" "rb.csv: row 3: field 'tu_moc': 'abc' is not a marker"
expect_eq "roads unchanged" "$(bp road list --json | jq '.roads | length')" "$((nr + 2))"
bp bamboo list --csv "$TMP/b0.csv" >/dev/null
nb=$(($(wc -l <"$TMP/b0.csv") - 1))
printf 'tu_km,den_km,so_khom,ngay,so_ho\n100,100.5,200,05/03/2024,4\n100.5,101,150,06/03/2024,3\n' >"$TMP/b.csv"
expect_status "bamboo import" 0 bp bamboo import "$TMP/b.csv"
bp bamboo list --csv "$TMP/b1.csv" >/dev/null
expect_eq "bamboo imported" "$(($(wc -l <"$TMP/b1.csv") - 1))" "$((nb + 2))"
expect_contains "bamboo clumps" "$(cat "$TMP/b1.csv")" ",100.500,101.000,150,3,2024-03-06,"
printf 'from_km,to_km,clumps,date\n100,100.5,200,05/03/2024\n100,100.5,80,31/02/2024\n' >"$TMP/bb.csv"
expect_status "bamboo import bad" 1 bp bamboo import "$TMP/bb.csv"
expect_contains "bamboo bad row" "$(cat "$TMP/err")" "bb.csv: row 3: field 'ngay': '31/02/2024' is not a date"
bp bamboo list --csv "$TMP/b2.csv" >/dev/null
expect_eq "bamboo unchanged" "$(($(wc -l <"$TMP/b2.csv") - 1))" "$((nb + 2))"
bp light list --csv "$TMP/l0.csv" >/dev/null
nl=$(($(wc -l <"$TMP/l0.csv") - 1))
printf 'ly_trinh_km,ngay,loai,cong_trinh\n100,2,01/03/2024,điện lưới,Đường thử\n' | sed 's/^100,2/"100,2"/' >"$TMP/l.csv"
expect_status "light import" 0 bp light import "$TMP/l.csv"
bp light list --csv "$TMP/l1.csv" >/dev/null
expect_eq "light imported" "$(($(wc -l <"$TMP/l1.csv") - 1))" "$((nl + 1))"
expect_contains "light kind and km" "$(cat "$TMP/l1.csv")" ",100.200,,,grid,2024-03-01,"
printf 'measure_km,date,kind\n100.4,02/03/2024,solar\n100.5,02/03/2024,gió\n' >"$TMP/lb.csv"
expect_status "light import bad" 1 bp light import "$TMP/lb.csv"
expect_contains "light bad row" "$(cat "$TMP/err")" "lb.csv: row 3: field 'loai': 'gió' is not a light kind"
bp light list --csv "$TMP/l2.csv" >/dev/null
expect_eq "lights unchanged" "$(($(wc -l <"$TMP/l2.csv") - 1))" "$((nl + 1))"
expect_status "award suggest" 0 bp award suggest --as-of 31/12/2024 --json --limit 1000
[ "$(jq length "$TMP/out")" -gt 0 ] && ok || fail "no award suggestions in the demo"
n_all=$(jq length "$TMP/out")
expect_status "award suggest verified" 0 bp award suggest --as-of 31/12/2024 --min-verified 0,3 --json --limit 1000
n_ver=$(jq length "$TMP/out")
[ "$n_ver" -le "$n_all" ] && ok || fail "verified suggestions $n_ver > all $n_all"
expect_eq "verified shares known" "$(jq '[.[] | select(.verified_share == null or .verified_share < 0.3)] | length' "$TMP/out")" 0
finish
