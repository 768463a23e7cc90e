// SPDX-License-Identifier: MIT
// Ký nhận: add a pledge by markers and offsets ("mốc 1120 + 350 m") or by km,
// previewed live on the straight-line diagram with the stretches it would
// share with other custodians shown before saving.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, itemsOf, post, type User } from '../api';
import { tr } from '../i18n';
import { date, isIsoDay, km, kmU, parseDecimal, today } from '../fmt';
import { forgetCached, intersect, markerNo, markers, union, type Rec } from '../data';
import { loadLanes } from '../lanes';
import { routeQuery } from '../route';
import { Diagram, type Lane } from '../components/diagram';
import { DateField, ErrorBox, errorsFor, Field, Page, Show, useLoad } from '../components/ui';
import { kindName } from './custodians';

interface Draft {
  custodian_id: string;
  custodian_label: string;
  mode: 'markers' | 'km';
  from_marker: string;
  from_offset: string;
  to_marker: string;
  to_offset: string;
  from_km: string;
  to_km: string;
  signed_on: string;
  doc_no: string;
  note: string;
}

const KEY = 'bp.draft.pledge';

function markerKey(s: string): string {
  return s.toLowerCase().replace(/^(mốc|moc|m\.)\s*/u, '').replace(/\s+/g, '').replace(/(^|[^\d])0+(\d)/g, '$1$2');
}

/** The stretch the draft describes, in metres, or a reason it has none. */
function stretch(d: Draft, ms: Rec[]): { from: number; to: number } | { why: string } {
  let a: number, b: number;
  if (d.mode === 'km') {
    a = parseDecimal(d.from_km) * 1000;
    b = parseDecimal(d.to_km) * 1000;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return { why: tr('Nhập lý trình đầu và cuối (km).', 'Enter the start and end km.') };
  } else {
    const find = (s: string) => ms.find((m) => markerKey(markerNo(m)) === markerKey(s) || (m.key && m.key === markerKey(s)));
    const ma = find(d.from_marker), mb = find(d.to_marker);
    if (!d.from_marker || !d.to_marker) return { why: tr('Chọn mốc đầu và mốc cuối.', 'Choose the start and end markers.') };
    if (!ma) return { why: tr(`Không có mốc "${d.from_marker}".`, `No marker "${d.from_marker}".`) };
    if (!mb) return { why: tr(`Không có mốc "${d.to_marker}".`, `No marker "${d.to_marker}".`) };
    const oa = d.from_offset.trim() ? parseDecimal(d.from_offset) : 0;
    const ob = d.to_offset.trim() ? parseDecimal(d.to_offset) : 0;
    if (!Number.isFinite(oa) || !Number.isFinite(ob)) return { why: tr('Cự ly phải là số mét.', 'Offsets are metres.') };
    a = ma.measure_m + oa;
    b = mb.measure_m + ob;
  }
  if (!(b > a)) return { why: tr('Điểm cuối phải ở sau điểm đầu.', 'The end must come after the start.') };
  return { from: a, to: b };
}

export function PledgePage({ user }: { user: User }) {
  const [d, setD] = useState<Draft>(() => {
    const base: Draft = { custodian_id: '', custodian_label: '', mode: 'markers', from_marker: '', from_offset: '', to_marker: '', to_offset: '', from_km: '', to_km: '', signed_on: today(), doc_no: '', note: '' };
    try {
      const s = sessionStorage.getItem(KEY);
      if (s) Object.assign(base, JSON.parse(s));
    } catch { /* none */ }
    const c = routeQuery().get('custodian');
    if (c && c !== base.custodian_id) { base.custodian_id = c; base.custodian_label = ''; }
    return base;
  });
  const set = (p: Partial<Draft>) => {
    const n = { ...d, ...p };
    setD(n);
    try { sessionStorage.setItem(KEY, JSON.stringify(n)); } catch { /* fine */ }
  };
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Rec[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Rec | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const [tried, setTried] = useState(false);
  const ms = useLoad(() => markers(), []);
  // while the signing day is being typed the diagram stays as of today
  const signedIso = isIsoDay(d.signed_on) ? d.signed_on : today();
  const lanes = useLoad(() => loadLanes(signedIso, user), [signedIso, tick]);

  useEffect(() => {
    if (d.custodian_id && !d.custodian_label)
      get<Rec>(`/custodians/${encodeURIComponent(d.custodian_id)}`).then((c) => set({ custodian_label: `${c.name} (${kindName(c)})` }), () => undefined);
  }, [d.custodian_id]);
  useEffect(() => {
    if (!q.trim()) { setFound([]); return; }
    const t = setTimeout(() => get<Rec>('/custodians', { q, limit: 8 }).then((r) => setFound(itemsOf<Rec>(r)), setError), 250);
    return () => clearTimeout(t);
  }, [q]);

  const s = ms.data ? stretch(d, ms.data) : { why: tr('Đang tải danh sách mốc…', 'Loading markers…') };
  const span = 'from' in s ? s : null;
  const overlaps = useMemo(() => {
    if (!span || !lanes.data) return [] as { from: number; to: number; who: string[] }[];
    const others = lanes.data.pledgeSpans.filter((p) => p.rec.custodian_id !== d.custodian_id);
    const out: { from: number; to: number; who: string[] }[] = [];
    for (const [a, b] of union(others.flatMap((p) => intersect(span.from, span.to, [[p.from, p.to]])))) {
      const who = others.filter((p) => p.to > a && p.from < b).map((p) => p.rec.custodian_name ?? p.rec.custodian_id ?? '');
      out.push({ from: a, to: b, who: [...new Set(who)] });
    }
    return out;
  }, [span?.from, span?.to, lanes.data, d.custodian_id]);

  // names of the custodians an overlap is shared with (fetched once each)
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const ids = [...new Set(overlaps.flatMap((o) => o.who))].filter((id) => id && !(id in names)).slice(0, 8);
    if (!ids.length) return;
    Promise.all(ids.map((id) => get<Rec>(`/custodians/${encodeURIComponent(id)}`).then((c) => [id, c.name as string] as const, () => [id, id.slice(0, 8)] as const))).then(
      (pairs) => setNames((n) => ({ ...n, ...Object.fromEntries(pairs) })),
    );
  }, [overlaps]);
  const nameOf = (id: string) => names[id] ?? `${id.slice(0, 8)}…`;

  const view = useMemo<[number, number] | undefined>(() => {
    if (!span || !lanes.data) return undefined;
    const pad = Math.max(1000, (span.to - span.from) * 1.5);
    return [Math.max(0, span.from - pad), Math.min(lanes.data.length, span.to + pad)];
  }, [span?.from, span?.to, lanes.data?.length]);

  const previewLanes: Lane[] = lanes.data
    ? [
        { id: 'new', label: tr('Ký nhận mới', 'New pledge'), items: span ? [{ from: span.from, to: span.to, cls: 'new', label: kmU(span.to - span.from), title: `km ${km(span.from)} – ${km(span.to)}` }] : [] },
        { id: 'overlap', label: tr('Trùng', 'Overlap'), items: overlaps.map((o) => ({ from: o.from, to: o.to, cls: 'overlap', title: `${tr('Trùng với', 'Shared with')}: ${o.who.map(nameOf).join(', ')}` })) },
        ...lanes.data.lanes.filter((l) => ['communes', 'markers', 'pledges', 'gaps'].includes(l.id)),
      ]
    : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (busy || (d.signed_on && !isIsoDay(d.signed_on))) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    const body: Rec = { custodian_id: d.custodian_id, signed_on: d.signed_on };
    if (d.mode === 'markers') {
      body.from = { marker: d.from_marker.trim(), offset_m: d.from_offset.trim() ? parseDecimal(d.from_offset) : 0 };
      body.to = { marker: d.to_marker.trim(), offset_m: d.to_offset.trim() ? parseDecimal(d.to_offset) : 0 };
    } else {
      // typed text goes as is: the server parses "km 80,350" and names the field when it cannot
      body.from = Number.isFinite(parseDecimal(d.from_km)) ? { measure_m: parseDecimal(d.from_km) * 1000 } : `km ${d.from_km}`;
      body.to = Number.isFinite(parseDecimal(d.to_km)) ? { measure_m: parseDecimal(d.to_km) * 1000 } : `km ${d.to_km}`;
    }
    if (d.doc_no.trim()) body.doc_no = d.doc_no.trim();
    if (d.note.trim()) body.note = d.note.trim();
    try {
      const r = await post<Rec>('/pledges', body);
      setSaved(r ?? {});
      forgetCached();
      try { sessionStorage.removeItem(KEY); } catch { /* fine */ }
      setTick((t) => t + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = (...f: string[]) => errorsFor(error, ...f);
  const dl = 'marker-list';

  return (
    <Page title={tr('Ký nhận tự quản', 'Add a pledge')}>
      <form class="form wide" onSubmit={submit} noValidate data-testid="pledge-form">
        <Field id="p-cust" label={tr('Hộ/tập thể ký nhận', 'Household or collective')} error={fe('custodian_id', 'custodian')}>
          {d.custodian_id ? (
            <div class="chosen">
              <strong data-testid="pledge-custodian">{d.custodian_label || d.custodian_id}</strong>{' '}
              <button type="button" onClick={() => set({ custodian_id: '', custodian_label: '' })}>{tr('Đổi', 'Change')}</button>
            </div>
          ) : (
            <>
              <input id="p-cust" type="search" value={q} placeholder={tr('Gõ tên để tìm (không cần dấu)', 'Type a name (accents optional)')} onInput={(e) => setQ(e.currentTarget.value)} />
              <ul class="pick" role="listbox">
                {found.map((c) => (
                  <li><button type="button" onClick={() => { set({ custodian_id: c.id, custodian_label: `${c.name} (${kindName(c)})` }); setQ(''); }}>{c.name} — {kindName(c)}</button></li>
                ))}
              </ul>
            </>
          )}
        </Field>
        <fieldset>
          <legend>{tr('Xác định đoạn', 'The stretch')}</legend>
          <label class="radio"><input type="radio" name="mode" checked={d.mode === 'markers'} onChange={() => set({ mode: 'markers' })} /> {tr('Theo mốc và cự ly', 'By markers and offsets')}</label>
          <label class="radio"><input type="radio" name="mode" checked={d.mode === 'km'} onChange={() => set({ mode: 'km' })} data-testid="mode-km" /> {tr('Theo lý trình (km)', 'By km')}</label>
        </fieldset>
        <datalist id={dl}>{(ms.data ?? []).map((m) => <option value={markerNo(m)} />)}</datalist>
        {d.mode === 'markers' ? (
          <div class="row">
            <Field id="p-fm" label={tr('Mốc đầu', 'Start marker')} error={fe('from_marker', 'from')}>
              <input id="p-fm" list={dl} value={d.from_marker} onInput={(e) => set({ from_marker: e.currentTarget.value })} />
            </Field>
            <Field id="p-fo" label={tr('Cự ly (m, âm là trước mốc)', 'Offset (m, negative is before)')} error={fe('from_offset_m')}>
              <input id="p-fo" inputMode="decimal" value={d.from_offset} onInput={(e) => set({ from_offset: e.currentTarget.value })} />
            </Field>
            <Field id="p-tm" label={tr('Mốc cuối', 'End marker')} error={fe('to_marker', 'to')}>
              <input id="p-tm" list={dl} value={d.to_marker} onInput={(e) => set({ to_marker: e.currentTarget.value })} />
            </Field>
            <Field id="p-to" label={tr('Cự ly (m)', 'Offset (m)')} error={fe('to_offset_m')}>
              <input id="p-to" inputMode="decimal" value={d.to_offset} onInput={(e) => set({ to_offset: e.currentTarget.value })} />
            </Field>
          </div>
        ) : (
          <div class="row">
            <Field id="p-fk" label={tr('Từ km', 'From km')} hint={tr('ví dụ 80,350', 'e.g. 80.350')} error={fe('from_m', 'from')}>
              <input id="p-fk" inputMode="decimal" value={d.from_km} data-testid="from-km" onInput={(e) => set({ from_km: e.currentTarget.value })} />
            </Field>
            <Field id="p-tk" label={tr('Đến km', 'To km')} error={fe('to_m', 'to')}>
              <input id="p-tk" inputMode="decimal" value={d.to_km} data-testid="to-km" onInput={(e) => set({ to_km: e.currentTarget.value })} />
            </Field>
          </div>
        )}
        <div class="row">
          <DateField id="p-signed" label={tr('Ngày ký nhận', 'Signed on')} error={fe('signed_on')} value={d.signed_on} force={tried} onChange={(v) => set({ signed_on: v })} />
          <Field id="p-doc" label={tr('Số văn bản', 'Document number')} error={fe('doc_no')}>
            <input id="p-doc" value={d.doc_no} onInput={(e) => set({ doc_no: e.currentTarget.value })} />
          </Field>
        </div>
        <Field id="p-note" label={tr('Ghi chú', 'Note')} error={fe('note')}>
          <input id="p-note" value={d.note} onInput={(e) => set({ note: e.currentTarget.value })} />
        </Field>

        <h2>{tr('Xem trước', 'Preview')}</h2>
        <p data-testid="pledge-preview" class={span ? 'ok' : 'muted'}>
          {span
            ? tr(`Đoạn km ${km(span.from)} – ${km(span.to)}, dài ${kmU(span.to - span.from)}.`, `Stretch km ${km(span.from)} – ${km(span.to)}, ${kmU(span.to - span.from)} long.`)
            : (s as { why: string }).why}
        </p>
        {span && (
          <p data-testid="pledge-overlaps" class={overlaps.length ? 'warn' : 'ok'} role="status">
            {overlaps.length
              ? tr(`Trùng ${kmU(overlaps.reduce((t, o) => t + o.to - o.from, 0))} với đoạn đã có người ký nhận: `, `Shares ${kmU(overlaps.reduce((t, o) => t + o.to - o.from, 0))} with existing pledges: `) +
                overlaps.map((o) => `km ${km(o.from)} – ${km(o.to)} (${o.who.map(nameOf).join(', ') || '?'})`).join('; ')
              : tr('Không trùng với bản ký nhận nào khác.', 'No overlap with other pledges.')}
          </p>
        )}
        <Show s={lanes}>{(l) => <Diagram length={l.length} lanes={previewLanes} view={view} />}</Show>
        <ErrorBox error={error} />
        {saved && (
          <p class="ok" role="status" data-testid="pledge-saved">
            {tr('Đã lưu bản ký nhận', 'Pledge saved')}{saved.signed_on ? ` (${date(saved.signed_on)})` : ''}. <a href="#/dashboard">{tr('Xem tổng quan', 'See the overview')}</a>
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !d.custodian_id} data-testid="pledge-save">{busy ? tr('Đang lưu…', 'Saving…') : tr('Lưu bản ký nhận', 'Save the pledge')}</button>
        </div>
      </form>
    </Page>
  );
}
