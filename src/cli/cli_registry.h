/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the registry commands (cmd_registry.c,
 * cmd_custodian.c, cmd_coverage.c): option tables, dates and JSON output.
 */
#ifndef BP_CLI_REGISTRY_H
#define BP_CLI_REGISTRY_H

#include <ctype.h>
#include <stdint.h>

#include <jansson.h>

#include "bienphong/exchange.h"
#include "cli/cli.h"

/* An option: "--name VALUE" into *val, or a bare flag setting *flag. */
struct reg_opt {
    const char *name;
    const char **val;
    int *flag;
};

/* Parse argv[1..] against `opts` (terminated by a NULL name; may be NULL)
 * and the global options, with up to `npos` positional arguments into
 * `pos` (all required unless pre-set non-NULL). 0, or the usage exit
 * status (2) after printing the usage. */
int reg_parse(struct cli *cli, int argc, char **argv,
              const struct reg_opt *opts, const char **pos, int npos,
              const char *usage_vi, const char *usage_en);

/* Parse a date option (NULL: today). 0, or 2 after printing the error. */
int reg_date(struct cli *cli, const char *s, const char *what, int32_t *day);

/* Print a JSON value (indented) and drop the reference. */
void reg_json_print(json_t *o);
/* ISO date or null; a string or null for empty/NULL. New references. */
json_t *reg_json_date(int32_t day);
json_t *reg_json_str(const char *s);
/* A date for people: dd/mm/yyyy in Vietnamese, ISO in English, "—" for
 * none. `out` has room for 16 bytes. */
char *reg_date_vi(struct cli *cli, int32_t day, char *out);

/* Print `s` left-aligned in `width` columns (counting UTF-8 characters,
 * not bytes), then one space. */
void reg_cell(const char *s, int width);

/* Run an import of `kind` (argv: import FILE [--encoding E] [--update]),
 * printing every problem; the exit status. */
int reg_import(struct cli *cli, enum bp_exchange_kind kind, int argc,
               char **argv);

#endif
