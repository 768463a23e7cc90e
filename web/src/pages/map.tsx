// SPDX-License-Identifier: MIT
// Bản đồ: the border coloured by coverage (pledged stretches over the line,
// gaps highlighted), markers with their numbers, km ticks, commune
// stretches, walked stretches, incidents, road, lights and bamboo, each a
// GeoJSON layer of /api/v1/layers; layers the server lacks are listed as
// not available. Each commune's stretch has its own colour (neighbours
// differ) and a popup naming the commune, its station and km range. No
// background tiles unless a tile URL is set.
import L from 'leaflet';
import { useMemo } from 'preact/hooks';
import { get, itemsOf, type User } from '../api';
import { tr } from '../i18n';
import { date, km, num, today, vnd } from '../fmt';
import { esc, MapView, tileUrl, type MapLayer } from '../components/map';
import { anchorText, communes, measure, type Rec } from '../data';
import { optional, Page, Spinner, useLoad } from '../components/ui';

type FC = GeoJSON.FeatureCollection;
const NAMES: Record<string, [string, string]> = {
  border: ['Đường biên giới', 'Border line'],
  communes: ['Đoạn của các xã', 'Commune stretches'],
  pledges: ['Đoạn được ký nhận tự quản', 'Pledged stretches'],
  gaps: ['Đoạn chưa ai ký nhận', 'Gaps'],
  walked: ['Đoạn đã tuần tra', 'Walked stretches'],
  markers: ['Mốc quốc giới', 'Boundary markers'],
  incidents: ['Vụ việc', 'Incidents'],
  roads: ['Đường tuần tra', 'Patrol road'],
  lights: ['Đèn chiếu sáng', 'Lights'],
  bamboo: ['Lũy tre', 'Bamboo belt'],
};
const ORDER = ['border', 'communes', 'pledges', 'gaps', 'walked', 'roads', 'bamboo', 'lights', 'incidents', 'markers'];

function props(f?: GeoJSON.Feature): Record<string, any> {
  return (f?.properties ?? {}) as Record<string, any>;
}

function details(title: string, p: Record<string, any>): HTMLElement {
  const d = document.createElement('div');
  const rows: string[] = [];
  const from = p.from_m, to = p.to_m;
  if (typeof from === 'number' && typeof to === 'number') rows.push(`km ${km(from)} – ${km(to)} (${km(to - from)} km)`);
  if (typeof p.measure_m === 'number') rows.push(`km ${km(p.measure_m)}`);
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined || typeof v === 'object' || /_m$|^id$|_id$/.test(k)) continue;
    rows.push(`${esc(k)}: ${esc(/_on$|date/.test(k) ? date(String(v)) : v)}`);
  }
  d.innerHTML = `<strong>${esc(title)}</strong><br>${rows.map(esc).join('<br>').replace(/&amp;(lt|gt|amp|quot|#39);/g, '&$1;')}`;
  return d;
}

/** Popups of the campaign layers, in words rather than field names. */
function campaignDetails(kind: 'roads' | 'bamboo' | 'lights', p: Record<string, any>): HTMLElement {
  const rows: string[] = [];
  const m = (a: any) => (a && typeof a.measure_m === 'number' ? a.measure_m : NaN);
  const a = m(p.from), b = m(p.to);
  const where = (x: any) => (x?.marker ? `${tr('mốc', 'marker')} ${x.marker}${x.offset_m ? ` ${x.offset_m > 0 ? '+' : '−'} ${Math.abs(Math.round(x.offset_m))} m` : ''}` : '');
  let title = '';
  if (kind === 'roads') {
    title = p.name ?? tr('Đường tuần tra', 'Patrol road');
    if (p.kind === 'path') rows.push(`${tr('Đường nhánh từ', 'Path from')} ${where(p.from) || `km ${km(a)}`}`);
    else if (Number.isFinite(a) && Number.isFinite(b)) rows.push(`km ${km(Math.min(a, b))} – ${km(Math.max(a, b))}`);
    if (typeof p.planned_m === 'number') rows.push(`${tr('Kế hoạch', 'Planned')}: ${km(p.planned_m)} km`);
    if (p.budget_vnd) rows.push(`${tr('Dự toán', 'Budget')}: ${vnd(p.budget_vnd)}`);
    if (p.starts_on) rows.push(`${tr('Khởi công', 'Started')}: ${date(p.starts_on)}`);
    rows.push(p.finished_on ? `${tr('Hoàn thành', 'Finished')}: ${date(p.finished_on)}` : tr('Đang thi công', 'Under construction'));
  } else if (kind === 'bamboo') {
    title = tr('Lũy tre biên giới', 'Bamboo belt');
    if (Number.isFinite(a) && Number.isFinite(b)) rows.push(`km ${km(Math.min(a, b))} – ${km(Math.max(a, b))} (${km(Math.abs(b - a))} km)`);
    rows.push(`${tr('Số khóm', 'Clumps')}: ${num(p.clumps)}`);
    if (p.households) rows.push(`${tr('Số hộ tham gia', 'Households')}: ${num(p.households)}`);
    if (p.planted_on) rows.push(`${tr('Ngày trồng', 'Planted')}: ${date(p.planted_on)}`);
  } else {
    title = tr('Đèn chiếu sáng đường tuần tra', 'Patrol-road light');
    if (typeof p.measure_m === 'number') rows.push(`km ${km(p.measure_m)}`);
    rows.push(({ solar: tr('Năng lượng mặt trời', 'Solar'), grid: tr('Điện lưới', 'Grid') } as Record<string, string>)[p.kind] ?? tr('Loại khác', 'Other kind'));
    if (p.installed_on) rows.push(`${tr('Ngày lắp', 'Installed')}: ${date(p.installed_on)}`);
    if (p.funder) rows.push(`${tr('Nơi tài trợ', 'Funded by')}: ${p.funder}`);
    rows.push((p.working_now ?? p.working) ? tr('Đang hoạt động', 'Working') : tr('Đang hỏng', 'Not working'));
  }
  const d = document.createElement('div');
  d.innerHTML = `<strong>${esc(title)}</strong><br>${rows.map((r) => esc(r)).join('<br>')}`;
  return d;
}

/** Colours of the communes' stretches; consecutive stretches get different ones. */
const COMMUNE_COLOURS = ['#6a3d9a', '#1f78b4', '#b15928', '#33a02c', '#c51b7d', '#e08214', '#01665e', '#8c510a'];

/** Where a commune's stretch starts or ends, in metres (from_km, from_m or an anchor). */
function communeEnd(p: Record<string, any>, end: 'from' | 'to'): number {
  const k = p[`${end}_km`];
  return typeof k === 'number' ? k * 1000 : measure(p, end);
}

/** The key of a commune's feature: its commune's id, or its code or name. */
function communeKey(p: Record<string, any>): string {
  return String(p.commune_id ?? p.id ?? p.code ?? p.name ?? '');
}

/**
 * The popup of a commune's stretch: the commune (with its code and
 * district), its border guard station and km range, from the feature's
 * properties or, where they only give ids, from the communes and stations
 * lists.
 */
function communeDetails(p: Record<string, any>, cs: Map<string, Rec>, ss: Map<string, Rec>): HTMLElement {
  const c = cs.get(communeKey(p)) ?? [...cs.values()].find((x) => (p.code && x.code === p.code) || (p.name && x.name === p.name));
  const name = p.commune_name ?? p.name ?? p.commune ?? c?.name ?? tr('Xã', 'Commune');
  const code = p.code ?? c?.code;
  const district = p.district ?? c?.district;
  const sid = p.station_id ?? c?.station_id;
  const station = p.station_name ?? (typeof p.station === 'string' ? p.station : p.station?.name) ?? (sid ? (ss.get(sid)?.name ?? ss.get(sid)?.code) : undefined);
  let a = communeEnd(p, 'from'), b = communeEnd(p, 'to');
  if (!Number.isFinite(a) && c) { a = measure(c, 'from'); b = measure(c, 'to'); }
  const rows: string[] = [];
  if (code || district) rows.push([code, district].filter(Boolean).join(' — '));
  rows.push(`${tr('Đồn Biên phòng', 'Border guard station')}: ${station ?? '—'}`);
  if (Number.isFinite(a) && Number.isFinite(b)) rows.push(`km ${km(Math.min(a, b))} – ${km(Math.max(a, b))} (${km(Math.abs(b - a))} km)`);
  const fa = anchorText(p, 'from') || (c ? anchorText(c, 'from') : ''), fb = anchorText(p, 'to') || (c ? anchorText(c, 'to') : '');
  if (fa && fb) rows.push(`${tr('mốc', 'marker')} ${fa} – ${fb}`);
  const d = document.createElement('div');
  d.className = 'commune-popup';
  d.innerHTML = `<strong>${esc(name)}</strong><br>${rows.map((r) => esc(r)).join('<br>')}`;
  return d;
}

export function MapPage({ user }: { user: User }) {
  const asOf = today();
  const st = useLoad(async () => {
    // names for the communes' popups, read alongside the layers
    const names = Promise.all([communes().catch(() => [] as Rec[]), get('/stations', { limit: 1000 }).then((r) => itemsOf<Rec>(r), () => [] as Rec[])]);
    const out: Record<string, FC | null> = {};
    await Promise.all(
      ORDER.map(async (id) => {
        const path = id === 'walked' ? '/layers/walked' : `/layers/${id}`;
        try {
          out[id] = await optional(get<FC>(path, id === 'pledges' || id === 'gaps' ? { as_of: asOf } : id === 'border' ? { tick_km: 5 } : undefined));
        } catch {
          out[id] = null;
        }
      }),
    );
    const [cs, ss] = await names;
    return { layers: out, communes: new Map(cs.map((c) => [String(c.id), c])), stations: new Map(ss.map((s) => [String(s.id), s])) };
  }, []);

  const layers = useMemo<MapLayer[]>(() => {
    const d = st.data?.layers;
    if (!d || !st.data) return [];
    const { communes: cs, stations: ss } = st.data;
    const pointLayer = (cls: string, r: number) => (_f: GeoJSON.Feature, ll: L.LatLng) => L.circleMarker(ll, { radius: r, className: cls, weight: 2 });
    const L_: MapLayer[] = [];
    const add = (id: string, extra: Partial<MapLayer>) => {
      if (!d[id]) return;
      L_.push({ id, label: tr(NAMES[id][0], NAMES[id][1]), data: d[id], ...extra });
    };
    add('border', {
      fit: true,
      style: (f) => (f?.geometry?.type === 'Point' ? {} : { color: '#1a1a1a', weight: 3 }),
      point: (f, ll) => {
        const p = props(f);
        const k = p.km ?? (typeof p.measure_m === 'number' ? p.measure_m / 1000 : null);
        return L.circleMarker(ll, { radius: 2, color: '#555', className: 'km-tick' }).bindTooltip(k !== null ? `km ${Math.round(k)}` : '', { permanent: true, direction: 'left', className: 'km-label' });
      },
      popup: (f) => (f.geometry?.type === 'Point' ? null : details(tr('Đường biên giới', 'Border line'), props(f))),
    });
    const colour = new Map<string, string>();
    for (const f of [...((d.communes?.features ?? []) as GeoJSON.Feature[])].sort((x, y) => (communeEnd(props(x), 'from') || 0) - (communeEnd(props(y), 'from') || 0))) {
      const k = communeKey(props(f));
      if (!colour.has(k)) colour.set(k, COMMUNE_COLOURS[colour.size % COMMUNE_COLOURS.length]);
    }
    add('communes', {
      style: (f) => ({ color: colour.get(communeKey(props(f))) ?? '#6a3d9a', weight: 12, opacity: 0.45, lineCap: 'butt', className: 'commune-stretch' }),
      point: (f, ll) => L.circleMarker(ll, { radius: 6, color: colour.get(communeKey(props(f))) ?? '#6a3d9a', weight: 3, className: 'commune-stretch' }),
      popup: (f) => communeDetails(props(f), cs, ss),
    });
    add('pledges', { style: { color: '#0b7a2a', weight: 7, opacity: 0.9 }, popup: (f) => details(tr('Được ký nhận tự quản', 'Pledged'), props(f)) });
    add('gaps', { style: { color: '#d40000', weight: 9, opacity: 0.95 }, popup: (f) => details(tr('Chưa ai ký nhận', 'Gap'), props(f)) });
    add('walked', { style: { color: '#0057b8', weight: 4, opacity: 0.9 }, popup: (f) => details(tr('Đã tuần tra', 'Walked'), props(f)) });
    add('roads', {
      style: { color: '#8b5a00', weight: 5 },
      point: (_f, ll) => L.circleMarker(ll, { radius: 5, color: '#8b5a00', fillColor: '#fff', fillOpacity: 1, weight: 3, className: 'road-pt' }),
      popup: (f) => campaignDetails('roads', props(f)),
    });
    add('bamboo', { style: { color: '#2e8b57', weight: 5, dashArray: '2 4' }, popup: (f) => campaignDetails('bamboo', props(f)) });
    add('lights', {
      point: (f, ll) => L.circleMarker(ll, { radius: 4, color: '#000', weight: 1, fillColor: (props(f).working_now ?? props(f).working) === false ? '#777' : '#ffd000', fillOpacity: 1, className: 'light-pt' }),
      popup: (f) => campaignDetails('lights', props(f)),
    });
    add('incidents', { point: pointLayer('incident-pt', 7), popup: (f) => details(tr('Vụ việc', 'Incident'), props(f)) });
    add('markers', {
      point: (f, ll) => {
        const p = props(f);
        return L.circleMarker(ll, { radius: 2.5, color: '#000', fillColor: p.pledged === false ? '#d40000' : '#fff', fillOpacity: 1, weight: 1.5, className: 'marker-pt' })
          .bindTooltip(String(p.number ?? ''), { permanent: true, direction: 'right', className: 'marker-label' });
      },
      popup: (f) => details(`${tr('Mốc', 'Marker')} ${props(f).number ?? ''}`, props(f)),
    });
    return L_;
  }, [st.data]);

  const missing = st.data ? ORDER.filter((id) => !st.data!.layers[id]) : [];
  return (
    <Page title={tr('Bản đồ', 'Map')}>
      {st.loading && <Spinner label={tr('Đang tải các lớp bản đồ…', 'Loading map layers…')} />}
      <div class="legend map-legend">
        <span class="key k-border">{tr('Đường biên giới', 'Border')}</span>
        <span class="key k-pledged">{tr('Được ký nhận', 'Pledged')}</span>
        <span class="key k-gap">{tr('Chưa ai ký nhận', 'Gap')}</span>
        <span class="key k-walked">{tr('Đã tuần tra', 'Walked')}</span>
        {st.data?.layers.communes && <span class="key k-commune">{tr('Đoạn của các xã', 'Commune stretches')}</span>}
        {st.data?.layers.roads && <span class="key k-road">{tr('Đường tuần tra', 'Patrol road')}</span>}
        {st.data?.layers.bamboo && <span class="key k-bamboo">{tr('Lũy tre', 'Bamboo belt')}</span>}
        {st.data?.layers.lights && <span class="key k-light">{tr('Đèn', 'Lights')}</span>}
        <span class="key k-marker">{tr('Mốc', 'Marker')}</span>
      </div>
      <MapView layers={layers} testid="map" />
      {missing.length > 0 && (
        <p class="muted small" data-testid="layers-missing">
          {tr('Chưa có dữ liệu', 'Not available')}: {missing.map((id) => tr(NAMES[id][0], NAMES[id][1])).join(', ')}
        </p>
      )}
      {!tileUrl() && <p class="muted small">{tr('Bản đồ không dùng nền (không cần Internet). Có thể thêm nền bản đồ trong Cài đặt.', 'No background tiles (works offline). A tile source can be set in Settings.')}</p>}
      {user.role === 'viewer' && <p class="muted small">{tr('Người xem chỉ thấy số liệu tổng hợp.', 'Viewers see aggregates only.')}</p>}
    </Page>
  );
}
