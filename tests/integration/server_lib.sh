# SPDX-License-Identifier: MIT
# Helpers for the server's integration tests (sourced after lib.sh): start
# the real server on a random loopback port with a temporary database,
# call it with curl (cookie jars, CSRF header, bearer tokens), stop it.

# make_db DB: the demo province and an admin whose password is "adminpw".
make_db() {
    "$BP" --db "$1" demo >/dev/null || { echo "demo failed" >&2; exit 1; }
    echo adminpw | "$BP" --db "$1" user add admin --role admin >/dev/null ||
        { echo "user add failed" >&2; exit 1; }
}

# start_server DB [serve options...]: sets PORT, SRV_PID, BASE.
# Users for the roles of a demo database: st (station BN), co (commune
# 06043), vi (viewer); an API token for each and for admin in TOKEN[role].
declare -A TOKEN
role_tokens() {
    "$BP" --db "$1" user add st --role station --station BN --generate-password >/dev/null
    "$BP" --db "$1" user add co --role commune --commune 06043 --generate-password >/dev/null
    "$BP" --db "$1" user add vi --role viewer --generate-password >/dev/null
    TOKEN[admin]=$("$BP" --db "$1" user token admin)
    TOKEN[station]=$("$BP" --db "$1" user token st)
    TOKEN[commune]=$("$BP" --db "$1" user token co)
    TOKEN[viewer]=$("$BP" --db "$1" user token vi)
}

start_server() {
    local db=$1 try
    shift
    for try in 1 2 3 4 5; do
        PORT=$((20000 + RANDOM % 30000))
        "$BP" --db "$db" serve --listen "127.0.0.1:$PORT" "$@" \
            >"$TMP/serve.out" 2>"$TMP/serve.log" &
        SRV_PID=$!
        BASE="http://127.0.0.1:$PORT"
        local i
        for i in $(seq 1 100); do
            if curl -s -o /dev/null "$BASE/api/v1/health"; then
                return 0
            fi
            if ! kill -0 "$SRV_PID" 2>/dev/null; then
                break
            fi
            sleep 0.1
        done
        kill "$SRV_PID" 2>/dev/null
        wait "$SRV_PID" 2>/dev/null
    done
    echo "server did not start: $(cat "$TMP/serve.log")" >&2
    exit 1
}

# stop_server: SIGTERM and wait; sets SRV_RC.
stop_server() {
    kill -TERM "$SRV_PID"
    wait "$SRV_PID"
    SRV_RC=$?
    if [ "$SRV_RC" != 0 ]; then
        grep -v '^[0-9-]*T[0-9:]*Z ' "$TMP/serve.log" | head -60 >&2
    fi
}

# req JAR METHOD PATH [BODY [CONTENT_TYPE]]: STATUS, body in $TMP/body,
# headers in $TMP/headers. JAR "-" for none; CSRF sent when $CSRF is set
# and BEARER as a bearer token when set.
req() {
    local jar=$1 method=$2 path=$3 body=${4-} ctype=${5:-application/json}
    local args=(-s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}'
                -X "$method")
    if [ "$jar" != "-" ]; then
        args+=(-b "$jar" -c "$jar")
    fi
    if [ -n "${CSRF-}" ]; then
        args+=(-H "X-CSRF-Token: $CSRF")
    fi
    if [ -n "${BEARER-}" ]; then
        args+=(-H "Authorization: Bearer $BEARER")
    fi
    if [ $# -ge 4 ]; then
        args+=(-H "Content-Type: $ctype" --data-binary "$body")
    fi
    STATUS=$(curl "${args[@]}" "$BASE$path")
    BODY=$(cat "$TMP/body")
}

# login JAR NAME PASSWORD: sets CSRF (the session's token).
login() {
    CSRF= BEARER= req "$1" POST /api/v1/session \
        "{\"name\":\"$2\",\"password\":\"$3\"}"
    if [ "$STATUS" != 201 ]; then
        echo "login $2 failed: $STATUS $BODY" >&2
        exit 1
    fi
    CSRF=$(jq -r .csrf_token "$TMP/body")
}

# jqb FILTER: apply jq to the last body.
jqb() { jq -r "$1" "$TMP/body"; }
