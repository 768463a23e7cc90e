// SPDX-License-Identifier: MIT
// A list of any API resource: columns derived from its records (km for
// *_m, money for *_vnd and amounts, dates for *_on and *_at), "not
// available" when the server lacks the route, cursor paging.
import { useState } from 'preact/hooks';
import { get, itemsOf, type Page as ApiPage } from '../api';
import { tr } from '../i18n';
import { date, km, num, vnd } from '../fmt';
import type { Rec } from '../data';
import { ErrorBox, NotAvailable, Spinner, Table, useLoad, type Col } from './ui';

const HEADS: Record<string, [string, string]> = {
  name: ['Tên', 'Name'], number: ['Số hiệu', 'Number'], kind: ['Loại', 'Kind'], status: ['Trạng thái', 'Status'],
  date: ['Ngày', 'Date'], from_m: ['Từ km', 'From km'], to_m: ['Đến km', 'To km'], measure_m: ['Lý trình (km)', 'Km'],
  length_m: ['Dài (km)', 'Length (km)'], walked_m: ['Đã đi (km)', 'Walked (km)'], amount_vnd: ['Số tiền', 'Amount'],
  amount: ['Số tiền', 'Amount'], commune_name: ['Xã', 'Commune'], station_name: ['Đồn', 'Station'], note: ['Ghi chú', 'Note'],
  title: ['Tiêu đề', 'Title'], condition: ['Tình trạng', 'Condition'], last_inspected_on: ['Kiểm tra lần cuối', 'Last inspected'],
  reported_on: ['Ngày báo', 'Reported'], donor_name: ['Người ủng hộ', 'Donor'], received_on: ['Ngày nhận', 'Received'],
  spent_on: ['Ngày chi', 'Spent'], purpose: ['Nội dung', 'Purpose'], level: ['Cấp', 'Level'], year: ['Năm', 'Year'],
  recipient: ['Người/đơn vị nhận', 'Recipient'], username: ['Tên đăng nhập', 'User name'], role: ['Vai trò', 'Role'],
  at: ['Thời điểm', 'Time'], action: ['Thao tác', 'Action'], user: ['Người dùng', 'User'], record_kind: ['Loại bản ghi', 'Record kind'],
  overdue: ['Quá hạn', 'Overdue'], count: ['Số lượng', 'Count'], quantity: ['Số lượng', 'Quantity'], unit: ['Đơn vị', 'Unit'],
};

export function head(k: string): string {
  const h = HEADS[k];
  return h ? tr(h[0], h[1]) : k.replace(/_/g, ' ');
}

export function cellOf(k: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? tr('có', 'yes') : tr('không', 'no');
  if (typeof v === 'number') {
    if (/_m$/.test(k)) return km(v);
    if (/vnd$|^amount|_amount/.test(k)) return vnd(v);
    if (k === 'year') return String(v);
    return num(v, Number.isInteger(v) ? 0 : 2);
  }
  if (typeof v === 'string') {
    if (/(_on|_at|^date|^at)$/.test(k)) return date(v);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? '' : String(x))).join(', ');
  return '';
}

export function autoCols(rows: Rec[], prefer?: string[], skip: string[] = []): Col<Rec>[] {
  const keys = new Set<string>();
  for (const r of rows.slice(0, 20)) for (const k of Object.keys(r)) keys.add(k);
  const hidden = (k: string) => k === 'id' || /_id$/.test(k) || skip.includes(k) || rows.every((r) => r[k] === null || typeof r[k] === 'object');
  const order = [...(prefer ?? []).filter((k) => keys.has(k)), ...[...keys].filter((k) => !(prefer ?? []).includes(k))];
  return order
    .filter((k) => !hidden(k))
    .slice(0, 8)
    .map((k) => ({ head: head(k), cell: (r: Rec) => cellOf(k, r[k]), num: rows.some((r) => typeof r[k] === 'number') && k !== 'year' }));
}

export function AutoList({ path, params, prefer, skip, onRow, empty, testid }: { path: string; params?: Record<string, string>; prefer?: string[]; skip?: string[]; onRow?: (r: Rec) => void; empty?: string; testid?: string }) {
  const [extra, setExtra] = useState<Rec[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const st = useLoad(async () => {
    const r = await get<ApiPage<Rec>>(path, { limit: 100, ...params });
    setExtra([]);
    setCursor(r?.next_cursor ?? null);
    return itemsOf<Rec>(r);
  }, [path, JSON.stringify(params ?? {})]);
  if (st.loading && !st.data) return <Spinner />;
  if (st.error) return <ErrorBox error={st.error} onRetry={st.reload} />;
  const rows = [...(st.data ?? []), ...extra];
  return (
    <div data-testid={testid}>
      <Table rows={rows} cols={autoCols(rows, prefer, skip)} onRow={onRow} empty={empty} />
      {cursor && (
        <button type="button" onClick={async () => {
          const r = await get<ApiPage<Rec>>(path, { limit: 100, ...params, cursor });
          setExtra([...extra, ...itemsOf<Rec>(r)]);
          setCursor(r?.next_cursor ?? null);
        }}>
          {tr('Xem thêm', 'Show more')}
        </button>
      )}
    </div>
  );
}

export { NotAvailable };
