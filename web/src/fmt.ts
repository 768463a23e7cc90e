// SPDX-License-Identifier: MIT
// vi-VN (or English) formats for the figures the UI shows: kilometres with
// three decimals ("223,205 km"), whole numbers ("1.039"), money in đồng
// ("1.250.000 đ"), percentages and dates dd/mm/yyyy; and tolerant parsing of
// decimals typed either way ("80,350" or "80.350" km).
import { lang } from './i18n';

function locale(): string {
  return lang() === 'vi' ? 'vi-VN' : 'en-GB';
}

const cache = new Map<string, Intl.NumberFormat>();
function nf(min: number, max: number): Intl.NumberFormat {
  const key = `${locale()}:${min}:${max}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), { minimumFractionDigits: min, maximumFractionDigits: max });
    cache.set(key, f);
  }
  return f;
}

/** A number with exactly `digits` decimals in the current locale. */
export function num(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return nf(digits, digits).format(x);
}

/** Kilometres from metres, three decimals, without the unit: "223,205". */
export function km(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '—';
  return num(m / 1000, 3);
}

/** Kilometres with the unit: "223,205 km". */
export function kmU(m: number | null | undefined): string {
  return `${km(m)} km`;
}

/** Money in whole đồng: "1.250.000 đ". */
export function vnd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${num(Math.round(x), 0)} đ`;
}

/** A percentage with one decimal: "96,3%". */
export function pct(part: number, whole: number): string {
  if (!(whole > 0)) return '—';
  return `${num((100 * part) / whole, 1)}%`;
}

/** An ISO date "2024-03-03" (or a timestamp) shown as "03/03/2024". */
export function date(s: string | null | undefined): string {
  if (!s) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return new Intl.DateTimeFormat(locale(), {
      day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC',
    }).format(d);
  }
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return new Intl.DateTimeFormat(locale(), {
    day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(d);
}

/** Today in Asia/Ho_Chi_Minh as "yyyy-mm-dd". */
export function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  return p.slice(0, 10);
}

/**
 * Parse a decimal typed in either style: "80,350", "80.350", "1.250,5",
 * "1,250.5", " 12 ". A lone separator is the decimal point; with both, the
 * last one is. Returns NaN when it is not a number.
 */
export function parseDecimal(s: string): number {
  let t = s.trim().replace(/\s+/g, '');
  if (!t) return NaN;
  const lc = t.lastIndexOf(','), ld = t.lastIndexOf('.');
  if (lc >= 0 && ld >= 0) {
    const dec = lc > ld ? ',' : '.';
    const grp = dec === ',' ? '.' : ',';
    t = t.split(grp).join('').replace(dec, '.');
  } else if (lc >= 0) {
    if (t.indexOf(',') !== lc) t = t.split(',').join('');
    else t = t.replace(',', '.');
  } else if (ld >= 0 && t.indexOf('.') !== ld) {
    t = t.split('.').join('');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return NaN;
  return Number(t);
}

/** Vietnamese-insensitive fold: "Đào Viên" → "dao vien". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}
