/* SPDX-License-Identifier: MIT */
/*
 * Synthetic people and places for the demo province: names of Tày and Nùng
 * households (the border's majority), village names built from Tày-Nùng
 * place words, phone numbers and Lạng Sơn citizen IDs. Invented, not real
 * people: any likeness is chance.
 */
#include <stdio.h>
#include <string.h>

#include "demo/demo_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Surnames, the common ones repeated to weight them. */
static const char *const surnames[] = {
    "Hoàng", "Hoàng", "Hoàng",  "Hoàng", "Nông",  "Nông", "Nông", "Lương",
    "Lương", "Vi",    "Vi",     "Lộc",   "Lộc",   "Hà",   "Hà",   "Lăng",
    "Triệu", "Triệu", "Mông",   "Chu",   "Chu",   "Lâm",  "Lâm",  "Hứa",
    "Lý",    "Đinh",  "Nguyễn", "Dương", "Phùng", "Mã",   "La",   "Bế",
};

static const char *const given_m[] = {
    "Sằm",  "Pảo",  "Slinh", "Quyết", "Hùng",  "Thành", "Cường", "Dũng",
    "Hải",  "Tuấn", "Long",  "Lượng", "Sáng",  "Chiến", "Bằng",  "Khánh",
    "Phúc", "Quân", "Tiến",  "Vượng", "Định",  "Sơn",   "Thắng", "Tài",
    "Hoàn", "Hưng", "Bình",  "Lập",   "Mạnh",  "Toàn",  "Sìn",   "Nình",
    "Vằn",  "Phủ",  "Hoạt",  "Kiên",  "Trọng", "Thịnh", "Lực",   "Đông",
};

static const char *const given_f[] = {
    "Thắm",  "Mai",   "Hoa",  "Lan", "Liên", "Nhung",  "Hằng", "Thu",
    "Hương", "Duyên", "Dung", "Lụa", "Ngân", "Phượng", "Nga",  "Tươi",
    "Lành",  "Hiền",  "Xuân", "Sậu", "Pín",  "Thơm",   "Hoài", "Chanh",
};

static const char *const middle_m[] = {"Văn", "Văn", "Văn", "Văn",  "Văn",
                                       "Văn", "Văn", "Đức", "Minh", "Quang"};
static const char *const middle_f[] = {"Thị", "Thị", "Thị", "Thị", "Thị",
                                       "Thị", "Thị", "Thị", "Thị", "Ngọc"};

/* Place words of Tày and Nùng village names: field, village, stream,
 * hill, foot of a hill, river mouth, valley, weir, pass, spring... */
static const char *const vprefix[] = {
    "Nà",   "Bản",  "Khuổi", "Pò", "Cốc",  "Pác",  "Còn",
    "Lũng", "Phai", "Kéo",   "Bó", "Khau", "Thâm", "Nặm",
};
static const char *const vsuffix[] = {
    "Thín", "Pàn",   "Khỉn",  "Nưa",    "Mạ",   "Luông", "Slưởng", "Rị",
    "Cạn",  "Lầm",   "Phầy",  "Chắt",   "Vền",  "Sla",   "Pheo",   "Phiêng",
    "Lùng", "Tồng",  "Nhùng", "Kham",   "Cháu", "Rẹ",    "Củng",   "Khoang",
    "Đon",  "Pìn",   "Hin",   "Slằng",  "Nọi",  "Cáy",   "Pất",    "Mò",
    "Tèo",  "Sliến", "Quang", "Nghiều", "Sác",  "Pục",
};

unsigned bp__demo_below(struct bp_demo_rng *r, unsigned n)
{
    return (unsigned)(bp_demo_rng_unit(r) * n);
}

void bp__demo_person(struct bp_demo_rng *r, int female, char *out, size_t size)
{
    const char *sur = surnames[bp__demo_below(r, N(surnames))];
    const char *mid, *giv;

    if (female) {
        mid = middle_f[bp__demo_below(r, N(middle_f))];
        giv = given_f[bp__demo_below(r, N(given_f))];
    } else {
        mid = middle_m[bp__demo_below(r, N(middle_m))];
        giv = given_m[bp__demo_below(r, N(given_m))];
    }
    snprintf(out, size, "%s %s %s", sur, mid, giv);
}

void bp__demo_phone(struct bp_demo_rng *r, char *out)
{
    static const char *const pre[] = {"091", "094", "096", "097", "098",
                                      "098", "097", "036", "038", "084"};
    const char *p = pre[bp__demo_below(r, N(pre))];
    unsigned rest = bp__demo_below(r, 10000000u) % 10000000u;

    snprintf(out, 11, "%.3s%07u", p, rest);
}

void bp__demo_citizen_id(struct bp_demo_rng *r, int female, int birth_year,
                         char *out)
{
    /* Sex and century: 0/1 born in the 1900s, 2/3 in the 2000s. */
    unsigned sc = (birth_year >= 2000 ? 2u : 0u) + (female ? 1u : 0u);
    unsigned yy = (unsigned)birth_year % 100u;
    unsigned rest = bp__demo_below(r, 1000000u) % 1000000u;

    snprintf(out, 13, "020%u%02u%06u", sc % 10u, yy, rest);
}

void bp__demo_village(struct bp_demo_rng *r, char (*taken)[32], size_t n,
                      char *out, size_t size)
{
    size_t i;
    int dup;

    do {
        snprintf(out, size, "%s %s", vprefix[bp__demo_below(r, N(vprefix))],
                 vsuffix[bp__demo_below(r, N(vsuffix))]);
        dup = 0;
        for (i = 0; i < n && !dup; i++)
            dup = !strcmp(taken[i], out);
    } while (dup);
}

void bp__demo_uuid(struct bp_demo_rng *r, bp_uuid out)
{
    unsigned char b[16];
    unsigned long long x = 0;
    size_t i, k = 0;

    for (i = 0; i < 16; i++) {
        if (i % 8 == 0)
            x = bp_demo_rng_next(r);
        b[i] = (unsigned char)(x >> (8 * (i % 8)));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        snprintf(out + k, 3, "%02x", b[i]);
        k += 2;
    }
    out[k] = '\0';
}
