/* SPDX-License-Identifier: MIT */
/*
 * GPX 1.0 and 1.1 read with expat into a struct bp_track, ISO 8601 times,
 * and GPX 1.1 written back. The reader is a small state machine over
 * element local names, so namespace prefixes, <extensions> and elements
 * it does not know (Garmin's, OsmAnd's) pass without effect.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/gpx.h"

void bp_track_init(struct bp_track *t)
{
    memset(t, 0, sizeof(*t));
}

void bp_track_release(struct bp_track *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->nwpt; i++)
        bp_free(t->wpt[i].name);
    bp_free(t->wpt);
    bp_free(t->fix);
    bp_free(t->seg);
    bp_free(t->name);
    memset(t, 0, sizeof(*t));
}

int bp_track_new_segment(struct bp_track *t)
{
    if (t->nseg && t->seg[t->nseg - 1] == t->n)
        return 0; /* the open segment is still empty */
    if (t->nseg == t->segcap) {
        size_t cap = t->segcap ? 2 * t->segcap : 4;
        size_t *v = bp_reallocarray(t->seg, cap, sizeof(*v));
        if (!v)
            return BP_ENOMEM;
        t->seg = v;
        t->segcap = cap;
    }
    t->seg[t->nseg++] = t->n;
    return 0;
}

int bp_track_add(struct bp_track *t, const struct bp_fix *f)
{
    if (!t->nseg && bp_track_new_segment(t))
        return BP_ENOMEM;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        struct bp_fix *v = bp_reallocarray(t->fix, cap, sizeof(*v));
        if (!v)
            return BP_ENOMEM;
        t->fix = v;
        t->cap = cap;
    }
    t->fix[t->n++] = *f;
    return 0;
}

/* Parse `n` digits at s into *v; 0 when they are not all digits. */
static int digits(const char *s, int n, int *v)
{
    int i, x = 0;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = 10 * x + (s[i] - '0');
    }
    *v = x;
    return 1;
}

int bp_time_parse(const char *s, size_t len, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 1;
    int64_t frac = 0, v;
    const char *e;
    size_t i, ndig = 0;

    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    for (i = 0; i < len && isdigit((unsigned char)s[i]); i++)
        ndig++;
    if (ndig == len && (len == 10 || len == 13)) {
        /* Unix seconds or milliseconds, as phone apps sometimes write. */
        v = 0;
        for (i = 0; i < len; i++)
            v = 10 * v + (s[i] - '0');
        *ms = len == 10 ? v * 1000 : v;
        return 0;
    }
    e = s + len;
    if (len < 10 || !digits(s, 4, &y) || s[4] != '-' ||
        !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
        !bp_date_valid(y, mo, d))
        return BP_EPARSE;
    s += 10;
    if (s < e && (*s == 'T' || *s == 't' || *s == ' ')) {
        s++;
        if (e - s < 5 || !digits(s, 2, &h) || s[2] != ':' ||
            !digits(s + 3, 2, &mi))
            return BP_EPARSE;
        s += 5;
        if (s < e && *s == ':') {
            if (e - s < 3 || !digits(s + 1, 2, &sec))
                return BP_EPARSE;
            s += 3;
            if (s < e && (*s == '.' || *s == ',')) {
                int nd = 0;
                s++;
                while (s < e && isdigit((unsigned char)*s)) {
                    if (nd < 3)
                        frac = 10 * frac + (*s - '0');
                    nd++, s++;
                }
                if (!nd)
                    return BP_EPARSE;
                for (; nd < 3; nd++)
                    frac *= 10;
            }
        }
        if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi || sec)))
            return BP_EPARSE;
        if (s < e && (*s == 'Z' || *s == 'z')) {
            s++;
        } else if (s < e && (*s == '+' || *s == '-')) {
            sign = *s == '-' ? -1 : 1;
            s++;
            if (e - s < 2 || !digits(s, 2, &oh))
                return BP_EPARSE;
            s += 2;
            if (s < e && *s == ':')
                s++;
            if (e - s >= 2 && digits(s, 2, &om))
                s += 2;
            if (oh > 14 || om > 59)
                return BP_EPARSE;
        }
    }
    if (s != e)
        return BP_EPARSE;
    v = (int64_t)bp_date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 +
        sec - sign * (oh * 3600 + om * 60);
    *ms = v * 1000 + frac;
    return 0;
}

char *bp_time_format(int64_t ms, char *out)
{
    int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int64_t r = ms - s * 1000;
    int64_t day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    int64_t sod = s - day * 86400;
    int y, mo, d;

    bp_date_to_ymd((int32_t)day, &y, &mo, &d);
    if (r)
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d,
                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
                 (int)r);
    else
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d,
                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    return out;
}

/*
 * strtod() for the plain decimals GPS files are made of ("21.6543210",
 * "-5", "400.0"), several times faster: digits into an integer, then one
 * division by a power of ten, which is exact when both are below 2^53 and
 * 1e22 (Clinger's fast path), so the result is the same double strtod()
 * gives. Anything else (exponents, long mantissas, spaces first, hex,
 * "inf") goes to strtod(). Sets *end as strtod() does.
 */
static double num_parse(const char *s, char **end)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                 1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *c = s;
    uint64_t m = 0;
    int neg = 0, nd = 0, nf = 0;
    double v;

    if (*c == '-')
        neg = 1, c++;
    while (*c >= '0' && *c <= '9')
        m = 10 * m + (uint64_t)(*c++ - '0'), nd++;
    if (*c == '.') {
        c++;
        while (*c >= '0' && *c <= '9')
            m = 10 * m + (uint64_t)(*c++ - '0'), nd++, nf++;
    }
    if (!nd || nd > 15 || *c == 'e' || *c == 'E' || *c == 'x' ||
        *c == 'X')
        return strtod(s, end);
    v = (double)m / p10[nf];
    *end = (char *)(uintptr_t)c;
    return neg ? -v : v;
}

/* What the character data being collected belongs to. */
enum field { F_NONE = 0, F_TIME, F_ELE, F_HDOP, F_SAT, F_NAME };
enum kind { K_NONE = 0, K_TRKPT, K_RTEPT, K_WPT };

struct gpx {
    XML_Parser p;
    const char *file;
    struct bp_track *t;
    struct bp_error *err;
    int rc;
    int depth;
    int root_seen;
    int skip_depth;   /* > 0 while inside <extensions> or the like */
    enum kind in_pt;  /* the point being read */
    enum field field; /* the element whose text is being collected */
    int in_trk, in_rte, name_taken;
    struct bp_fix fix;
    char *wpt_name;
    unsigned long npt[4]; /* points of each kind so far, for messages */
    unsigned long line;   /* of the current point */
    char text[256];
    size_t ntext;
};

static const char *kind_name[] = {"", "trkpt", "rtept", "wpt"};

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static void stop(struct gpx *g, int rc)
{
    if (!g->rc)
        g->rc = rc;
    XML_StopParser(g->p, XML_FALSE);
}

static void fail_pt(struct gpx *g, int code, const char *what)
{
    bp_error_set_at(g->err, code, g->file, 0, NULL, "%s %lu (line %lu): %s",
                    kind_name[g->in_pt], g->npt[g->in_pt], g->line, what);
    stop(g, code);
}

/* Parse a coordinate attribute; 0 and sets *v, or fails the parse. */
static int coord(struct gpx *g, const char *val, const char *name,
                 double lim, double *v)
{
    const char *word = lim > 90 ? "longitude" : "latitude";
    char *end;

    if (!val) {
        char msg[64];
        snprintf(msg, sizeof(msg), "no '%s' attribute", name);
        fail_pt(g, BP_EGEOM, msg);
        return -1;
    }
    *v = num_parse(val, &end);
    while (*end && isspace((unsigned char)*end))
        end++;
    if (end == val || *end || !isfinite(*v)) {
        char msg[120];
        snprintf(msg, sizeof(msg), "%s '%.40s' is not a number", word, val);
        fail_pt(g, BP_EGEOM, msg);
        return -1;
    }
    if (*v < -lim || *v > lim) {
        char msg[120];
        snprintf(msg, sizeof(msg), "%s %g is out of range [-%g, %g]", word,
                 *v, lim, lim);
        fail_pt(g, BP_EGEOM, msg);
        return -1;
    }
    return 0;
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    struct gpx *g = ud;
    const char *n = local(name);
    enum kind k = K_NONE;

    g->depth++;
    if (g->skip_depth)
        return;
    if (!g->root_seen) {
        g->root_seen = 1;
        if (strcmp(n, "gpx")) {
            bp_error_set_at(g->err, BP_EPARSE, g->file, 0, NULL,
                            "the root element is <%.60s>, not <gpx>", name);
            stop(g, BP_EPARSE);
        }
        return;
    }
    if (!strcmp(n, "extensions")) {
        g->skip_depth = g->depth;
        return;
    }
    if (g->in_pt) {
        g->ntext = 0;
        if (!strcmp(n, "time"))
            g->field = F_TIME;
        else if (!strcmp(n, "ele"))
            g->field = F_ELE;
        else if (!strcmp(n, "hdop"))
            g->field = F_HDOP;
        else if (!strcmp(n, "sat"))
            g->field = F_SAT;
        else if (!strcmp(n, "name") && g->in_pt == K_WPT)
            g->field = F_NAME;
        else
            g->field = F_NONE;
        return;
    }
    if (!strcmp(n, "trkpt"))
        k = K_TRKPT;
    else if (!strcmp(n, "rtept"))
        k = K_RTEPT;
    else if (!strcmp(n, "wpt"))
        k = K_WPT;
    if (k) {
        g->in_pt = k;
        g->npt[k]++;
        g->line = (unsigned long)XML_GetCurrentLineNumber(g->p);
        g->fix.time_ms = BP_TIME_NONE;
        g->fix.ele = NAN;
        g->fix.hdop = NAN;
        g->fix.sat = -1;
        g->field = F_NONE;
        {
            /* One pass over the attributes; the last of a name counts. */
            const char *vlat = NULL, *vlon = NULL;
            int i;
            for (i = 0; atts[i]; i += 2) {
                const char *a = local(atts[i]);
                if (a[0] == 'l' && a[1] && a[2] && !a[3]) {
                    if (a[1] == 'a' && a[2] == 't')
                        vlat = atts[i + 1];
                    else if (a[1] == 'o' && a[2] == 'n')
                        vlon = atts[i + 1];
                }
            }
            if (coord(g, vlat, "lat", 90, &g->fix.lat) ||
                coord(g, vlon, "lon", 180, &g->fix.lon))
                return;
        }
        return;
    }
    if (!strcmp(n, "trk")) {
        g->in_trk = 1;
        g->t->ntrk++;
    } else if (!strcmp(n, "rte")) {
        g->in_rte = 1;
        g->t->nrte++;
        if (bp_track_new_segment(g->t))
            stop(g, BP_ENOMEM);
    } else if (!strcmp(n, "trkseg")) {
        if (bp_track_new_segment(g->t))
            stop(g, BP_ENOMEM);
    } else if (!strcmp(n, "name") && (g->in_trk || g->in_rte) &&
               !g->name_taken) {
        g->field = F_NAME;
        g->ntext = 0;
    }
}

static void end_field(struct gpx *g)
{
    char *end;
    double v;

    g->text[g->ntext] = '\0';
    switch (g->field) {
    case F_TIME:
        if (bp_time_parse(g->text, g->ntext, &g->fix.time_ms)) {
            char msg[120];
            snprintf(msg, sizeof(msg), "time '%.40s' is not an ISO 8601 "
                     "time", g->text);
            fail_pt(g, BP_EPARSE, msg);
        }
        break;
    case F_ELE:
    case F_HDOP:
        v = num_parse(g->text, &end);
        if (end != g->text && isfinite(v)) {
            if (g->field == F_ELE)
                g->fix.ele = v;
            else
                g->fix.hdop = v;
        }
        break;
    case F_SAT:
        v = strtod(g->text, &end);
        if (end != g->text && v >= 0 && v < 1000)
            g->fix.sat = (int)v;
        break;
    case F_NAME:
        if (g->in_pt == K_WPT) {
            bp_free(g->wpt_name);
            g->wpt_name = bp_strdup(g->text);
        } else if (!g->name_taken) {
            g->t->name = bp_strdup(g->text);
            g->name_taken = 1;
        }
        break;
    default:
        break;
    }
    g->field = F_NONE;
}

static void XMLCALL on_end(void *ud, const char *name)
{
    struct gpx *g = ud;
    const char *n = local(name);

    g->depth--;
    if (g->skip_depth) {
        if (g->depth < g->skip_depth)
            g->skip_depth = 0;
        return;
    }
    if (g->field) {
        end_field(g);
        return;
    }
    if (g->in_pt && !strcmp(n, kind_name[g->in_pt])) {
        if (g->in_pt == K_WPT) {
            struct bp_track *t = g->t;
            if (t->nwpt == t->wptcap) {
                size_t cap = t->wptcap ? 2 * t->wptcap : 8;
                struct bp_waypoint *v =
                    bp_reallocarray(t->wpt, cap, sizeof(*v));
                if (!v) {
                    stop(g, BP_ENOMEM);
                    return;
                }
                t->wpt = v;
                t->wptcap = cap;
            }
            t->wpt[t->nwpt].fix = g->fix;
            t->wpt[t->nwpt++].name = g->wpt_name;
            g->wpt_name = NULL;
        } else if (bp_track_add(g->t, &g->fix)) {
            stop(g, BP_ENOMEM);
        }
        g->in_pt = K_NONE;
    } else if (!strcmp(n, "trk")) {
        g->in_trk = 0;
    } else if (!strcmp(n, "rte")) {
        g->in_rte = 0;
    }
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
    struct gpx *g = ud;
    size_t room;

    if (!g->field || g->skip_depth)
        return;
    room = sizeof(g->text) - 1 - g->ntext;
    if ((size_t)len > room)
        len = (int)room;
    memcpy(g->text + g->ntext, s, (size_t)len);
    g->ntext += (size_t)len;
}

int bp_gpx_read(const char *text, size_t len, const char *filename,
                struct bp_track *t, struct bp_error *err)
{
    struct gpx g;
    size_t done = 0;
    int rc = 0;

    if (!text || !t)
        return bp_error_set(err, BP_EINVAL, "bp_gpx_read: NULL argument");
    memset(&g, 0, sizeof(g));
    g.file = filename;
    g.t = t;
    g.err = err;
    g.p = XML_ParserCreate(NULL);
    if (!g.p) {
        rc = bp_error_set_at(err, BP_ENOMEM, filename, 0, NULL,
                             "out of memory");
        goto out;
    }
    XML_SetUserData(g.p, &g);
    XML_SetElementHandler(g.p, on_start, on_end);
    XML_SetCharacterDataHandler(g.p, on_text);
    /* expat takes an int length: feed a large file in pieces. */
    do {
        size_t piece = len - done > (1u << 30) ? (1u << 30) : len - done;
        int last = done + piece == len;
        if (XML_Parse(g.p, text + done, (int)piece, last) ==
            XML_STATUS_ERROR) {
            if (g.rc) {
                rc = g.rc;
                if (rc == BP_ENOMEM)
                    bp_error_set_at(err, rc, filename, 0, NULL,
                                    "out of memory");
            } else {
                rc = bp_error_set_at(
                    err, BP_EPARSE, filename, 0, NULL,
                    "line %lu, column %lu: %s (not well-formed XML)",
                    (unsigned long)XML_GetCurrentLineNumber(g.p),
                    (unsigned long)XML_GetCurrentColumnNumber(g.p) + 1,
                    XML_ErrorString(XML_GetErrorCode(g.p)));
            }
            goto out;
        }
        done += piece;
    } while (done < len);
    if (!g.root_seen) {
        rc = bp_error_set_at(err, BP_EPARSE, filename, 0, NULL,
                             "no <gpx> element: not a GPX file");
        goto out;
    }
    if (!t->n && !t->nwpt) {
        rc = bp_error_set_at(err, BP_EEMPTY, filename, 0, NULL,
                             "no track points, route points or waypoints "
                             "(không có điểm nào)");
        goto out;
    }
    /* Trailing empty segments say nothing. */
    while (t->nseg && t->seg[t->nseg - 1] == t->n)
        t->nseg--;
out:
    bp_free(g.wpt_name);
    if (g.p)
        XML_ParserFree(g.p);
    if (rc)
        bp_track_release(t);
    return rc;
}

/* Text with &, <, >, " escaped. */
static int add_escaped(struct bp_buf *b, const char *s)
{
    int rc = 0;

    for (; *s && !rc; s++) {
        switch (*s) {
        case '&': rc = bp_buf_adds(b, "&amp;"); break;
        case '<': rc = bp_buf_adds(b, "&lt;"); break;
        case '>': rc = bp_buf_adds(b, "&gt;"); break;
        case '"': rc = bp_buf_adds(b, "&quot;"); break;
        default: rc = bp_buf_addch(b, *s); break;
        }
    }
    return rc;
}

int bp_gpx_write(struct bp_buf *out, const struct bp_track *const *tracks,
                 const char *const *names, size_t ntracks)
{
    size_t k, s, i, len0;
    char tm[32];
    int rc = 0;

    if (!out || (!tracks && ntracks))
        return BP_EINVAL;
    len0 = out->len;
    rc = bp_buf_adds(out,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<gpx version=\"1.1\" creator=\"bienphong\" "
                     "xmlns=\"http://www.topografix.com/GPX/1/1\">\n");
    for (k = 0; k < ntracks && !rc; k++) {
        const struct bp_track *t = tracks[k];
        const char *nm = names && names[k] ? names[k] : t->name;
        rc = bp_buf_adds(out, " <trk>\n");
        if (!rc && nm) {
            rc = bp_buf_adds(out, "  <name>");
            if (!rc)
                rc = add_escaped(out, nm);
            if (!rc)
                rc = bp_buf_adds(out, "</name>\n");
        }
        for (s = 0; s < t->nseg && !rc; s++) {
            size_t end = s + 1 < t->nseg ? t->seg[s + 1] : t->n;
            rc = bp_buf_adds(out, "  <trkseg>\n");
            for (i = t->seg[s]; i < end && !rc; i++) {
                const struct bp_fix *f = &t->fix[i];
                rc = bp_buf_addf(out, "   <trkpt lat=\"%.7f\" lon=\"%.7f\">",
                                 f->lat, f->lon);
                if (!rc && isfinite(f->ele))
                    rc = bp_buf_addf(out, "<ele>%.1f</ele>", f->ele);
                if (!rc && f->time_ms != BP_TIME_NONE)
                    rc = bp_buf_addf(out, "<time>%s</time>",
                                     bp_time_format(f->time_ms, tm));
                if (!rc)
                    rc = bp_buf_adds(out, "</trkpt>\n");
            }
            if (!rc)
                rc = bp_buf_adds(out, "  </trkseg>\n");
        }
        if (!rc)
            rc = bp_buf_adds(out, " </trk>\n");
    }
    if (!rc)
        rc = bp_buf_adds(out, "</gpx>\n");
    if (rc)
        bp_buf_setlen(out, len0);
    return rc;
}
