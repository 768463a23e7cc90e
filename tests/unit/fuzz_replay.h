/* SPDX-License-Identifier: MIT */
/*
 * The corpus walk shared by the fuzz replay tests (test_fuzz_replay_*.c):
 * find tests/fuzz/corpus/<name> from BP_TEST_DATA, read each file in name
 * order and hand it to the test's own check. Include after <cmocka.h>.
 */
#ifndef BP_TEST_FUZZ_REPLAY_H
#define BP_TEST_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "bienphong/buf.h"

/* Path of tests/fuzz/corpus/<name>; fails the test without BP_TEST_DATA. */
static void fuzz_corpus_dir(const char *name, char *out, size_t size)
{
    const char *data = getenv("BP_TEST_DATA");

    if (!data) {
        print_error("BP_TEST_DATA is not set; run through ctest or set it "
                    "to tests/data\n");
        fail();
    }
    snprintf(out, size, "%s/../fuzz/corpus/%s", data, name);
}

static int fuzz_not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/*
 * Calls `one(path, fname, b)` for every file of corpus `name` that `keep`
 * accepts (NULL: every file not starting with '.'), in name order. Fails
 * the test when the folder cannot be read, a file cannot be read, or fewer
 * than `min_files` are found: an empty or missing corpus would make a
 * replay pass vacuously.
 */
static void fuzz_replay_corpus(const char *name,
                               int (*keep)(const struct dirent *),
                               int min_files,
                               void (*one)(const char *path, const char *fname,
                                           const struct bp_buf *b))
{
    char dir[4096], path[4096 + 256];
    struct dirent **list = NULL;
    int i, count;

    fuzz_corpus_dir(name, dir, sizeof(dir));
    count = scandir(dir, &list, keep ? keep : fuzz_not_hidden, alphasort);
    if (count < min_files) {
        if (count < 0)
            print_error("cannot open %s\n", dir);
        else
            print_error("%s: found %d corpus files, expected at least %d\n",
                        dir, count, min_files);
        for (i = 0; i < count; i++)
            free(list[i]);
        free(list);
        fail();
    }
    for (i = 0; i < count; i++) {
        struct bp_buf b = BP_BUF_INIT;

        snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
        assert_int_equal(bp_buf_read_file(&b, path), 0);
        one(path, list[i]->d_name, &b);
        bp_buf_release(&b);
    }
    for (i = 0; i < count; i++)
        free(list[i]);
    free(list);
}

/*
 * The replay of a fuzz target whose `one(data, size)` returns 0 or a
 * negative error code: each file of corpus `name` must not return more.
 * Defines replay_one and test_replay_corpus for the test's main().
 */
#define FUZZ_REPLAY_RC(name, one, min_files)                                 \
    static void replay_one(const char *path, const char *fname,              \
                           const struct bp_buf *b)                           \
    {                                                                        \
        int rc = one((const uint8_t *)b->data, b->len);                      \
                                                                             \
        (void)path;                                                          \
        if (rc > 0)                                                          \
            print_message("%s: returned %d\n", fname, rc);                   \
        assert_true(rc <= 0);                                                \
    }                                                                        \
                                                                             \
    static void test_replay_corpus(void **state)                             \
    {                                                                        \
        (void)state;                                                         \
        fuzz_replay_corpus(name, NULL, min_files, replay_one);               \
    }

#endif
