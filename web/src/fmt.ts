// SPDX-License-Identifier: MIT
// vi-VN (or English) formats for the figures the UI shows: kilometres with
// three decimals ("223,205 km"), whole numbers ("1.039"), money in đồng
// ("1.250.000 đ"), percentages and dates dd/mm/yyyy; and tolerant parsing of
// decimals typed either way ("80,350" or "80.350" km), of dates typed
// dd/mm/yyyy or pasted ISO (a day that does not exist named, in the user's
// language) and of money in whole đồng ("1.250.000" or "1250000").
import { lang, tr } from './i18n';

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

/** "2024-03-03" → "03/03/2024", whatever the language (dates are typed dd/mm/yyyy). */
export function dmy(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Whether `s` is an ISO date "yyyy-mm-dd" of a day that exists. */
export function isIsoDay(s: string): boolean {
  const r = parseDay(s);
  return 'iso' in r && r.iso === s;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date typed as dd/mm/yyyy (also d/m/yyyy, with "-" or "." between) or
 * pasted as ISO yyyy-mm-dd: the ISO day, or why it is not a day that exists
 * ("31/02/2024" names February's 29 days), in the current language. Empty
 * text is { iso: '' }.
 */
export function parseDay(text: string): { iso: string } | { why: string } {
  const s = text.trim();
  if (!s) return { iso: '' };
  let d: number, m: number, y: number;
  let hit = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (hit) {
    y = +hit[1]; m = +hit[2]; d = +hit[3];
  } else if ((hit = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(s))) {
    d = +hit[1]; m = +hit[3]; y = +hit[4];
  } else {
    return { why: tr(`"${s}" không phải là ngày dạng dd/mm/yyyy (ví dụ 03/03/2024)`, `"${s}" is not a date as dd/mm/yyyy (e.g. 03/03/2024)`) };
  }
  if (m < 1 || m > 12) return { why: tr(`"${s}": không có tháng ${m}`, `"${s}": there is no month ${m}`) };
  if (y < 1900 || y > 2100) return { why: tr(`"${s}": năm phải từ 1900 đến 2100`, `"${s}": the year must be 1900 to 2100`) };
  const n = daysIn(y, m);
  if (d < 1 || d > n)
    return { why: tr(`Ngày ${s} không có thật: tháng ${m}/${y} có ${n} ngày`, `${s} is not a real date: ${MONTHS_EN[m - 1]} ${y} has ${n} days`) };
  const p = (x: number) => String(x).padStart(2, '0');
  return { iso: `${y}-${p(m)}-${p(d)}` };
}

/**
 * Money in whole đồng typed as "1.250.000", "1,250,000", "1 250 000" or
 * "1250000", with or without "đ"/"VND": the amount, or why not (a fraction,
 * a negative amount, more than a JavaScript integer holds exactly).
 * Empty text is { vnd: null }.
 */
export function parseMoney(text: string): { vnd: number | null } | { why: string } {
  const s = text.trim().replace(/\s*(đồng|đ|vnđ|vnd)$/i, '').trim();
  if (!s) return { vnd: null };
  if (/^-/.test(s)) return { why: tr('Số tiền không được âm', 'The amount may not be negative') };
  const t = s.replace(/[\s\u00a0]/g, ' ');
  let digits: string;
  if (/^\d+$/.test(t)) digits = t;
  else if (/^\d{1,3}([. ]\d{3})+$/.test(t) || /^\d{1,3}(,\d{3})+$/.test(t)) digits = t.replace(/[., ]/g, '');
  else if (/^\d+[.,]\d{1,2}$/.test(t) || /^\d{1,3}(\.\d{3})*,\d+$/.test(t) || /^\d{1,3}(,\d{3})*\.\d+$/.test(t)) return { why: tr('Số tiền là số đồng chẵn, không có phần lẻ', 'The amount is whole đồng, without a fraction') };
  else return { why: tr(`"${text.trim()}" không phải số tiền (viết 1.250.000 hoặc 1250000)`, `"${text.trim()}" is not an amount (write 1.250.000 or 1250000)`) };
  const v = Number(digits);
  if (!Number.isSafeInteger(v)) return { why: tr('Số tiền quá lớn', 'The amount is too large') };
  return { vnd: v };
}
