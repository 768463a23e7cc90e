// SPDX-License-Identifier: MIT
// The record pages that follow the patrol and campaign issues: Mốc quốc
// giới, Vụ việc (with status changes), Vận động (ledger, donors, donations,
// spending, road progress, the public ledger), Mô hình (bamboo, lights),
// Ngày 3/3, Khen thưởng and Báo cáo. Each degrades to "not available" when
// the server lacks its routes.
import { useState } from 'preact/hooks';
import { all, get, itemsOf, patch, type User } from '../api';
import { tr } from '../i18n';
import { date, km, num } from '../fmt';
import type { Rec } from '../data';
import { ErrorBox, NotAvailable, optional, Page, Show, Table, useLoad } from '../components/ui';

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
