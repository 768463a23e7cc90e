/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the patrol commands (cmd_patrol.c, cmd_incident.c):
 * writing an export to a file or stdout, and the walk settings options.
 */
#ifndef BP_CLI_PATROL_H
#define BP_CLI_PATROL_H

#include "bienphong/buf.h"
#include "bienphong/patrol.h"
#include "cli/cli.h"

/* Write `b` to `path` (NULL or "-": stdout). 0, or 1 after printing. */
int pat_write_out(struct cli *cli, const char *path, const struct bp_buf *b);

/* Defaults, then the options given (NULL: default). 0 or exit status 2. */
int pat_walk_opts(struct cli *cli, struct bp_walk_opts *o, const char *corr,
                  const char *jm, const char *js, const char *speed);

#endif
