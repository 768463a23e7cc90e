// SPDX-License-Identifier: MIT
// Tổng quan: the headline in the review report's words as of a chosen date,
// charts of km co-managed and of households and collectives year by year,
// the campaign's progress, overdue stretches and markers, recent incidents
// and the figures of each commune.
import { useState } from 'preact/hooks';
import { BASE, get, itemsOf, type User } from '../api';
import { tr } from '../i18n';
import { date, isIsoDay, km, kmU, num, pct, today, vnd } from '../fmt';
import { coverage, type Figures, type Rec } from '../data';
import { BarChart } from '../components/charts';
import { DateInput, ErrorBox, NotAvailable, optional, Page, Progress, Show, Spinner, Table, useLoad } from '../components/ui';

export function headline(f: Figures): string {
  return tr(
    `${num(f.collectives)} tập thể và ${num(f.households)} hộ gia đình ký nhận tự quản ${km(f.covered_m)}/${km(f.length_m)} km đường biên giới`,
    `${num(f.collectives)} collectives and ${num(f.households)} households co-manage ${km(f.covered_m)}/${km(f.length_m)} km of the border line`,
  );
}

function yearOf(r: Rec): string {
  return String(r.year ?? (r.as_of ? String(r.as_of).slice(0, 4) : ''));
}

export function Dashboard({ user }: { user: User }) {
  const [asOf, setAsOf] = useState(today());
  const cov = useLoad(() => coverage(asOf), [asOf]);
  const to = Number(asOf.slice(0, 4)) || new Date().getFullYear();
  const hist = useLoad(async () => itemsOf<Rec>(await get('/coverage/history', { from: to - 5, to, on: `${asOf.slice(8, 10)}/${asOf.slice(5, 7)}` })), [asOf]);
  // the public view: the same totals, and every role may read it
  const ledger = useLoad(async () => {
    const l = await optional(get<Rec>('/ledger', { public: 1 }));
    if (!l || user.role === 'viewer') return l;
    const cs = itemsOf<Rec>(await get('/campaigns').catch(() => []));
    const c = cs.find((x) => x.id === l.campaign_id);
    return c ? { ...l, goal_vnd: c.goal_vnd, goal_road_m: c.goal_road_m } : l;
  }, []);
  const roads = useLoad(() => optional(get<Rec>('/roads/progress')), []);
  const overdue = useLoad(() => optional(get<Rec>('/overdue', { as_of: asOf })), [asOf]);
  const incidents = useLoad(
    () => (user.role === 'viewer' ? Promise.resolve(null) : optional(get<Rec>('/incidents', { limit: 500 }))),
    [],
  );

  return (
    <Page
      title={tr('Tổng quan', 'Overview')}
      actions={
        <>
          <label class="inline" for="as-of">{tr('Tính đến ngày', 'As of')}</label>
          <DateInput id="as-of" value={asOf} testid="as-of" onChange={(v) => isIsoDay(v) && setAsOf(v)} />
          <a class="button" href={`${BASE}/gaps.csv?as_of=${asOf}`} download>
            {tr('Đoạn chưa ký nhận (CSV)', 'Gaps (CSV)')}
          </a>
        </>
      }
    >
      <Show s={cov}>
        {(c) => (
          <div class="headline-box">
            <p class="muted">
              {tr('Tính đến ngày', 'As of')} {date(asOf)}:
            </p>
            <p class="headline" data-testid="headline">
              {headline(c.total)}
            </p>
            <div class="kpis">
              <div class="kpi"><span class="k-val" data-testid="covered-pct">{pct(c.total.covered_m, c.total.length_m)}</span><span class="k-lab">{tr('chiều dài được tự quản', 'of the length co-managed')}</span></div>
              <div class="kpi"><span class="k-val">{kmU(c.total.length_m - c.total.covered_m)}</span><span class="k-lab">{tr('chưa có người ký nhận', 'not yet pledged')}</span></div>
              <div class="kpi"><span class="k-val">{num(c.total.markers_pledged)}/{num(c.total.markers_total)}</span><span class="k-lab">{tr('mốc quốc giới được ký nhận tự quản', 'markers pledged')}</span></div>
            </div>
          </div>
        )}
      </Show>

      <div class="grid2">
        <Show s={hist}>
          {(h) =>
            h.length === 0 ? (
              <NotAvailable />
            ) : (
              <BarChart
                title={tr('Số km được ký nhận tự quản theo năm', 'Km co-managed by year')}
                years={h.map(yearOf)}
                series={[{ label: 'km', cls: 's-km', values: h.map((r) => (r.covered_m ?? r.total?.covered_m ?? 0) / 1000) }]}
                fmt={(x) => num(x, 1)}
              />
            )
          }
        </Show>
        <Show s={hist}>
          {(h) =>
            h.length === 0 ? null : (
              <BarChart
                title={tr('Số hộ gia đình và tập thể ký nhận theo năm', 'Households and collectives by year')}
                years={h.map(yearOf)}
                series={[
                  { label: tr('Hộ gia đình', 'Households'), cls: 's-hh', values: h.map((r) => r.households ?? r.total?.households ?? 0) },
                  { label: tr('Tập thể', 'Collectives'), cls: 's-col', values: h.map((r) => r.collectives ?? r.total?.collectives ?? 0) },
                ]}
                fmt={(x) => num(x)}
              />
            )
          }
        </Show>
      </div>

      <h2>{tr('Tiến độ vận động', 'Campaign progress')}</h2>
      <CampaignBars ledger={ledger.data} roads={roads.data} loading={ledger.loading || roads.loading} error={ledger.error || roads.error} />

      <div class="grid2">
        <div>
          <h2>{tr('Đoạn và mốc quá hạn tuần tra, kiểm tra', 'Overdue stretches and markers')}</h2>
          {overdue.loading ? <Spinner /> : overdue.error ? <ErrorBox error={overdue.error} /> : overdue.data === null ? <NotAvailable /> : <OverdueList data={overdue.data!} />}
        </div>
        <div>
          <h2>{tr('Vụ việc gần đây', 'Recent incidents')}</h2>
          {user.role === 'viewer' ? (
            <p class="muted">{tr('Chỉ cán bộ được xem vụ việc.', 'Only officers see incidents.')}</p>
          ) : incidents.loading ? <Spinner /> : incidents.error ? <ErrorBox error={incidents.error} /> : incidents.data === null ? <NotAvailable /> : (
            <Table
              rows={itemsOf<Rec>(incidents.data).sort((a, b) => String(b.at ?? '').localeCompare(String(a.at ?? ''))).slice(0, 5)}
              cols={[
                { head: tr('Thời điểm', 'When'), cell: (r) => date(r.at ?? r.date) },
                { head: tr('Loại', 'Kind'), cell: (r) => tr(r.kind_vi ?? r.kind, String(r.kind ?? '').replace(/_/g, ' ')) },
                { head: tr('Lý trình', 'Km'), cell: (r) => km(r.measure_m), num: true },
                { head: tr('Trạng thái', 'Status'), cell: (r) => r.status_vi ?? r.status },
              ]}
            />
          )}
        </div>
      </div>

      <Show s={cov}>
        {(c) =>
          c.communes.length > 0 && (
            <>
              <h2>{tr('Theo xã', 'By commune')}</h2>
              <Table
                rows={c.communes}
                cols={[
                  { head: tr('Xã', 'Commune'), cell: (r) => r.name ?? r.code },
                  { head: tr('Chiều dài (km)', 'Length (km)'), cell: (r) => km(r.length_m), num: true },
                  { head: tr('Được tự quản (km)', 'Co-managed (km)'), cell: (r) => km(r.covered_m), num: true },
                  { head: '%', cell: (r) => pct(r.covered_m, r.length_m), num: true },
                  { head: tr('Hộ', 'Households'), cell: (r) => num(r.households), num: true },
                  { head: tr('Tập thể', 'Collectives'), cell: (r) => num(r.collectives), num: true },
                ]}
              />
            </>
          )
        }
      </Show>
    </Page>
  );
}

function CampaignBars({ ledger, roads, loading, error }: { ledger: Rec | null | undefined; roads: Rec | null | undefined; loading: boolean; error: unknown }) {
  if (loading) return <Spinner />;
  if (error) return <ErrorBox error={error} />;
  if (!ledger && !roads) return <NotAvailable />;
  const bars = [];
  if (ledger) {
    // a goal the server does not give (viewers) is shown as "no goal set"
    bars.push(<Progress label={`${ledger.campaign ?? tr('Đợt vận động', 'Campaign')} — ${tr('đã nhận', 'received')}`} value={ledger.total?.received_vnd ?? 0} goal={ledger.goal_vnd} fmt={vnd} />);
    if (ledger.goal_road_m && roads?.total)
      bars.push(<Progress label={tr('Đường tuần tra đã làm so với mục tiêu', 'Patrol road built against the goal')} value={roads.total.built_m ?? 0} goal={ledger.goal_road_m} fmt={kmU} />);
  }
  if (roads) {
    for (const r of itemsOf<Rec>(roads.roads ?? [])) {
      bars.push(<Progress label={`${r.name ?? tr('Đường tuần tra', 'Patrol road')} — ${tr('đã làm', 'built')}`} value={r.built_m ?? 0} goal={r.planned_m} fmt={kmU} />);
    }
  }
  return <div class="bars">{bars.length ? bars : <NotAvailable what={tr('chưa có đợt vận động nào.', 'no campaign yet.')} />}</div>;
}

function OverdueList({ data }: { data: Rec }) {
  const stretches = itemsOf<Rec>(data.stretches ?? data.items ?? []);
  const markers = itemsOf<Rec>(data.markers ?? []);
  if (!stretches.length && !markers.length) return <p class="muted">{tr('Không có đoạn hay mốc nào quá hạn.', 'Nothing overdue.')}</p>;
  return (
    <ul class="plain" data-testid="overdue">
      <li><strong>{tr(`${kmU(data.overdue_m ?? 0)} quá ${data.days ?? 30} ngày chưa tuần tra; ${markers.length} mốc quá hạn kiểm tra`, `${kmU(data.overdue_m ?? 0)} not walked for ${data.days ?? 30} days; ${markers.length} markers overdue`)}</strong></li>
      {stretches.slice(0, 8).map((s) => (
        <li>km {km(s.from_m)} – {km(s.to_m)} {s.custodian ? `— ${s.custodian} ` : ''}{s.last_walked ? `(${tr('tuần tra lần cuối', 'last walked')} ${date(s.last_walked)})` : `(${tr('chưa tuần tra', 'never walked')})`}</li>
      ))}
      {markers.slice(0, 8).map((m) => (
        <li>{tr('Mốc', 'Marker')} {m.number ?? m.marker} {m.last_inspected ? `(${tr('kiểm tra lần cuối', 'last inspected')} ${date(m.last_inspected)})` : `(${tr('chưa kiểm tra', 'never inspected')})`}</li>
      ))}
    </ul>
  );
}
