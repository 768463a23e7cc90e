/* SPDX-License-Identifier: MIT */
/*
 * GPS tracks in and out: GPX 1.0 and 1.1 (read with expat), GeoJSON
 * LineStrings with per-point times, and CSV `lon,lat,time` files, all read
 * into one `struct bp_track` of fixes; and GPX written back out.
 *
 *     struct bp_track t;
 *     bp_track_init(&t);
 *     if (bp_track_read(text, len, "tuan-tra.gpx", &t, &err) == 0) {
 *         for (i = 0; i < t.n; i++) use(t.fix[i].lon, t.fix[i].lat);
 *     }
 *     bp_track_release(&t);
 */
#ifndef BIENPHONG_GPX_H
#define BIENPHONG_GPX_H

#include <stddef.h>
#include <stdint.h>

#include "bienphong/buf.h"
#include "bienphong/error.h"

/** `time_ms` of a fix whose time is not known. */
#define BP_TIME_NONE INT64_MIN

/** One GPS fix. Missing values are NAN (ele, hdop) or -1 (sat). */
struct bp_fix {
    double lon, lat; /* WGS84 degrees */
    int64_t time_ms; /* Unix milliseconds UTC, or BP_TIME_NONE */
    double ele;      /* metres */
    double hdop;
    int sat;
};

/** A waypoint: a fix with its name (owned; may be NULL). */
struct bp_waypoint {
    struct bp_fix fix;
    char *name;
};

/**
 * A track as read from a file: every track point of every track segment
 * and every route point, in file order, in one array; `seg[i]` is the
 * index of the first fix of segment i (a <trkseg> or a <rte>). Waypoints
 * are kept apart. All arrays owned by the track.
 */
struct bp_track {
    char *name; /* first <trk>/<rte> <name>, or NULL */
    struct bp_fix *fix;
    size_t n, cap;
    size_t *seg;
    size_t nseg, segcap;
    struct bp_waypoint *wpt;
    size_t nwpt, wptcap;
    size_t ntrk, nrte; /* how many <trk> and <rte> elements */
};

/** Initialise caller's storage as an empty track. */
void bp_track_init(struct bp_track *t);
/** Free the contents; the track is empty and reusable. */
void bp_track_release(struct bp_track *t);
/** Append a fix to the current segment (a first fix starts segment 0).
 *  0 or BP_ENOMEM. */
int bp_track_add(struct bp_track *t, const struct bp_fix *f);
/** Start a new segment at the next fix. 0 or BP_ENOMEM. */
int bp_track_new_segment(struct bp_track *t);

/**
 * Parse an ISO 8601 instant as GPX and GeoJSON files write it:
 * "2023-05-01T08:00:00Z", with fractional seconds ("...:00.125Z"), with an
 * offset ("+07:00", "+0700", "-05"), or with no zone (taken as UTC, as the
 * GPX schema says); a space for the 'T' too. Also plain Unix seconds or
 * milliseconds (a number of 10 or 13 digits). Surrounding spaces ignored.
 * Sets `*ms` (Unix milliseconds, UTC); BP_EPARSE otherwise. Thread-safe.
 */
int bp_time_parse(const char *s, size_t len, int64_t *ms);

/** Write "2023-05-01T01:00:00Z" (".125" when there are milliseconds) into
 *  `out` (at least 32 bytes). Returns `out`. */
char *bp_time_format(int64_t ms, char *out);

/**
 * Read a GPX 1.0 or 1.1 file: <trk>/<trkseg>/<trkpt>, <rte>/<rtept> and
 * <wpt>, each with <time>, <ele>, <hdop>, <sat> where present; any
 * <extensions> and unknown elements are skipped; namespace prefixes are
 * ignored. `text` (borrowed) need not be NUL-terminated; `filename` (may
 * be NULL) only names the file in errors. Fills the caller's initialised
 * `t` (appending) and returns 0. Errors, each naming the file, and the
 * line and point where there is one:
 * BP_EPARSE for malformed XML ("line 12, column 4: mismatched tag"), a
 * root element that is not <gpx>, or a <time> that is not a time;
 * BP_EGEOM for a point with a missing, non-numeric or out-of-range lat or
 * lon ("trkpt 17 (line 40): latitude 95.2 is out of range [-90, 90]");
 * BP_EEMPTY when the file holds no points at all; BP_ENOMEM. On failure
 * `t` is released (empty). Thread-safe.
 */
int bp_gpx_read(const char *text, size_t len, const char *filename,
                struct bp_track *t, struct bp_error *err);

/**
 * Read a GeoJSON track: a LineString or MultiLineString, or a Feature or
 * FeatureCollection of them, with per-point times taken from, in order of
 * preference, the feature's properties "coordTimes" (array of ISO strings,
 * as togeojson writes; for a MultiLineString an array of arrays), "times"
 * or "timestamps" (ISO strings or Unix seconds/milliseconds), or a fourth
 * coordinate (Unix seconds, or milliseconds when larger than 1e11); the
 * third coordinate is the elevation. Errors as bp_gpx_read(), with JSON
 * paths ("features[0].geometry.coordinates[3]: ..."); BP_EGEOM also when
 * a times array does not have one entry per position.
 */
int bp_track_read_geojson(const char *text, size_t len, const char *filename,
                          struct bp_track *t, struct bp_error *err);

/**
 * Read a CSV track: columns lon (or lng, longitude, kinh_do, x), lat
 * (latitude, vi_do, y), and optional time (timestamp, date_time,
 * thoi_gian), ele (elevation, altitude) and hdop, in any order, with a
 * header row; "," ";" or tab separated. Errors as bp_gpx_read() with the
 * CSV row ("row 5: field 'lat' is 'abc', not a number").
 */
int bp_track_read_csv(const char *text, size_t len, const char *filename,
                      struct bp_track *t, struct bp_error *err);

/**
 * Read a track of any of the three kinds, told apart by the content (an
 * XML declaration or a <gpx> element; a '{'; anything else is CSV).
 * Same contract as the readers above.
 */
int bp_track_read(const char *text, size_t len, const char *filename,
                  struct bp_track *t, struct bp_error *err);

/**
 * Write GPX 1.1 text for `ntracks` tracks (`names[i]` may be NULL), each
 * one <trk> with one <trkseg> per segment, appended to `out`. Coordinates
 * with 7 decimals; times, elevations written when known. 0, BP_EINVAL,
 * BP_ENOMEM.
 */
int bp_gpx_write(struct bp_buf *out, const struct bp_track *const *tracks,
                 const char *const *names, size_t ntracks);

#endif
