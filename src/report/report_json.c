/* SPDX-License-Identifier: MIT */
/*
 * The report's figures as data: JSON (sorted keys, no clock, so the same
 * records give the same bytes) and CSV with one figure per row, UTF-8 with
 * a BOM so spreadsheet programs show the diacritics.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "report/report_int.h"

static const char *scope_name(enum bp_report_scope s)
{
    return s == BP_REPORT_COMMUNE   ? "commune"
           : s == BP_REPORT_STATION ? "station"
                                    : "province";
}

static json_t *jdate(int32_t d)
{
    char s[16];

    return d == BP_DATE_NONE ? json_null()
                             : json_string(bp_date_format_iso(d, s));
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Metres rounded to the millimetre, so the text never shows float noise. */
static json_t *jm(double m)
{
    return json_real(round(m * 1000.0) / 1000.0);
}

static json_t *jfig(const struct bp_cov_figures *f)
{
    double pct = f->length_m > 0 ? 100.0 * f->covered_m / f->length_m : 0;

    return json_pack("{s:o,s:o,s:f,s:I,s:I,s:I,s:I}", "covered_m",
                     jm(f->covered_m), "length_m", jm(f->length_m), "percent",
                     round(pct * 1000.0) / 1000.0, "households",
                     (json_int_t)f->households, "collectives",
                     (json_int_t)f->collectives, "markers_pledged",
                     (json_int_t)f->markers_pledged, "markers_total",
                     (json_int_t)f->markers_total);
}

static json_t *jrows(const struct bp_report_row *v, size_t n, int communes)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < n; i++) {
        json_t *o = jfig(&v[i].fig);
        json_object_set_new(o, "code", jstr(v[i].code));
        json_object_set_new(o, "name", jstr(v[i].name));
        if (communes) {
            json_object_set_new(o, "district", jstr(v[i].parent));
            json_object_set_new(o, "station", jstr(v[i].station_code));
            json_object_set_new(o, "from_m", jm(v[i].from_m));
            json_object_set_new(o, "to_m", jm(v[i].to_m));
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *jpat(const struct bp_report_patrols *p)
{
    json_t *k = json_object(), *st = json_object();
    size_t i;

    for (i = 0; i < BP_REPORT_INC_KINDS; i++)
        json_object_set_new(k, bp_incident_kind_name((enum bp_incident_kind)i),
                            json_integer((json_int_t)p->by_kind[i]));
    for (i = 0; i < BP_REPORT_INC_STATUSES; i++)
        json_object_set_new(
            st, bp_incident_status_name((enum bp_incident_status)i),
            json_integer((json_int_t)p->by_status[i]));
    return json_pack("{s:o,s:o,s:I,s:o,s:o,s:o,s:I,s:I,s:I,s:o,s:o}", "from",
                     jdate(p->from), "to", jdate(p->to), "patrols",
                     (json_int_t)p->patrols, "walked_m", jm(p->walked_m),
                     "pledged_m", jm(p->pledged_m), "verified_m",
                     jm(p->verified_m), "inspections",
                     (json_int_t)p->inspections, "visits",
                     (json_int_t)p->visits, "incidents",
                     (json_int_t)p->incidents, "incidents_by_kind", k,
                     "incidents_by_status", st);
}

static json_t *jev(const struct bp_report_events *e)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "communes",
                     (json_int_t)e->communes, "activities",
                     (json_int_t)e->activities, "participants",
                     (json_int_t)e->participants, "gifts", (json_int_t)e->gifts,
                     "gifts_vnd", (json_int_t)e->gifts_vnd, "funds_vnd",
                     (json_int_t)e->funds_vnd);
}

static json_t *jlane(const struct bp_spanset *s)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < s->n; i++)
        json_array_append_new(
            a, json_pack("[o,o]", jm(s->v[i].from_m), jm(s->v[i].to_m)));
    return json_pack("{s:o,s:o}", "spans", a, "length_m",
                     jm(bp_spanset_length(s)));
}

static json_t *jcampaign(const struct bp_report *r)
{
    const struct bp_report_campaign *c = &r->campaign;
    const struct bp_road_figures *f = &c->roads;

    return json_pack(
        "{s:I,s:o,s:I,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:o,s:o,"
        "s:o,s:f,s:I,s:I,s:I,s:I,s:I,s:I}}",
        "campaigns", (json_int_t)c->campaigns, "name", jstr(c->name),
        "goal_vnd", (json_int_t)c->goal_vnd, "goal_road_m", jm(c->goal_road_m),
        "promised_vnd", (json_int_t)c->total.promised_vnd, "received_vnd",
        (json_int_t)c->total.received_vnd, "cash_vnd",
        (json_int_t)c->total.cash_vnd, "in_kind_vnd",
        (json_int_t)c->total.in_kind_vnd, "labour_vnd",
        (json_int_t)c->total.labour_vnd, "spent_vnd",
        (json_int_t)c->total.spent_vnd, "balance_vnd",
        (json_int_t)c->balance_vnd, "outstanding_vnd",
        (json_int_t)c->outstanding_vnd, "donors", (json_int_t)c->donors,
        "road", "planned_m", jm(f->planned_m), "built_m", jm(f->built_m),
        "goal_m", jm(c->goal_road_m), "share_of_goal",
        c->goal_road_m > 0
            ? round(f->built_m / c->goal_road_m * 1e6) / 1e6
            : 0.0,
        "cost_vnd", (json_int_t)f->cost_vnd, "spent_vnd",
        (json_int_t)f->spent_vnd, "vnd_per_km", (json_int_t)f->vnd_per_km,
        "budget_vnd", (json_int_t)f->budget_vnd, "projects",
        (json_int_t)f->projects, "finished", (json_int_t)f->finished);
}

static json_t *jmodels(const struct bp_report *r)
{
    const struct bp_report_models *m = &r->models;
    json_t *lv = json_object();
    size_t i;

    for (i = 0; i < BP_REPORT_AWARD_LEVELS; i++)
        json_object_set_new(lv, bp_award_level_name((enum bp_award_level)i),
                            json_integer((json_int_t)m->awards_by_level[i]));
    return json_pack(
        "{s:{s:o,s:I,s:I,s:I,s:I},s:{s:I,s:I,s:o},s:o,s:{s:I,s:o}}",
        "bamboo", "planted_m", jm(m->bamboo.planted_m), "clumps_planted",
        (json_int_t)m->bamboo.clumps_planted, "clumps_alive",
        (json_int_t)m->bamboo.clumps_alive, "households",
        (json_int_t)m->bamboo.households, "plantings",
        (json_int_t)m->bamboo.plantings, "lights", "installed",
        (json_int_t)m->lights.installed, "working",
        (json_int_t)m->lights.working, "lit_m", jm(m->lights.lit_m),
        "events", jev(&m->events), "awards", "count",
        (json_int_t)m->awards, "by_level", lv);
}

static json_t *model_json(const struct bp_report *r)
{
    json_t *o = json_object(), *a, *x;
    struct bp_buf b = BP_BUF_INIT;
    size_t i;

    json_object_set_new(
        o, "report",
        json_pack("{s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "from",
                  jdate(r->from), "to", jdate(r->to), "issued_on",
                  jdate(r->issued_on), "lang",
                  r->lang == BP_LANG_VI ? "vi" : "en", "scope",
                  scope_name(r->scope), "scope_code", jstr(r->scope_code),
                  "scope_name", jstr(r->scope_name), "title", jstr(r->title),
                  "issuer", jstr(r->issuer), "place", jstr(r->place)));
    json_object_set_new(
        o, "source",
        json_pack("{s:s,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}}",
                  "records_sha256", r->records_sha256, "border",
                  jstr(r->border_name), "records", "stations",
                  (json_int_t)r->nstations, "communes",
                  (json_int_t)r->ncommunes_all, "markers",
                  (json_int_t)r->nmarkers_all, "custodians",
                  (json_int_t)r->ncustodians_all, "pledges",
                  (json_int_t)r->npledges_all, "patrols",
                  (json_int_t)r->npatrols_all, "inspections",
                  (json_int_t)r->ninspections_all, "incidents",
                  (json_int_t)r->nincidents_all, "campaign",
                  (json_int_t)r->ncampaign_all));
    x = json_object();
    for (i = 0; i < BP_SECTION_COUNT; i++)
        json_object_set_new(x, bp_report_section_name(i),
                            json_boolean(r->section_present[i]));
    json_object_set_new(o, "sections", x);
    x = jfig(&r->headline);
    json_object_set_new(x, "as_of", jdate(r->to));
    if (!bp_report_headline(r, &b))
        json_object_set_new(x, "sentence", json_string(b.data));
    bp_buf_release(&b);
    json_object_set_new(o, "headline", x);
    a = json_array();
    for (i = 0; i < r->nyears; i++) {
        x = jfig(&r->years[i].fig);
        json_object_set_new(x, "year", json_integer(r->years[i].year));
        json_object_set_new(x, "as_of", jdate(r->years[i].as_of));
        json_object_set_new(x, "patrols", jpat(&r->years[i].pat));
        json_object_set_new(x, "events", jev(&r->years[i].ev));
        json_array_append_new(a, x);
    }
    json_object_set_new(o, "years", a);
    json_object_set_new(o, "communes", jrows(r->communes, r->ncommunes, 1));
    json_object_set_new(o, "stations",
                        jrows(r->stations, r->nstations_rows, 0));
    a = json_array();
    for (i = 0; i < r->ngaps; i++) {
        const struct bp_report_gap *g = &r->gaps[i];
        json_array_append_new(
            a,
            json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "from_m", jm(g->from_m),
                      "to_m", jm(g->to_m), "length_m", jm(g->to_m - g->from_m),
                      "marker_before", jstr(g->marker_before), "marker_after",
                      jstr(g->marker_after), "commune", jstr(g->commune_code),
                      "commune_name", jstr(g->commune_name)));
    }
    x = json_pack("{s:o,s:o,s:I,s:o,s:I}", "gaps", a, "gaps_m",
                  jm(r->gaps_m), "overlaps", (json_int_t)r->noverlaps,
                  "overlaps_m", jm(r->overlaps_m), "markers_unpledged",
                  (json_int_t)r->markers_unpledged);
    a = json_array();
    for (i = 0; i < r->noverdue; i++) {
        const struct bp_report_overdue *v = &r->overdue[i];
        json_array_append_new(
            a, json_pack("{s:o,s:o,s:o,s:o}", "from_m", jm(v->from_m), "to_m",
                         jm(v->to_m), "last_walked", jdate(v->last_day),
                         "commune", jstr(v->commune_code)));
    }
    json_object_set_new(x, "overdue_days", json_integer(r->overdue_days));
    json_object_set_new(x, "overdue", a);
    json_object_set_new(x, "overdue_m", jm(r->overdue_m));
    a = json_array();
    for (i = 0; i < r->nmarkers_due; i++) {
        const struct bp_report_marker_due *v = &r->markers_due[i];
        json_array_append_new(
            a, json_pack("{s:s,s:o,s:o,s:o}", "number", v->number,
                         "measure_m", jm(v->measure_m), "last_inspected",
                         jdate(v->last_day), "commune",
                         jstr(v->commune_code)));
    }
    json_object_set_new(x, "markers_overdue", a);
    json_object_set_new(o, "shortcomings", x);
    json_object_set_new(o, "patrols", jpat(&r->patrols));
    json_object_set_new(o, "campaign", jcampaign(r));
    json_object_set_new(o, "models", jmodels(r));
    a = json_array();
    for (i = 0; i < r->covered.n; i++)
        json_array_append_new(a, json_pack("[o,o]", jm(r->covered.v[i].from_m),
                                           jm(r->covered.v[i].to_m)));
    x = json_array();
    for (i = 0; i < r->nmarkers; i++)
        json_array_append_new(
            x, json_pack("{s:s,s:o,s:b,s:b}", "number", r->markers[i].number,
                         "measure_m", jm(r->markers[i].measure_m), "main",
                         r->markers[i].main, "pledged", r->markers[i].pledged));
    json_object_set_new(
        o, "diagram",
        json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "from_m",
                  jm(r->scope_from_m), "to_m", jm(r->scope_to_m), "pledged",
                  a, "markers", x, "walked", jlane(&r->walked), "road",
                  jlane(&r->road), "lit", jlane(&r->lit), "bamboo",
                  jlane(&r->bamboo)));
    return o;
}

int bp_report_json(const struct bp_report *r, struct bp_buf *out,
                   struct bp_error *err)
{
    json_t *o;
    char *s;
    int rc = 0;

    if (!r || !out)
        return bp_error_set(err, BP_EINVAL, "no report");
    o = model_json(r);
    s = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS |
                              JSON_REAL_PRECISION(15))
          : NULL;
    if (!s || bp_buf_adds(out, s) || bp_buf_addch(out, '\n'))
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
    free(s);
    json_decref(o);
    return rc;
}

/* One CSV field, quoted when it needs to be. */
static int field(struct bp_buf *b, const char *s, int last)
{
    int rc = 0;

    if (s && strpbrk(s, ",\"\r\n")) {
        rc |= bp_buf_addch(b, '"');
        for (; *s; s++)
            rc |= *s == '"' ? bp_buf_adds(b, "\"\"") : bp_buf_addch(b, *s);
        rc |= bp_buf_addch(b, '"');
    } else if (s) {
        rc |= bp_buf_adds(b, s);
    }
    rc |= bp_buf_adds(b, last ? "\r\n" : ",");
    return rc ? BP_ENOMEM : 0;
}

struct csvctx {
    struct bp_buf *b;
    const char *section, *code, *name;
    int year;
    int32_t as_of;
    int rc;
};

static void put(struct csvctx *c, const char *figure, double v,
                const char *unit)
{
    char y[16] = "", d[16] = "", val[40];

    if (c->year)
        snprintf(y, sizeof(y), "%d", c->year);
    if (c->as_of != BP_DATE_NONE)
        bp_date_format_iso(c->as_of, d);
    /* Machine-readable values: point decimals, no grouping. */
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(val, sizeof(val), "%.0f", v);
    else
        snprintf(val, sizeof(val), "%.3f", v);
    c->rc |= field(c->b, c->section, 0) | field(c->b, c->code, 0) |
             field(c->b, c->name, 0) | field(c->b, y, 0) | field(c->b, d, 0) |
             field(c->b, figure, 0) | field(c->b, val, 0) |
             field(c->b, unit, 1);
}

static void put_fig(struct csvctx *c, const struct bp_cov_figures *f)
{
    put(c, "covered_km", f->covered_m / 1000.0, "km");
    put(c, "length_km", f->length_m / 1000.0, "km");
    put(c, "percent",
        round((f->length_m > 0 ? 100.0 * f->covered_m / f->length_m : 0) *
              1000.0) /
            1000.0,
        "%");
    put(c, "households", (double)f->households, "");
    put(c, "collectives", (double)f->collectives, "");
    put(c, "markers_pledged", (double)f->markers_pledged, "");
    put(c, "markers_total", (double)f->markers_total, "");
}

static void put_pat(struct csvctx *c, const struct bp_report_patrols *p)
{
    char k[64];
    size_t i;

    put(c, "patrols", (double)p->patrols, "");
    put(c, "walked_km", p->walked_m / 1000.0, "km");
    put(c, "pledged_km", p->pledged_m / 1000.0, "km");
    put(c, "verified_km", p->verified_m / 1000.0, "km");
    put(c, "inspections", (double)p->inspections, "");
    put(c, "visits", (double)p->visits, "");
    put(c, "incidents", (double)p->incidents, "");
    for (i = 0; i < BP_REPORT_INC_KINDS; i++) {
        snprintf(k, sizeof(k), "incidents_%s",
                 bp_incident_kind_name((enum bp_incident_kind)i));
        put(c, k, (double)p->by_kind[i], "");
    }
    for (i = 0; i < BP_REPORT_INC_STATUSES; i++) {
        snprintf(k, sizeof(k), "incidents_%s",
                 bp_incident_status_name((enum bp_incident_status)i));
        put(c, k, (double)p->by_status[i], "");
    }
}

static void put_ev(struct csvctx *c, const struct bp_report_events *e)
{
    put(c, "event_communes", (double)e->communes, "");
    put(c, "event_activities", (double)e->activities, "");
    put(c, "event_participants", (double)e->participants, "");
    put(c, "event_gifts", (double)e->gifts, "");
    put(c, "event_gifts_vnd", (double)e->gifts_vnd, "VND");
    put(c, "event_funds_vnd", (double)e->funds_vnd, "VND");
}

int bp_report_csv(const struct bp_report *r, struct bp_buf *out,
                  struct bp_error *err)
{
    struct csvctx c = {out, "headline", NULL, NULL, 0, BP_DATE_NONE, 0};
    size_t i;

    if (!r || !out)
        return bp_error_set(err, BP_EINVAL, "no report");
    c.rc |= bp_buf_adds(out, "\xEF\xBB\xBF"
                             "section,scope_code,scope_name,year,as_of,"
                             "figure,value,unit\r\n");
    c.code = r->scope_code;
    c.name = r->scope_name;
    c.as_of = r->to;
    put_fig(&c, &r->headline);
    c.section = "year";
    for (i = 0; i < r->nyears; i++) {
        c.year = r->years[i].year;
        c.as_of = r->years[i].as_of;
        put_fig(&c, &r->years[i].fig);
    }
    c.year = 0;
    c.as_of = r->to;
    c.section = "commune";
    for (i = 0; i < r->ncommunes; i++) {
        c.code = r->communes[i].code;
        c.name = r->communes[i].name;
        put_fig(&c, &r->communes[i].fig);
    }
    c.section = "station";
    for (i = 0; i < r->nstations_rows; i++) {
        c.code = r->stations[i].code;
        c.name = r->stations[i].name;
        put_fig(&c, &r->stations[i].fig);
    }
    c.section = "shortcomings";
    c.code = r->scope_code;
    c.name = r->scope_name;
    put(&c, "gaps", (double)r->ngaps, "");
    put(&c, "gaps_km", r->gaps_m / 1000.0, "km");
    put(&c, "overlaps", (double)r->noverlaps, "");
    put(&c, "overlaps_km", r->overlaps_m / 1000.0, "km");
    put(&c, "markers_unpledged", (double)r->markers_unpledged, "");
    put(&c, "overdue_stretches", (double)r->noverdue, "");
    put(&c, "overdue_km", r->overdue_m / 1000.0, "km");
    put(&c, "markers_overdue", (double)r->nmarkers_due, "");
    put(&c, "overdue_days", (double)r->overdue_days, "days");
    c.section = "patrols";
    put_pat(&c, &r->patrols);
    c.section = "patrols_year";
    for (i = 0; i < r->nyears; i++) {
        c.year = r->years[i].year;
        c.as_of = r->years[i].as_of;
        put_pat(&c, &r->years[i].pat);
    }
    c.section = "events_year";
    for (i = 0; i < r->nyears; i++) {
        c.year = r->years[i].year;
        c.as_of = BP_DATE_NONE;
        put_ev(&c, &r->years[i].ev);
    }
    c.year = 0;
    c.as_of = r->to;
    c.section = "campaign";
    put(&c, "campaigns", (double)r->campaign.campaigns, "");
    put(&c, "goal_vnd", (double)r->campaign.goal_vnd, "VND");
    put(&c, "promised_vnd", (double)r->campaign.total.promised_vnd, "VND");
    put(&c, "received_vnd", (double)r->campaign.total.received_vnd, "VND");
    put(&c, "cash_vnd", (double)r->campaign.total.cash_vnd, "VND");
    put(&c, "in_kind_vnd", (double)r->campaign.total.in_kind_vnd, "VND");
    put(&c, "labour_vnd", (double)r->campaign.total.labour_vnd, "VND");
    put(&c, "spent_vnd", (double)r->campaign.total.spent_vnd, "VND");
    put(&c, "balance_vnd", (double)r->campaign.balance_vnd, "VND");
    put(&c, "outstanding_vnd", (double)r->campaign.outstanding_vnd, "VND");
    put(&c, "road_goal_km", r->campaign.goal_road_m / 1000.0, "km");
    put(&c, "road_planned_km", r->campaign.roads.planned_m / 1000.0, "km");
    put(&c, "road_built_km", r->campaign.roads.built_m / 1000.0, "km");
    put(&c, "road_cost_vnd", (double)r->campaign.roads.cost_vnd, "VND");
    put(&c, "vnd_per_km", (double)r->campaign.roads.vnd_per_km, "VND/km");
    c.section = "models";
    put(&c, "bamboo_km", r->models.bamboo.planted_m / 1000.0, "km");
    put(&c, "bamboo_clumps_planted", (double)r->models.bamboo.clumps_planted,
        "");
    put(&c, "bamboo_clumps_alive", (double)r->models.bamboo.clumps_alive, "");
    put(&c, "lights_installed", (double)r->models.lights.installed, "");
    put(&c, "lights_working", (double)r->models.lights.working, "");
    put(&c, "lit_km", r->models.lights.lit_m / 1000.0, "km");
    put_ev(&c, &r->models.events);
    put(&c, "awards", (double)r->models.awards, "");
    for (i = 0; i < BP_REPORT_AWARD_LEVELS; i++) {
        char k[64];
        snprintf(k, sizeof(k), "awards_%s",
                 bp_award_level_name((enum bp_award_level)i));
        put(&c, k, (double)r->models.awards_by_level[i], "");
    }
    c.section = "gap";
    for (i = 0; i < r->ngaps; i++) {
        c.code = r->gaps[i].commune_code;
        c.name = r->gaps[i].commune_name;
        put(&c, "from_km", r->gaps[i].from_m / 1000.0, "km");
        put(&c, "to_km", r->gaps[i].to_m / 1000.0, "km");
    }
    if (c.rc)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    return 0;
}
