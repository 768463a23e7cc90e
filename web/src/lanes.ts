// SPDX-License-Identifier: MIT
// The lanes of the straight-line diagram, loaded from the API: communes,
// markers, pledges, gaps, walked stretches, road, lights and bamboo. A lane
// whose route the server lacks is marked missing rather than failing.
import { all, get, itemsOf, type User } from './api';
import { tr } from './i18n';
import { km } from './fmt';
import { communes, coverage, isActive, markerNo, markers, measure, type Rec } from './data';
import { optional } from './components/ui';
import type { DItem, Lane } from './components/diagram';

function spansOf(list: Rec[] | null, cls: string, label?: (r: Rec) => string): DItem[] {
  if (!list) return [];
  const out: DItem[] = [];
  for (const r0 of list) {
    const r = (r0.properties ?? r0) as Rec;
    const a = measure(r, 'from'), b = measure(r, 'to');
    if (Number.isFinite(a) && Number.isFinite(b)) {
      const l = label?.(r);
      out.push({ from: a, to: b, cls, label: l, title: `${l ? `${l}: ` : ''}km ${km(a)} – ${km(b)}` });
    } else if (typeof r.measure_m === 'number') {
      out.push({ from: r.measure_m, cls, label: label?.(r), title: `km ${km(r.measure_m)}` });
    }
  }
  return out;
}

async function listOrNull(path: string, params?: Record<string, string>): Promise<Rec[] | null> {
  const r = await optional(get<Rec>(path, { limit: 1000, ...params }));
  return r === null ? null : itemsOf<Rec>(r);
}

/** Campaign records (roads, lights, bamboo): from the map layer's
 *  properties, which every role may read; null when the server lacks it. */
async function layerRecords(id: string): Promise<Rec[] | null> {
  const r = await optional(get<Rec>(`/layers/${id}`));
  return r === null ? null : itemsOf<Rec>(r.features ?? []).map((f) => (f.properties ?? {}) as Rec);
}

/** A road along the line is a stretch; a path off the line is a point
 *  where it leaves the line. */
function roadItems(list: Rec[] | null): DItem[] {
  if (!list) return [];
  const out: DItem[] = [];
  for (const r of list) {
    const a = measure(r, 'from'), b = measure(r, 'to');
    if (!Number.isFinite(a)) continue;
    if (r.kind !== 'path' && Number.isFinite(b) && b !== a)
      out.push({ from: Math.min(a, b), to: Math.max(a, b), cls: 'road', label: r.name, title: `${r.name ?? ''}: km ${km(Math.min(a, b))} – ${km(Math.max(a, b))}` });
    else out.push({ from: a, cls: 'road', label: r.name, title: `${r.name ?? ''} — km ${km(a)}` });
  }
  return out;
}

export interface LaneData {
  length: number;
  lanes: Lane[];
  pledgeSpans: { from: number; to: number; rec: Rec }[];
}

export async function loadLanes(asOf: string, user: User): Promise<LaneData> {
  const cov = await coverage(asOf);
  const [cs, ms, gaps, walked, roads, lights, bamboo] = await Promise.all([
    communes(),
    markers(),
    listOrNull('/gaps', { as_of: asOf }),
    optional(get<Rec>('/layers/walked')).then((r) => (r ? itemsOf<Rec>(r) : null)).catch(() => null),
    layerRecords('roads').catch(() => null),
    layerRecords('lights').catch(() => null),
    layerRecords('bamboo').catch(() => null),
  ]);
  let pledges: Rec[] | null = null;
  if (user.role !== 'viewer') {
    pledges = (await all<Rec>('/pledges', { as_of: asOf })).filter((p) => isActive(p, asOf));
  } else {
    const layer = await optional(get<Rec>('/layers/pledges', { as_of: asOf }));
    pledges = layer ? itemsOf<Rec>(layer).map((f) => f.properties ?? f) : null;
  }
  const pledgeSpans = (pledges ?? [])
    .map((p) => ({ from: measure(p, 'from'), to: measure(p, 'to'), rec: p }))
    .filter((s) => Number.isFinite(s.from) && Number.isFinite(s.to));
  const lanes: Lane[] = [
    { id: 'communes', label: tr('Xã', 'Communes'), items: spansOf(cs, 'commune', (r) => r.name ?? r.code) },
    {
      id: 'markers',
      label: tr('Mốc', 'Markers'),
      items: ms.filter((m) => typeof m.measure_m === 'number' && !m.ended_on).map((m) => ({ from: m.measure_m, label: markerNo(m), cls: 'marker', title: `${tr('Mốc', 'Marker')} ${markerNo(m)} — km ${km(m.measure_m)}` })),
    },
    {
      id: 'pledges',
      label: tr('Ký nhận', 'Pledges'),
      items: pledgeSpans.map((s) => ({ from: s.from, to: s.to, cls: 'pledge', title: `${s.rec.custodian_name ?? s.rec.custodian?.name ?? ''} km ${km(s.from)} – ${km(s.to)}` })),
      missing: pledges === null,
    },
    { id: 'gaps', label: tr('Chưa ký nhận', 'Gaps'), items: spansOf(gaps, 'gap'), missing: gaps === null },
    { id: 'patrols', label: tr('Tuần tra', 'Patrols'), items: spansOf(walked, 'walked'), missing: walked === null },
    { id: 'road', label: tr('Đường t.tra', 'Road'), items: roadItems(roads), missing: roads === null },
    { id: 'lights', label: tr('Đèn', 'Lights'), items: spansOf(lights, 'lights', () => '').map((i) => ({ ...i, label: undefined, title: `${tr('Đèn', 'Light')} — ${i.title}` })), missing: lights === null },
    { id: 'bamboo', label: tr('Lũy tre', 'Bamboo'), items: spansOf(bamboo, 'bamboo', (r) => (r.clumps ? `${r.clumps} ${tr('khóm', 'clumps')}` : '')), missing: bamboo === null },
  ];
  return { length: cov.total.length_m, lanes, pledgeSpans };
}
