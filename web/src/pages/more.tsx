// SPDX-License-Identifier: MIT
// The record pages that follow the patrol and campaign issues: Mốc quốc
// giới, Vụ việc (with status changes), Vận động (ledger, donors, donations,
// spending, road progress, the public ledger), Mô hình (bamboo, lights),
// Ngày 3/3, Khen thưởng and Báo cáo. Each degrades to "not available" when
// the server lacks its routes.
import { useState } from 'preact/hooks';
import { all, BASE, get, itemsOf, patch, post, type User } from '../api';
import { tr } from '../i18n';
import { date, km, kmU, num, vnd } from '../fmt';
import type { Rec } from '../data';
import { AutoList } from '../components/auto';
import { ErrorBox, NotAvailable, optional, Page, Progress, Show, Spinner, Table, useLoad } from '../components/ui';

function Tabs({ tabs, current, onPick }: { tabs: [string, string][]; current: string; onPick: (id: string) => void }) {
  return (
    <div class="tabs" role="tablist">
      {tabs.map(([id, label]) => (
        <button type="button" role="tab" aria-selected={current === id} class={current === id ? 'on' : ''} onClick={() => onPick(id)}>
          {label}
        </button>
      ))}
    </div>
  );
}

export function MarkersPage({ user }: { user: User }) {
  const [overdueOnly, setOverdueOnly] = useState(false);
  const overdue = useLoad(() => optional(get<Rec>('/overdue')).catch(() => null), []);
  const od = new Set(itemsOf<Rec>(overdue.data?.markers ?? []).map((m) => m.marker_id ?? m.id));
  const st = useLoad(async () => {
    const ms = itemsOf<Rec>(await get('/markers', { limit: 1000, sort: 'measure_m' }));
    // the last inspection of each marker, by its number
    const ins = user.role === 'viewer' ? null : await optional(all<Rec>('/inspections')).catch(() => null);
    const last = new Map<string, Rec>();
    for (const x of ins ?? []) {
      const k = String(x.marker ?? '');
      const prev = last.get(k);
      if (!prev || String(x.date ?? '') > String(prev.date ?? '')) last.set(k, x);
    }
    for (const m of ms) {
      const x = last.get(m.number) ?? last.get(m.key);
      if (x) m.last_inspection = x;
    }
    return ms;
  }, []);
  return (
    <Page title={tr('Mốc quốc giới', 'Boundary markers')}>
      <label class="check">
        <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.currentTarget.checked)} /> {tr('Chỉ mốc quá hạn kiểm tra', 'Only overdue markers')}
      </label>
      {overdue.data === null && !overdue.loading && <p class="muted small">{tr('Chưa có dữ liệu kiểm tra mốc.', 'Inspection data not available.')}</p>}
      <Show s={st}>
        {(ms) => (
          <Table
            rows={ms.filter((m) => !overdueOnly || od.has(m.id))}
            cols={[
              { head: tr('Số hiệu', 'Number'), cell: (m) => m.number },
              { head: tr('Loại', 'Kind'), cell: (m) => m.kind_vi ?? ({ main: tr('Mốc chính', 'Main'), sub: tr('Mốc phụ', 'Sub'), twin: tr('Mốc đôi', 'Twin') } as Rec)[m.kind] ?? m.kind },
              { head: tr('Lý trình (km)', 'Km'), cell: (m) => km(m.measure_m), num: true },
              { head: tr('Kiểm tra lần cuối', 'Last inspected'), cell: (m) => date(m.last_inspection?.date) },
              { head: tr('Tình trạng', 'Condition'), cell: (m) => (m.last_inspection ? tr(m.last_inspection.condition_vi ?? m.last_inspection.condition, String(m.last_inspection.condition ?? '')) : '—') },
              { head: tr('Quá hạn', 'Overdue'), cell: (m) => (od.has(m.id) || m.overdue ? <strong class="bad-text">{tr('Quá hạn', 'Overdue')}</strong> : '') },
            ]}
          />
        )}
      </Show>
      {user.role === 'viewer' && null}
    </Page>
  );
}

const STATUSES: [string, string, string][] = [
  ['new', 'Mới', 'New'],
  ['in_progress', 'Đang xử lý', 'In progress'],
  ['resolved', 'Đã xử lý', 'Resolved'],
];

export function IncidentsPage({ user }: { user: User }) {
  const st = useLoad(async () => {
    const r = await optional(get<Rec>('/incidents', { limit: 500 }));
    return r === null ? null : itemsOf<Rec>(r).sort((a, b) => String(b.at ?? '').localeCompare(String(a.at ?? '')));
  }, []);
  const [error, setError] = useState<unknown>(null);
  const setStatus = async (r: Rec, status: string) => {
    setError(null);
    try {
      await patch(`/incidents/${encodeURIComponent(r.id)}`, { status });
      st.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page title={tr('Vụ việc', 'Incidents')}>
      <ErrorBox error={error} />
      <Show s={st}>
        {(d) =>
          d === null ? <NotAvailable /> : (
            <Table
              rows={d}
              cols={[
                { head: tr('Thời điểm', 'When'), cell: (r) => date(r.at ?? r.date) },
                { head: tr('Loại', 'Kind'), cell: (r) => tr(r.kind_vi ?? r.kind, String(r.kind ?? '').replace(/_/g, ' ')) },
                { head: tr('Lý trình (km)', 'Km'), cell: (r) => km(r.measure_m), num: true },
                { head: tr('Mốc', 'Marker'), cell: (r) => r.marker ?? '' },
                { head: tr('Mức độ', 'Severity'), cell: (r) => num(r.severity), num: true },
                { head: tr('Mô tả', 'Description'), cell: (r) => r.description ?? '' },
                {
                  head: tr('Trạng thái', 'Status'),
                  cell: (r) =>
                    user.role === 'viewer' ? (r.status_vi ?? r.status) : (
                      <select aria-label={tr('Trạng thái', 'Status')} value={r.status} onChange={(e) => setStatus(r, e.currentTarget.value)}>
                        {STATUSES.map(([v, vi, en]) => <option value={v}>{tr(vi, en)}</option>)}
                        {!STATUSES.some(([v]) => v === r.status) && <option value={r.status}>{r.status}</option>}
                      </select>
                    ),
                },
              ]}
              empty={tr('Không có vụ việc nào.', 'No incidents.')}
            />
          )
        }
      </Show>
    </Page>
  );
}

function LedgerView({ data }: { data: Rec }) {
  const rows: [string, string, number | undefined][] = [
    ['Đã cam kết', 'Pledged', data.pledged ?? data.pledged_vnd],
    ['Đã nhận', 'Received', data.received ?? data.received_vnd],
    ['Đã chi', 'Spent', data.spent ?? data.spent_vnd],
    ['Còn lại', 'Balance', data.balance ?? data.balance_vnd],
  ];
  return (
    <dl class="facts money" data-testid="ledger">
      {rows.filter((r) => r[2] !== undefined).map(([vi, en, v]) => (<><dt>{tr(vi, en)}</dt><dd>{vnd(v)}</dd></>))}
      {data.labour_days != null && (<><dt>{tr('Ngày công', 'Labour days')}</dt><dd>{num(data.labour_days)}</dd></>)}
    </dl>
  );
}

export function CampaignPage({ user }: { user: User }) {
  const isViewer = user.role === 'viewer';
  const [tab, setTab] = useState(isViewer ? 'public' : 'ledger');
  const ledger = useLoad(() => optional(get<Rec>(tab === 'public' ? '/ledger/public' : '/ledger')).catch(() => null), [tab]);
  const roads = useLoad(() => optional(get<Rec>('/roads')), []);
  const tabs: [string, string][] = isViewer
    ? [['public', tr('Sổ công khai', 'Public ledger')], ['roads', tr('Tiến độ đường', 'Road progress')]]
    : [
        ['ledger', tr('Sổ quỹ', 'Ledger')],
        ['donors', tr('Nhà hảo tâm', 'Donors')],
        ['donations', tr('Khoản ủng hộ', 'Donations')],
        ['expenses', tr('Khoản chi', 'Spending')],
        ['roads', tr('Tiến độ đường', 'Road progress')],
        ['public', tr('Sổ công khai', 'Public ledger')],
      ];
  return (
    <Page title={tr('Vận động xây dựng đường tuần tra', 'Patrol-road campaign')}>
      <Tabs tabs={tabs} current={tab} onPick={setTab} />
      {(tab === 'ledger' || tab === 'public') && (ledger.loading ? <Spinner /> : ledger.data ? (
        <>
          <LedgerView data={ledger.data.totals ?? ledger.data} />
          {itemsOf<Rec>(ledger.data.entries ?? ledger.data.items ?? []).length > 0 && <AutoRows rows={itemsOf<Rec>(ledger.data.entries ?? ledger.data.items)} />}
        </>
      ) : <NotAvailable />)}
      {['donors', 'donations', 'expenses'].includes(tab) && <AutoList path={`/${tab}`} prefer={['date', 'received_on', 'spent_on', 'name', 'donor_name', 'kind', 'amount_vnd', 'purpose']} />}
      {tab === 'roads' && (roads.loading ? <Spinner /> : roads.error ? <ErrorBox error={roads.error} /> : roads.data === null ? <NotAvailable /> : (
        <div class="bars">
          {itemsOf<Rec>(roads.data).map((r) => (
            <Progress label={`${r.name ?? tr('Đường tuần tra', 'Patrol road')}`} value={r.built_m ?? r.done_m ?? 0} goal={r.planned_m ?? r.length_m ?? 0} fmt={kmU} />
          ))}
          {itemsOf<Rec>(roads.data).length === 0 && <p class="muted">{tr('Chưa có dự án đường nào.', 'No road project yet.')}</p>}
        </div>
      ))}
    </Page>
  );
}

function AutoRows({ rows }: { rows: Rec[] }) {
  return (
    <Table rows={rows} cols={Object.keys(rows[0] ?? {}).filter((k) => !/id$/.test(k) && typeof rows[0][k] !== 'object').slice(0, 7).map((k) => ({
      head: k, cell: (r: Rec) => (typeof r[k] === 'number' && /vnd|amount/.test(k) ? vnd(r[k]) : /_on$/.test(k) ? date(r[k]) : String(r[k] ?? '')),
      num: typeof rows[0][k] === 'number',
    }))} />
  );
}

export function ModelsPage(_: { user: User }) {
  const [tab, setTab] = useState('bamboo');
  return (
    <Page title={tr('Mô hình', 'Community models')}>
      <Tabs tabs={[['bamboo', tr('Lũy tre biên giới Việt', 'Bamboo belt')], ['lights', tr('Thắp sáng đường tuần tra biên giới', 'Patrol-road lights')]]} current={tab} onPick={setTab} />
      <AutoList key={tab} path={`/${tab}`} prefer={['name', 'commune_name', 'from_m', 'to_m', 'length_m', 'count', 'planted_on', 'installed_on', 'status']} />
    </Page>
  );
}

export function EventsPage(_: { user: User }) {
  return (
    <Page title={tr('Ngày Biên phòng toàn dân 3/3', 'All-People Border Guard Day (3 March)')}>
      <AutoList path="/events" prefer={['date', 'year', 'commune_name', 'title', 'kind', 'participants', 'note']} empty={tr('Chưa có hoạt động nào.', 'No activities yet.')} />
    </Page>
  );
}

export function AwardsPage(_: { user: User }) {
  const [tab, setTab] = useState('awards');
  return (
    <Page title={tr('Khen thưởng', 'Commendations')}>
      <Tabs tabs={[['awards', tr('Đã khen thưởng', 'Given')], ['suggestions', tr('Đề xuất', 'Suggestions')]]} current={tab} onPick={setTab} />
      <AutoList key={tab} path={tab === 'awards' ? '/awards' : '/awards/suggestions'} prefer={['date', 'year', 'level', 'kind', 'recipient', 'custodian_name', 'reason']} />
    </Page>
  );
}

export function ReportsPage(_: { user: User }) {
  const year = new Date().getFullYear();
  const [from, setFrom] = useState(`${year - 5}-03-03`);
  const [to, setTo] = useState(`${year}-03-03`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [made, setMade] = useState<Rec | null>(null);
  const list = useLoad(() => optional(get<Rec>('/reports')), []);
  const make = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setMade((await post<Rec>('/reports', { from, to })) ?? {});
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const link = (r: Rec, fmt: string) => r.links?.[fmt] ?? `${BASE}/reports/${encodeURIComponent(r.id)}?format=${fmt}`;
  return (
    <Page title={tr('Báo cáo sơ kết, tổng kết', 'Review report')}>
      {list.loading ? <Spinner /> : list.data === null ? <NotAvailable /> : (
        <>
          <form class="form" onSubmit={make}>
            <div class="row">
              <label>{tr('Từ ngày', 'From')} <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
              <label>{tr('Đến ngày', 'To')} <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
            </div>
            <ErrorBox error={error} />
            <button type="submit" class="primary" disabled={busy}>{busy ? tr('Đang lập báo cáo…', 'Generating…') : tr('Lập báo cáo', 'Generate')}</button>
            {busy && <div class="bar indeterminate" role="progressbar" aria-label={tr('Đang lập báo cáo', 'Generating')}><div class="fill" /></div>}
          </form>
          {made && made.id && <p class="ok">{tr('Đã lập báo cáo.', 'Report generated.')} <a href={link(made, 'pdf')}>PDF</a> · <a href={link(made, 'html')}>HTML</a> · <a href={link(made, 'csv')}>CSV</a></p>}
          <Table
            rows={itemsOf<Rec>(list.data)}
            cols={[
              { head: tr('Kỳ báo cáo', 'Period'), cell: (r) => `${date(r.from)} – ${date(r.to)}` },
              { head: tr('Lập lúc', 'Made'), cell: (r) => date(r.created_at) },
              { head: tr('Tải về', 'Download'), cell: (r) => <><a href={link(r, 'pdf')}>PDF</a> · <a href={link(r, 'html')}>HTML</a> · <a href={link(r, 'csv')}>CSV</a></> },
            ]}
            empty={tr('Chưa có báo cáo nào.', 'No report yet.')}
          />
        </>
      )}
    </Page>
  );
}
