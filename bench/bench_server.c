/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server under wrk (issue 6): on the demo province, requests per
 * second and p99 latency at 64 connections for the cached coverage
 * summary, a list page, a GeoJSON layer, a write (every answered write is
 * then counted in the database), and a small static file from the same
 * server as the upper bound. Targets: coverage >= 20,000 req/s with p99
 * under 10 ms; writes >= 2,000/s without loss. Reports, never asserts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char script[] =
    "set -u\n"
    "bp=$1; quick=$2\n"
    "if ! command -v wrk >/dev/null || ! command -v curl >/dev/null; then\n"
    "  echo 'bench_server: needs wrk and curl (scripts/setup installs "
    "them)'; exit 0; fi\n"
    "d=$(mktemp -d); trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; "
    "rm -rf \"$d\"' EXIT\n"
    "db=$d/demo.sqlite\n"
    "\"$bp\" --db \"$db\" demo >/dev/null\n"
    "\"$bp\" --db \"$db\" user add admin --role admin --generate-password "
    ">/dev/null\n"
    "tok=$(\"$bp\" --db \"$db\" user token admin)\n"
    "mkdir -p \"$d/www\"; printf 'ok\\n' >\"$d/www/small.txt\"\n"
    "port=$((30000 + RANDOM % 20000))\n"
    "\"$bp\" --db \"$db\" serve --listen 127.0.0.1:$port --static "
    "\"$d/www\" --quiet --threads 4 >/dev/null 2>&1 & pid=$!\n"
    "for i in $(seq 1 100); do curl -s -o /dev/null "
    "http://127.0.0.1:$port/api/v1/health && break; sleep 0.1; done\n"
    "commune=$(sqlite3 \"$db\" 'SELECT id FROM commune LIMIT 1')\n"
    "cat >\"$d/post.lua\" <<EOF\n"
    "wrk.method = \"POST\"\n"
    "wrk.body = '{\"name\":\"Bản wrk\",\"commune_id\":\"$commune\"}'\n"
    "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
    "EOF\n"
    "dur=10s; [ \"$quick\" = 1 ] && dur=2s\n"
    "printf '%-34s %12s %10s %10s\\n' 'endpoint (64 connections)' "
    "'req/s' 'p99 ms' 'non-2xx'\n"
    "run() { # NAME PATH [wrk args]\n"
    "  local name=$1 path=$2; shift 2\n"
    "  wrk -t2 -c64 -d$dur --latency -H \"Authorization: Bearer $tok\" "
    "\"$@\" \"http://127.0.0.1:$port$path\" >\"$d/out\" 2>&1\n"
    "  rps=$(awk '/Requests\\/sec/ {print $2}' \"$d/out\")\n"
    "  p99=$(awk '$1 == \"99%\" {v=$2; if (v ~ /us$/) {sub(/us/,\"\",v); "
    "v/=1000} else if (v ~ /ms$/) {sub(/ms/,\"\",v)} else if (v ~ /s$/) "
    "{sub(/s/,\"\",v); v*=1000}; printf \"%.2f\", v}' \"$d/out\")\n"
    "  bad=$(awk '/Non-2xx/ {print $NF}' \"$d/out\")\n"
    "  total=$(awk '/requests in/ {print $1}' \"$d/out\")\n"
    "  printf '%-34s %12s %10s %10s\\n' \"$name\" \"${rps:-?}\" "
    "\"${p99:-?}\" \"${bad:-0}\"\n"
    "}\n"
    "run 'GET /api/v1/coverage (cached)' /api/v1/coverage\n"
    "run 'GET /api/v1/custodians?limit=50' '/api/v1/custodians?limit=50'\n"
    "run 'GET /api/v1/layers/markers' /api/v1/layers/markers\n"
    "before=$(sqlite3 \"$db\" \"SELECT count(*) FROM village WHERE name = "
    "'Bản wrk'\")\n"
    "run 'POST /api/v1/villages (write)' /api/v1/villages -s \"$d/post.lua\"\n"
    "wrote=$total; failed=${bad:-0}\n"
    "run 'GET /small.txt (static, bound)' /small.txt\n"
    "kill -TERM $pid; wait $pid\n"
    "after=$(sqlite3 \"$db\" \"SELECT count(*) FROM village WHERE name = "
    "'Bản wrk'\")\n"
    "echo\n"
    "echo \"writes: $wrote requests, $failed not 2xx, $((after - before)) "
    "rows stored (wrk counts requests cut off at its deadline too)\"\n"
    "echo 'targets: coverage >= 20000 req/s, p99 < 10 ms; writes >= 2000/s'\n";

int main(int argc, char **argv)
{
    const char *bp = getenv("BP_PROGRAM");
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    FILE *f;
    char path[] = "/tmp/bench_server_XXXXXX";
    char cmd[512];
    int fd, rc;

    if (!bp)
        bp = BP_BENCH_PROGRAM;
    fd = mkstemp(path);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        fprintf(stderr, "bench_server: cannot write a script\n");
        return 1;
    }
    fputs(script, f);
    fclose(f);
    printf("# bench_server: the HTTP API under wrk, demo province\n\n");
    fflush(stdout);
    snprintf(cmd, sizeof(cmd), "bash %s '%s' %d", path, bp, quick);
    rc = system(cmd);
    remove(path);
    return rc == 0 ? 0 : 1;
}
