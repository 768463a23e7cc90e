/* SPDX-License-Identifier: MIT */
/*
 * The route table: every endpoint of the API as one row (method, path
 * pattern, handler, what the caller must be, a summary), the router that
 * matches a request against it, and the OpenAPI 3.1 description generated
 * from it, so the description cannot drift from what is served.
 */
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/exchange.h"
#include "bienphong/exchange_campaign.h"
#include "server/server_int.h"
#include "server/server_jobs.h"

/* The five rows of a registry record kind. */
#define RECORD_ROUTES(plural, K, readperm, what)                             \
    {"GET", "/api/v1/" plural, h_rec_list, readperm, K,                      \
     "List " what " (filters, sort, cursor pages)"},                         \
        {"POST", "/api/v1/" plural, h_rec_create, PERM_RECORDS, K,           \
         "Create a record of " what},                                        \
        {"GET", "/api/v1/" plural "/{id}", h_rec_get, readperm, K,           \
         "Get one of " what},                                                \
        {"PATCH", "/api/v1/" plural "/{id}", h_rec_update, PERM_RECORDS, K,  \
         "Change some fields of one of " what},                              \
        {"PUT", "/api/v1/" plural "/{id}", h_rec_update, PERM_RECORDS, K,    \
         "Replace one of " what},                                            \
        {"POST", "/api/v1/" plural "/{id}/end", h_rec_end, PERM_RECORDS, K,  \
         "End one of " what " (records are never deleted)"}

/* The rows of a campaign record kind: list, create, get, update. */
#define CAMP_ROUTES(plural, K, what)                                         \
    {"GET", "/api/v1/" plural, h_camp_list, PERM_RECORDS, K,                 \
     "List " what},                                                          \
        {"POST", "/api/v1/" plural, h_camp_create, PERM_RECORDS, K,          \
         "Create one of " what " (money: whole đồng as JSON integers)"},     \
        {"GET", "/api/v1/" plural "/{id}", h_camp_get, PERM_RECORDS, K,      \
         "Get one of " what},                                                \
        {"PATCH", "/api/v1/" plural "/{id}", h_camp_update, PERM_RECORDS, K, \
         "Change some fields of one of " what}

#define CSV_ROUTES(plural, X, readperm)                                      \
    {"GET", "/api/v1/" plural ".csv", h_export_csv, readperm, X,             \
     "Export " plural " as CSV (UTF-8 with BOM)"},                           \
        {"POST", "/api/v1/" plural "/import", h_import_csv, PERM_ADMIN, X,   \
         "Import " plural " from CSV, all or nothing (?async=1: as a job)"}

/* CSV of a campaign record kind: read and import as the kind's other
 * routes (admins; station and commune users import bamboo, lights and
 * events of their communes). */
#define CAMP_CSV_ROUTES(plural, X)                                           \
    {"GET", "/api/v1/" plural ".csv", h_camp_export_csv, PERM_RECORDS, X,    \
     "Export " plural " as CSV (UTF-8 with BOM; the import's columns)"},     \
        {"POST", "/api/v1/" plural "/import", h_camp_import_csv,             \
         PERM_RECORDS, X,                                                    \
         "Import " plural " from CSV (text/csv, ?encoding=), all or "        \
         "nothing, problems by row and field (?async=1: as a job)"}

const struct route bp__routes[] = {
    {"GET", "/api/v1/health", h_health, PERM_PUBLIC, 0, "Is the server up"},
    {"GET", "/api/v1/openapi.json", h_openapi, PERM_PUBLIC, 0,
     "This description"},
    {"POST", "/api/v1/session", h_session_create, PERM_PUBLIC, 0,
     "Log in: sets the session cookie, returns the CSRF token"},
    {"GET", "/api/v1/session", h_session_get, PERM_VIEW, 0,
     "Who is logged in, and the CSRF token"},
    {"DELETE", "/api/v1/session", h_session_delete, PERM_VIEW, 0, "Log out"},
    {"GET", "/api/v1/tokens", h_tokens_list, PERM_VIEW, 0,
     "Your API tokens (admins: ?all=1 for everyone's)"},
    {"POST", "/api/v1/tokens", h_tokens_create, PERM_VIEW, 0,
     "Make an API token; its secret is shown once"},
    {"POST", "/api/v1/tokens/{id}/end", h_tokens_end, PERM_VIEW, 0,
     "Revoke an API token"},
    RECORD_ROUTES("stations", RK_STATION, PERM_VIEW, "border guard stations"),
    RECORD_ROUTES("communes", RK_COMMUNE, PERM_VIEW, "border communes"),
    RECORD_ROUTES("villages", RK_VILLAGE, PERM_RECORDS, "villages"),
    RECORD_ROUTES("markers", RK_MARKER, PERM_VIEW, "boundary markers"),
    RECORD_ROUTES("custodians", RK_CUSTODIAN, PERM_RECORDS,
                  "custodians (households and collectives)"),
    RECORD_ROUTES("pledges", RK_PLEDGE, PERM_RECORDS, "pledges"),
    CSV_ROUTES("stations", BP_X_STATIONS, PERM_VIEW),
    CSV_ROUTES("communes", BP_X_COMMUNES, PERM_VIEW),
    CSV_ROUTES("villages", BP_X_VILLAGES, PERM_VIEW),
    CSV_ROUTES("markers", BP_X_MARKERS, PERM_VIEW),
    CSV_ROUTES("custodians", BP_X_CUSTODIANS, PERM_ADMIN),
    CSV_ROUTES("pledges", BP_X_PLEDGES, PERM_ADMIN),
    {"GET", "/api/v1/gaps.csv", h_export_csv, PERM_VIEW, BP_X_GAPS,
     "Export the gaps as of a date as CSV"},
    {"GET", "/api/v1/coverage", h_coverage, PERM_VIEW, 0,
     "Km co-managed as of ?as_of=, total, by commune and station"},
    {"GET", "/api/v1/coverage/history", h_coverage_history, PERM_VIEW, 0,
     "Whole-border figures each year ?from=&to= (on ?on=dd/mm, 03/03)"},
    {"GET", "/api/v1/gaps", h_gaps, PERM_VIEW, 0,
     "Stretches nobody has pledged, as of ?as_of="},
    {"GET", "/api/v1/overlaps", h_overlaps, PERM_VIEW, 0,
     "Stretches pledged by several custodians, as of ?as_of="},
    {"GET", "/api/v1/layers/walked", h_layer_walked, PERM_VIEW, 0,
     "GeoJSON map layer: stretches walked by patrols ?from=&to="},
    {"GET", "/api/v1/layers/incidents", h_layer_incidents, PERM_VIEW, 0,
     "GeoJSON map layer: incidents (viewers: kind, time, status only)"},
    {"GET", "/api/v1/layers/roads", h_camp_layer, PERM_VIEW, CK_ROAD,
     "GeoJSON map layer: road projects of the campaign"},
    {"GET", "/api/v1/layers/lights", h_camp_layer, PERM_VIEW, CK_LIGHT,
     "GeoJSON map layer: lights along the patrol road (working_now)"},
    {"GET", "/api/v1/layers/bamboo", h_camp_layer, PERM_VIEW, CK_BAMBOO,
     "GeoJSON map layer: bamboo belt plantings"},
    {"GET", "/api/v1/layers/communes", h_layer_communes, PERM_VIEW, 0,
     "GeoJSON map layer: each commune's stretch of the border (name, "
     "code, station, from/to km)"},
    {"GET", "/api/v1/layers/{id}", h_layer, PERM_VIEW, 0,
     "GeoJSON map layer: border (km ticks), markers, pledges, gaps"},
    {"GET", "/api/v1/patrols", h_patrol_list, PERM_RECORDS, 0,
     "List patrols ?from=&to=&station=&limit=&cursor="},
    {"POST", "/api/v1/patrols", h_patrol_create, PERM_RECORDS, 0,
     "Create a patrol (date, station, kind, participants)"},
    {"POST", "/api/v1/patrols/import", h_patrol_import, PERM_RECORDS, 0,
     "Upload GPS tracks (GPX, GeoJSON, CSV; multipart/form-data, or a raw "
     "body with ?filename=), all or nothing; per-file results (?async=1 or "
     "Prefer: respond-async: 202 and a job to poll)"},
    {"GET", "/api/v1/patrols.csv", h_patrol_export_csv, PERM_RECORDS, 0,
     "Export the patrols you may see as CSV (UTF-8 with BOM) ?from=&to="},
    {"GET", "/api/v1/inspections.csv", h_patrol_export_csv, PERM_RECORDS,
     1, "Export the marker inspections you may see as CSV (UTF-8 with BOM)"},
    {"GET", "/api/v1/incidents.csv", h_patrol_export_csv, PERM_RECORDS, 2,
     "Export the incidents you may see as CSV (UTF-8 with BOM)"},
    {"GET", "/api/v1/jobs", h_job_list, PERM_VIEW, 0,
     "Your jobs (long uploads run asynchronously), newest first; admins: "
     "?all=1 for everyone's"},
    {"GET", "/api/v1/jobs/{id}", h_job_get, PERM_VIEW, 0,
     "A job: state (queued, running, done, failed, cancelled), progress "
     "(files, rows, bytes done of total) and, when finished, the status and "
     "document the upload would have answered"},
    {"GET", "/api/v1/patrols/{id}", h_patrol_get, PERM_RECORDS, 0,
     "One patrol with its tracks, walked stretches and flags"},
    {"POST", "/api/v1/patrols/{id}/approve", h_patrol_approve, PERM_RECORDS,
     0, "Approve a patrol's flagged tracks"},
    {"GET", "/api/v1/patrols/{id}/track.geojson", h_patrol_track,
     PERM_RECORDS, 0, "A patrol's tracks as GeoJSON (with coordTimes)"},
    {"GET", "/api/v1/patrols/{id}/track.gpx", h_patrol_track, PERM_RECORDS,
     1, "A patrol's tracks as GPX 1.1"},
    {"GET", "/api/v1/verify", h_verify, PERM_VIEW, 0,
     "Pledged km verified by patrols ?from=&to=&by=pledge|custodian|"
     "commune|station (viewers: commune, station)"},
    {"GET", "/api/v1/overdue", h_overdue, PERM_VIEW, 0,
     "Pledged stretches and markers not walked or inspected in ?days= "
     "(default 30)"},
    {"GET", "/api/v1/inspections", h_inspection_list, PERM_RECORDS, 0,
     "Marker inspections ?marker=&visits=1&limit=&cursor="},
    {"POST", "/api/v1/inspections", h_inspection_create, PERM_RECORDS, 0,
     "Record a marker inspection (a far GPS fix is flagged)"},
    {"GET", "/api/v1/incidents", h_incident_list, PERM_RECORDS, 0,
     "Incidents, newest first ?status=&limit=&cursor="},
    {"POST", "/api/v1/incidents", h_incident_create, PERM_RECORDS, 0,
     "Report an incident (lon/lat or marker + offset)"},
    {"GET", "/api/v1/incidents/{id}", h_incident_get, PERM_RECORDS, 0,
     "One incident with its status history"},
    {"PATCH", "/api/v1/incidents/{id}", h_incident_update, PERM_RECORDS, 0,
     "Change an incident's status (kept in its history)"},
    {"GET", "/api/v1/reports/review", h_report_review, PERM_VIEW, 0,
     "The review report ?from=&to=&commune=|station=&format=pdf|html|csv|"
     "json&lang=vi|en"},
    CAMP_ROUTES("campaigns", CK_CAMPAIGN, "campaigns (name, period, goals)"),
    CAMP_ROUTES("donors", CK_DONOR, "donors (anonymous: hidden in public)"),
    CAMP_ROUTES("donations", CK_DONATION,
                "donations: promises and receipts (cash, in kind, labour)"),
    CAMP_ROUTES("expenses", CK_EXPENSE,
                "expenses (never more than the cash balance)"),
    {"GET", "/api/v1/roads/progress", h_road_progress, PERM_VIEW, 0,
     "Road progress per project, commune and overall, cost per km "
     "?as_of="},
    CAMP_ROUTES("roads", CK_ROAD, "road projects"),
    {"GET", "/api/v1/roads/{id}/progress", h_camp_children, PERM_RECORDS,
     CK_PROGRESS, "Progress entries of a road project"},
    {"POST", "/api/v1/roads/{id}/progress", h_camp_create, PERM_RECORDS,
     CK_PROGRESS, "Record a stretch built (from_m, to_m, date)"},
    CAMP_ROUTES("bamboo", CK_BAMBOO, "bamboo belt plantings"),
    {"GET", "/api/v1/bamboo/{id}/checks", h_camp_children, PERM_RECORDS,
     CK_BCHECK, "Survival checks of a planting"},
    {"POST", "/api/v1/bamboo/{id}/checks", h_camp_create, PERM_RECORDS,
     CK_BCHECK, "Record a survival check (date, alive)"},
    CAMP_ROUTES("lights", CK_LIGHT, "lights along the patrol road"),
    {"GET", "/api/v1/lights/{id}/checks", h_camp_children, PERM_RECORDS,
     CK_LCHECK, "Checks of a light"},
    {"POST", "/api/v1/lights/{id}/checks", h_camp_create, PERM_RECORDS,
     CK_LCHECK, "Record a check of a light (date, working)"},
    CAMP_ROUTES("events", CK_EVENT, "3 March activities (commune, year)"),
    {"GET", "/api/v1/awards/suggest", h_award_suggest, PERM_RECORDS, 0,
     "Suggested custodians for the next commendations ?as_of=&min_years="
     "&min_km=&min_event_years="},
    CAMP_ROUTES("awards", CK_AWARD, "commendations"),
    CAMP_CSV_ROUTES("donors", BP_CX_DONORS),
    CAMP_CSV_ROUTES("donations", BP_CX_DONATIONS),
    CAMP_CSV_ROUTES("expenses", BP_CX_EXPENSES),
    CAMP_CSV_ROUTES("roads", BP_CX_ROADS),
    CAMP_CSV_ROUTES("bamboo", BP_CX_BAMBOO),
    CAMP_CSV_ROUTES("lights", BP_CX_LIGHTS),
    CAMP_CSV_ROUTES("events", BP_CX_EVENTS),
    CAMP_CSV_ROUTES("awards", BP_CX_AWARDS),
    {"GET", "/api/v1/ledger", h_ledger, PERM_VIEW, 0,
     "The campaign's ledger ?campaign=; ?public=1: the public view "
     "(anonymous donors unnamed), the only view for viewers"},
    {"GET", "/api/v1/users", h_users_list, PERM_ADMIN, 0, "Users"},
    {"POST", "/api/v1/users", h_users_create, PERM_ADMIN, 0,
     "Create a user (a password is generated when none is given)"},
    {"GET", "/api/v1/users/{id}", h_users_get, PERM_ADMIN, 0, "One user"},
    {"PATCH", "/api/v1/users/{id}", h_users_update, PERM_ADMIN, 0,
     "Change a user's role, scope, password or disabled flag"},
    {"POST", "/api/v1/users/{id}/end", h_users_end, PERM_ADMIN, 0,
     "Disable a user"},
    {"GET", "/api/v1/audit", h_audit_list, PERM_ADMIN, 0,
     "The audit log, newest first (?kind=&record_id=&user=&cursor=)"},
};
const size_t bp__nroutes = sizeof(bp__routes) / sizeof(bp__routes[0]);

/* Match `path` against `pattern`, collecting the {id} segments. */
static int match(const char *pattern, const char *path, char *params[2])
{
    const char *p = pattern, *s = path;
    int np = 0;

    while (*p && *s) {
        if (!strncmp(p, "{id}", 4)) {
            size_t n = strcspn(s, "/");
            if (!n || np >= 2)
                goto no;
            params[np] = bp_strndup(s, n);
            if (!params[np])
                goto no;
            np++;
            s += n;
            p += 4;
            continue;
        }
        if (*p != *s)
            goto no;
        p++;
        s++;
    }
    if (!*p && !*s)
        return 1;
no:
    while (np > 0) {
        bp_free(params[--np]);
        params[np] = NULL;
    }
    return 0;
}

unsigned bp__route_match(struct req *r)
{
    unsigned status = 404;
    size_t i;
    char *params[2] = {NULL, NULL};
    /* HEAD is GET without a body. */
    const char *m = strcmp(r->method, "HEAD") ? r->method : "GET";

    for (i = 0; i < bp__nroutes; i++) {
        if (!match(bp__routes[i].pattern, r->path, params))
            continue;
        if (strcmp(bp__routes[i].method, m)) {
            status = 405;
            bp_free(params[0]);
            bp_free(params[1]);
            params[0] = params[1] = NULL;
            continue;
        }
        r->route = &bp__routes[i];
        r->params[0] = params[0];
        r->params[1] = params[1];
        return 0;
    }
    return status;
}

void h_health(struct req *r)
{
    bp__reply_json(r, 200, json_pack("{s:s,s:i}", "status", "ok", "schema",
                                     bp_store_schema_version(r->st)));
}

static const char *perm_text(enum perm p)
{
    switch (p) {
    case PERM_PUBLIC:
        return "anyone";
    case PERM_VIEW:
        return "any user (admin, station, commune, viewer)";
    case PERM_RECORDS:
        return "admin, station and commune users (their communes)";
    default:
        return "admin";
    }
}

static json_t *problem_ref(const char *what)
{
    return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", what, "content",
                     "application/problem+json", "schema", "$ref",
                     "#/components/schemas/Problem");
}

void h_openapi(struct req *r)
{
    json_t *paths, *doc;
    size_t i;

    if (bp__cache_reply(r))
        return;
    paths = json_object();
    for (i = 0; i < bp__nroutes; i++) {
        const struct route *rt = &bp__routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        json_t *op, *responses, *params = json_array();
        char method[8];
        size_t j;

        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        for (j = 0; rt->method[j] && j < sizeof(method) - 1; j++)
            method[j] = (char)(rt->method[j] | 0x20);
        method[j] = 0;
        if (strstr(rt->pattern, "{id}"))
            json_array_append_new(
                params, json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", "id",
                                  "in", "path", "required", 1, "schema",
                                  "type", "string"));
        responses = json_pack("{s:{s:s},s:o,s:o}", "200",
                              "description", "OK", "400",
                              problem_ref("Malformed request"), "422",
                              problem_ref("Invalid data, by field"));
        if (rt->perm != PERM_PUBLIC) {
            json_object_set_new(responses, "401",
                                problem_ref("Not logged in"));
            json_object_set_new(responses, "403",
                                problem_ref("Not allowed for your role"));
        }
        if (strstr(rt->pattern, "{id}"))
            json_object_set_new(responses, "404", problem_ref("Not found"));
        if (rt->fn == h_patrol_import || rt->fn == h_import_csv ||
            rt->fn == h_camp_import_csv)
            json_object_set_new(
                responses, "202",
                json_pack("{s:s}", "description",
                          "Accepted (?async=1 or Prefer: respond-async): "
                          "the job's address is in Location; poll GET "
                          "/api/v1/jobs/{id}"));
        op = json_pack("{s:s,s:s,s:s,s:o,s:o}", "summary", rt->summary,
                       "description", perm_text(rt->perm), "operationId",
                       "", "parameters", params, "responses", responses);
        {
            struct bp_buf id = BP_BUF_INIT;
            const char *p;
            bp_buf_adds(&id, method);
            for (p = rt->pattern + 7; *p; p++)
                bp_buf_addch(&id, strchr("/{}.", *p) ? '_' : *p);
            json_object_set_new(op, "operationId", json_string(id.data));
            bp_buf_release(&id);
        }
        if (rt->perm == PERM_PUBLIC)
            json_object_set_new(op, "security", json_array());
        json_object_set_new(item, method, op);
    }
    doc = json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:{s:{s:s},s:{s:s},"
        "s:{s:s},s:{s:s},s:{s:s},s:{s:s}}}},s:{s:{s:s,s:s,s:s},s:{s:s,s:s}}},"
        "s:[{s:[]},{s:[]}]}",
        "openapi", "3.1.0", "info", "title", "bienphong API", "version",
        "0.1.0", "description",
        "Ngày Biên phòng toàn dân: đường biên, mốc, hộ và tập thể tự quản, "
        "ký nhận, số liệu. All-People Border Guard Day: the border, markers, "
        "custodians, pledges and figures.",
        "servers", "url", "/", "paths", paths, "components", "schemas",
        "Problem", "type", "object", "properties", "type", "type", "string",
        "title", "type", "string", "status", "type", "integer", "detail",
        "type", "string", "instance", "type", "string", "errors", "type",
        "array", "securitySchemes", "cookie", "type", "apiKey", "in",
        "cookie", "name", "bp_session", "bearer", "type", "http", "scheme",
        "bearer", "security", "cookie", "bearer");
    bp__reply_json(r, 200, doc);
    bp__cache_store(r);
}
