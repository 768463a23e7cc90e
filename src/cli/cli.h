/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the bienphong program: the context every command gets,
 * option parsing, and printing in Vietnamese or English.
 */
#ifndef BP_CLI_H
#define BP_CLI_H

#include <stdio.h>

#include "bienphong/error.h"
#include "bienphong/fmt.h"
#include "bienphong/store.h"

struct cli {
    const char *db;          /* database location */
    enum bp_lang lang;       /* human output language */
    int json;                /* --json: machine output */
    struct bp_store *store;  /* opened on first use */
    const char *prog;
};

/* Pick the text for the context's language. */
#define L(cli, vi, en) ((cli)->lang == BP_LANG_VI ? (vi) : (en))

/* A subcommand: argv[0] is its own name. Returns the exit status. */
typedef int (*cli_fn)(struct cli *cli, int argc, char **argv);

struct cli_cmd {
    const char *name;
    cli_fn fn;
    const char *help_vi;
    const char *help_en;
};

/* Run the subcommand named argv[0] from `table` (NULL-terminated), or
 * print the table's help. `group` names the table in messages. */
int cli_dispatch(struct cli *cli, const struct cli_cmd *table,
                 const char *group, int argc, char **argv);

/* Open the store on first use; prints the error and returns non-zero on
 * failure. */
int cli_store(struct cli *cli, struct bp_store **out);

/* Print an error to stderr in the context's language; returns 1. */
int cli_fail(struct cli *cli, const struct bp_error *err);
/* Print a usage or argument error; returns 2. */
int cli_usage(struct cli *cli, const char *vi, const char *en);

/*
 * Options: `cli_opt(argc, argv, &i, "--name", &val)` matches "--name VALUE"
 * and "--name=VALUE" at argv[i], advancing i past the value; returns 1 on
 * a match, 0 otherwise, -1 when the value is missing. `cli_flag` matches a
 * bare flag.
 */
int cli_opt(int argc, char **argv, int *i, const char *name,
            const char **val);
int cli_flag(char **argv, int i, const char *name);

/* Accept global flags (--json, --lang X) anywhere after the command. */
int cli_global_opt(struct cli *cli, int argc, char **argv, int *i);

/* Format metres as kilometres with three decimals in the context's
 * language ("231,740"). */
char *cli_km(struct cli *cli, double metres, char *out, size_t size);

/* Subcommand groups. */
int cmd_border(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
/* Registry and coverage (cmd_registry.c, cmd_custodian.c, cmd_coverage.c). */
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_station(struct cli *cli, int argc, char **argv);
int cmd_commune(struct cli *cli, int argc, char **argv);
int cmd_village(struct cli *cli, int argc, char **argv);
int cmd_marker(struct cli *cli, int argc, char **argv);
int cmd_custodian(struct cli *cli, int argc, char **argv);
int cmd_pledge(struct cli *cli, int argc, char **argv);
int cmd_coverage(struct cli *cli, int argc, char **argv);
int cmd_gaps(struct cli *cli, int argc, char **argv);
int cmd_overlaps(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
/* The campaign and community models (cmd_campaign.c). */
int cmd_campaign(struct cli *cli, int argc, char **argv);
int cmd_donor(struct cli *cli, int argc, char **argv);
int cmd_donation(struct cli *cli, int argc, char **argv);
int cmd_expense(struct cli *cli, int argc, char **argv);
int cmd_road(struct cli *cli, int argc, char **argv);
int cmd_bamboo(struct cli *cli, int argc, char **argv);
int cmd_light(struct cli *cli, int argc, char **argv);
int cmd_event(struct cli *cli, int argc, char **argv);
int cmd_award(struct cli *cli, int argc, char **argv);
/* Patrols, verification, inspections, incidents (cmd_patrol.c,
 * cmd_incident.c). */
int cmd_patrol(struct cli *cli, int argc, char **argv);
int cmd_verify(struct cli *cli, int argc, char **argv);
int cmd_overdue(struct cli *cli, int argc, char **argv);
int cmd_inspection(struct cli *cli, int argc, char **argv);
int cmd_incident(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv); /* cmd_report.c */
/* The server, its users and the audit log (cmd_serve.c). */
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);

#endif
