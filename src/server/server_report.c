/* SPDX-License-Identifier: MIT */
/*
 * The review report over HTTP: the report of a period for the province, a
 * commune or a station, built and rendered in the worker that asked (one
 * rendering at a time: pango and fontconfig share caches) and sent as a
 * file with its type and name. Station and commune users may ask for the
 * province's figures (aggregates, as viewers) and for their own communes.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/report.h"
#include "server/server_int.h"

static pthread_mutex_t render_mu = PTHREAD_MUTEX_INITIALIZER;
static int rendered; /* under render_mu */

void bp__report_quit(void)
{
    pthread_mutex_lock(&render_mu);
    if (rendered)
        bp_report_shutdown();
    rendered = 0;
    pthread_mutex_unlock(&render_mu);
}

static void bad_query(struct req *r, const char *name, const char *detail)
{
    bp__problem(r, 400, "bad-query", "Tham số không hợp lệ",
                "Bad query parameter", detail,
                json_pack("[o]", bp__field_error(name, 0, detail)));
}

/* Whether a scoped user may have the report of `commune` or `station`;
 * 0, or replied (404 for a scope not theirs, as if absent). */
static int scope_allowed(struct req *r, const char *commune,
                         const char *station)
{
    struct bp_error err = {0};
    struct bp_commune *cm = NULL;
    const char **ids = NULL;
    size_t n = 0, i, k = 0;
    unsigned st = 0;
    int rc = 0;

    if (r->who.role != BP_ROLE_STATION && r->who.role != BP_ROLE_COMMUNE)
        return 0;
    if (!commune && !station)
        return 0;
    if (bp_store_commune_list(r->st, &cm, &n, &err)) {
        bp__problem_err(r, &err);
        return -1;
    }
    ids = bp_calloc(n + 1, sizeof(*ids));
    if (!ids) {
        rc = -1;
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    "out of memory", NULL);
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (commune && (!strcmp(cm[i].id, commune) ||
                        (cm[i].code && !strcmp(cm[i].code, commune))))
            ids[k++] = cm[i].id;
        if (station && cm[i].station_id[0]) {
            struct bp_station s = {0};
            if (!bp_store_station_get(r->st, station, &s, &err) &&
                !strcmp(s.id, cm[i].station_id))
                ids[k++] = cm[i].id;
            bp_station_release(&s);
        }
    }
    /* A station's report: all its communes must be the user's. */
    st = k ? bp__policy_multi(&r->who, ids, k, 1) : 404;
    if (st) {
        rc = -1;
        if (st == 404)
            bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                        commune ? "no such commune" : "no such station",
                        NULL);
        else
            bp__problem(r, 403, "forbidden", "Không được phép", "Forbidden",
                        "the station covers communes outside your scope",
                        NULL);
    }
out:
    bp_free(ids);
    bp_store_commune_list_free(cm, n);
    return rc;
}

void h_report_review(struct req *r)
{
    const char *from = bp__query(r, "from"), *to = bp__query(r, "to");
    const char *commune = bp__query(r, "commune");
    const char *station = bp__query(r, "station");
    const char *format = bp__query(r, "format");
    const char *lang = bp__query(r, "lang");
    struct bp_report_options o;
    struct bp_report *rep = NULL;
    struct bp_buf buf = BP_BUF_INIT, disp = BP_BUF_INIT;
    struct bp_error err = {0};
    const char *ctype;
    char d1[16], d2[16];
    int rc;

    bp_report_options_init(&o);
    if (!from || bp_date_parse(from, &o.from)) {
        bad_query(r, "from", "required: a date (yyyy-mm-dd or dd/mm/yyyy)");
        return;
    }
    if (!to || bp_date_parse(to, &o.to)) {
        bad_query(r, "to", "required: a date (yyyy-mm-dd or dd/mm/yyyy)");
        return;
    }
    if (o.from > o.to) {
        bad_query(r, "from", "from must be on or before to");
        return;
    }
    if (commune && station) {
        bad_query(r, "commune", "give commune or station, not both");
        return;
    }
    if (!format)
        format = "pdf";
    if (!strcmp(format, "pdf"))
        ctype = "application/pdf";
    else if (!strcmp(format, "html"))
        ctype = "text/html; charset=utf-8";
    else if (!strcmp(format, "csv"))
        ctype = "text/csv; charset=utf-8";
    else if (!strcmp(format, "json"))
        ctype = "application/json";
    else {
        bad_query(r, "format", "expected pdf, html, csv or json");
        return;
    }
    if (lang && strcmp(lang, "vi") && strcmp(lang, "en")) {
        bad_query(r, "lang", "expected vi or en");
        return;
    }
    o.lang = lang && !strcmp(lang, "en") ? BP_LANG_EN : BP_LANG_VI;
    o.scope = commune   ? BP_REPORT_COMMUNE
              : station ? BP_REPORT_STATION
                        : BP_REPORT_PROVINCE;
    o.scope_ref = commune ? commune : station;
    if (scope_allowed(r, commune, station))
        return;
    pthread_mutex_lock(&render_mu);
    rendered = 1;
    rc = bp_report_build(r->st, &o, &rep, &err);
    if (!rc) {
        if (!strcmp(format, "pdf"))
            rc = bp_report_pdf(rep, &buf, &err);
        else if (!strcmp(format, "html"))
            rc = bp_report_html(rep, &buf, &err);
        else if (!strcmp(format, "csv"))
            rc = bp_report_csv(rep, &buf, &err);
        else
            rc = bp_report_json(rep, &buf, &err);
    }
    pthread_mutex_unlock(&render_mu);
    if (rc) {
        /* An unknown commune or station named in the query. */
        if (err.code == BP_ENOTFOUND && o.scope_ref)
            bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                        err.message, NULL);
        else
            bp__problem_err(r, &err);
        goto out;
    }
    bp__reply_text(r, 200, ctype, buf.data, buf.len);
    bp_buf_addf(&disp, "%s; filename=\"bao-cao-so-ket-%s-%s",
                strcmp(format, "html") ? "attachment" : "inline",
                bp_date_format_iso(o.from, d1), bp_date_format_iso(o.to, d2));
    if (rep->scope_code) {
        const char *p;
        /* Only safe characters of the scope's code go into a header. */
        bp_buf_addch(&disp, '-');
        for (p = rep->scope_code; *p; p++)
            if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_')
                bp_buf_addch(&disp, *p);
    }
    bp_buf_addf(&disp, ".%s\"", format);
    r->disposition = bp_buf_take(&disp, NULL);
out:
    bp_buf_release(&buf);
    bp_buf_release(&disp);
    bp_report_free(rep);
}
