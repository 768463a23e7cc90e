# SPDX-License-Identifier: MIT
# Helpers for integration tests: a temporary folder cleaned up on exit,
# and checks that print both values when they fail.
set -u
: "${BP:?BP must point at the bienphong program}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export BIENPHONG_LANG=vi
unset BIENPHONG_DB
fails=0
checks=0

ok() { checks=$((checks + 1)); }
fail() {
    checks=$((checks + 1))
    fails=$((fails + 1))
    printf 'FAIL: %s\n' "$*" >&2
}
# expect_eq WHAT GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}
# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
    case "$2" in
    *"$3"*) ok ;;
    *) fail "$1: '$3' not in: $2" ;;
    esac
}
# expect_near WHAT GOT WANT TOL
expect_near() {
    if awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN{d=g-w; if(d<0)d=-d; exit !(d<=t)}'; then
        ok
    else
        fail "$1: got $2, want $3 ± $4"
    fi
}
# expect_status WHAT WANT CMD...
expect_status() {
    local what=$1 want=$2
    shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" = "$want" ]; then ok; else
        fail "$what: exit $got, want $want; stderr: $(cat "$TMP/err")"
    fi
}
finish() {
    printf '%d passed, %d failed\n' $((checks - fails)) "$fails"
    [ "$fails" -eq 0 ]
}
