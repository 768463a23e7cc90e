// SPDX-License-Identifier: MIT
// Readers of the API's records and figures that tolerate the small
// differences between endpoints (a stretch as from_m/to_m or as anchors
// {marker, offset_m, measure_m}), and the shared loads most pages need.
import { all, get, itemsOf } from './api';

export type Rec = Record<string, any>;

/** The measure in metres of a record's end "from" or "to". */
export function measure(r: Rec, end: 'from' | 'to'): number {
  const direct = r[`${end}_m`];
  if (typeof direct === 'number') return direct;
  const a = r[end];
  if (a && typeof a === 'object' && typeof a.measure_m === 'number') return a.measure_m;
  if (typeof a === 'number') return a;
  const alt = r[`measure_${end}_m`] ?? r[`${end}_measure_m`];
  return typeof alt === 'number' ? alt : NaN;
}

/** "mốc 1120 + 350 m" or "" when the end is anchored by km. */
export function anchorText(r: Rec, end: 'from' | 'to'): string {
  const a = r[end];
  const key = (a && typeof a === 'object' ? (a.marker ?? a.marker_number ?? a.marker_key) : null) ?? r[`${end}_marker`];
  if (!key) return '';
  const off = (a && typeof a === 'object' ? a.offset_m : null) ?? r[`${end}_offset_m`] ?? 0;
  return `${key}${off ? ` ${off > 0 ? '+' : '−'} ${Math.abs(Math.round(off))} m` : ''}`;
}

export interface Figures {
  length_m: number;
  covered_m: number;
  households: number;
  collectives: number;
  markers_pledged: number;
  markers_total: number;
  percent?: number;
}

export interface Coverage {
  as_of?: string;
  total: Figures;
  communes: (Figures & Rec)[];
  stations: (Figures & Rec)[];
  covered?: [number, number][];
}

export function asCoverage(r: Rec): Coverage {
  const total = (r.total ?? r.border ?? r) as Figures;
  return {
    as_of: r.as_of,
    total,
    communes: itemsOf<Figures & Rec>(r.communes ?? []),
    stations: itemsOf<Figures & Rec>(r.stations ?? []),
    covered: Array.isArray(r.covered) ? r.covered.map((s: any): [number, number] => (Array.isArray(s) ? [s[0], s[1]] : [s.from_m, s.to_m])) : undefined,
  };
}

export async function coverage(asOf: string): Promise<Coverage> {
  return asCoverage(await get<Rec>('/coverage', { as_of: asOf }));
}

let communesP: Promise<Rec[]> | null = null;
export function communes(): Promise<Rec[]> {
  communesP ??= all<Rec>('/communes').catch((e) => {
    communesP = null;
    throw e;
  });
  return communesP;
}

let markersP: Promise<Rec[]> | null = null;
export function markers(): Promise<Rec[]> {
  markersP ??= all<Rec>('/markers').then((ms) => ms.sort((a, b) => num(a.measure_m) - num(b.measure_m))).catch((e) => {
    markersP = null;
    throw e;
  });
  return markersP;
}

let villagesP: Promise<Rec[]> | null = null;
export function villages(): Promise<Rec[]> {
  villagesP ??= all<Rec>('/villages').catch((e) => {
    villagesP = null;
    throw e;
  });
  return villagesP;
}

export function forgetCached(): void {
  communesP = markersP = villagesP = null;
}

function num(x: unknown): number {
  return typeof x === 'number' ? x : NaN;
}

/** A marker's number as written. */
export function markerNo(m: Rec): string {
  return String(m.number ?? m.key ?? m.name ?? '');
}

/** The union of [from, to) spans, sorted. */
export function union(spans: [number, number][]): [number, number][] {
  const s = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The parts of [a, b) inside the spans. */
export function intersect(a: number, b: number, spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, y] of spans) {
    const lo = Math.max(a, x), hi = Math.min(b, y);
    if (hi > lo) out.push([lo, hi]);
  }
  return out;
}

export function isActive(r: Rec, day: string): boolean {
  const s = r.signed_on ?? r.valid_from;
  const e = r.ended_on ?? r.valid_to;
  return (!s || s <= day) && (!e || day < e);
}
