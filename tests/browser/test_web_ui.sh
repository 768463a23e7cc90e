#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Browser tests of the web UI: a fresh demo province in a temporary
# database, an admin and a commune user, the real `bienphong serve` on a
# random loopback port with web/dist, then tests/browser/run.mjs in headless
# Chromium. Screenshots go to $BP_SCREENSHOT_DIR (default: screenshots/ in
# the current directory, i.e. the ctest build dir).
set -euo pipefail
: "${BP:?BP must point at the bienphong program}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export BIENPHONG_LANG=vi
unset BIENPHONG_DB

for need in node /usr/bin/chromium; do
    command -v "$need" >/dev/null || { echo "FAIL: $need not found (run make setup)" >&2; exit 1; }
done
if [ ! -f "$root/web/dist/index.html" ] || [ ! -d "$root/web/node_modules/playwright-core" ]; then
    make -C "$root" --no-print-directory web >&2
fi

TMP=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

db=$TMP/demo.sqlite
"$BP" --db "$db" demo >/dev/null

# A commune with households, and a household of another commune.
communes=$("$BP" --db "$db" --json commune list)
commune_code=$(jq -r 'if type == "array" then .[0].code else .items[0].code end' <<<"$communes")
commune_id=$(jq -r 'if type == "array" then .[0].id else .items[0].id end' <<<"$communes")
custodians=$("$BP" --db "$db" --json custodian list)
other=$(jq -r --arg c "$commune_id" '[(if type == "array" then .[] else .items[] end) | select(.commune_id != $c and .commune_id != null)][0].id' <<<"$custodians")

admin_pw="Mat-khau-quan-tri-$RANDOM$RANDOM"
commune_pw="Mat-khau-xa-$RANDOM$RANDOM"
printf '%s\n' "$admin_pw" | "$BP" --db "$db" user add quantri --role admin >/dev/null
printf '%s\n' "$commune_pw" | "$BP" --db "$db" user add canboxa --role commune --commune "$commune_code" >/dev/null
viewer_pw="Mat-khau-xem-$RANDOM$RANDOM"
printf '%s\n' "$viewer_pw" | "$BP" --db "$db" user add nguoixem --role viewer >/dev/null

"$BP" --db "$db" serve --listen 127.0.0.1:0 --static "$root/web/dist" >"$TMP/serve.out" 2>"$TMP/serve.err" &
server=$!
url=""
for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.]*:[0-9]*' "$TMP/serve.out" 2>/dev/null | head -1 || true)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { echo "FAIL: server did not start: $(cat "$TMP/serve.err")" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: server printed no address" >&2; exit 1; }

export BP_URL=$url BP_ADMIN_USER=quantri BP_ADMIN_PASS=$admin_pw \
    BP_COMMUNE_USER=canboxa BP_COMMUNE_PASS=$commune_pw \
    BP_COMMUNE_ID=$commune_id BP_OTHER_CUSTODIAN=$other \
    BP_VIEWER_USER=nguoixem BP_VIEWER_PASS=$viewer_pw
export BP_SCREENSHOT_DIR=${BP_SCREENSHOT_DIR:-$PWD/screenshots}
rc=0
node "$here/run.mjs" || rc=$?
if [ $rc -ne 0 ]; then
    echo "--- server log (last lines)" >&2
    tail -20 "$TMP/serve.err" >&2
fi
exit $rc
