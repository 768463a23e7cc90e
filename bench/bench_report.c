/* SPDX-License-Identifier: MIT */
/*
 * Times the five-year review report of the demo province (issue 8: under
 * 2 s to PDF): building the model from the store, then each rendering
 * (JSON, CSV, HTML with inline SVG, A4 PDF), best and median of a few
 * runs on a temporary database made with the demo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchlib.h"
#include "bienphong/date.h"
#include "bienphong/demo.h"
#include "bienphong/report.h"
#include "bienphong/store.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

enum step { BUILD, JSON, CSV, HTML, PDF, ALL, NSTEP };

int main(int argc, char **argv)
{
    static const char *const names[NSTEP] = {
        "model from the store", "JSON",     "CSV",
        "HTML (inline SVG)",    "PDF (A4)", "model + PDF (the command's work)"};
    static const char *const head[] = {"step", "best", "median", "output"};
    double t[NSTEP][16];
    size_t out_len[NSTEP] = {0};
    struct bench_table tab;
    struct bp_store *st = NULL;
    struct bp_error err = {0};
    struct bp_report_options o;
    char path[128], a[64], b[64], c[64], n[48];
    int runs = argc > 1 && !strcmp(argv[1], "--quick") ? 2 : 7, i, s;

    snprintf(path, sizeof(path), "/tmp/bp_bench_report_%ld.sqlite",
             (long)getpid());
    unlink(path);
    if (bp_store_open(path, &st, &err) || bp_demo_province(st, NULL, &err)) {
        fprintf(stderr, "bench_report: %s\n", err.message);
        return 1;
    }
    bp_report_options_init(&o);
    o.from = bp_date_from_ymd(2019, 3, 3);
    o.to = bp_date_from_ymd(2024, 3, 3);
    o.issued_on = o.to;
    for (i = 0; i < runs; i++) {
        struct bp_report *r = NULL;
        struct bp_buf buf = BP_BUF_INIT;
        double t0 = bench_now_s(), t1;
        if (bp_report_build(st, &o, &r, &err)) {
            fprintf(stderr, "bench_report: %s\n", err.message);
            return 1;
        }
        t1 = bench_now_s();
        t[BUILD][i] = t1 - t0;
        for (s = JSON; s <= PDF; s++) {
            double u0 = bench_now_s();
            int rc = s == JSON   ? bp_report_json(r, &buf, &err)
                     : s == CSV  ? bp_report_csv(r, &buf, &err)
                     : s == HTML ? bp_report_html(r, &buf, &err)
                                 : bp_report_pdf(r, &buf, &err);
            t[s][i] = bench_now_s() - u0;
            if (rc) {
                fprintf(stderr, "bench_report: %s\n", err.message);
                return 1;
            }
            out_len[s] = buf.len;
            bench_sink += (double)buf.len;
            bp_buf_setlen(&buf, 0);
        }
        t[ALL][i] = t[BUILD][i] + t[PDF][i];
        bp_buf_release(&buf);
        bp_report_free(r);
    }
    printf("## Review report 2019–2024 of the demo province (%d runs)\n\n",
           runs);
    bench_print_machine(stdout);
    bench_table_init(&tab, head, 4);
    for (s = 0; s < NSTEP; s++) {
        qsort(t[s], (size_t)runs, sizeof(double), cmp);
        snprintf(a, sizeof(a), "%.1f ms", t[s][0] * 1e3);
        snprintf(b, sizeof(b), "%.1f ms", t[s][runs / 2] * 1e3);
        if (out_len[s])
            snprintf(c, sizeof(c), "%s bytes",
                     bench_fmt_count((double)out_len[s], n, sizeof(n)));
        else
            snprintf(c, sizeof(c), "—");
        bench_table_row(&tab, names[s], a, b, c);
    }
    bench_table_print(&tab, stdout);
    printf("\nTarget: model + PDF under 2 s (issue 8): %s.\n",
           t[ALL][runs / 2] < 2.0 ? "met" : "NOT met");
    bp_store_close(st);
    unlink(path);
    bp_report_shutdown();
    return 0;
}
