// SPDX-License-Identifier: MIT
// Hộ và tập thể: the list with a search that ignores diacritics (the API's
// ?q=), a record's details with its pledges and patrol history, and the add
// and edit forms; errors name the field in the user's language and nothing
// typed is lost when saving fails.
import { useEffect, useState } from 'preact/hooks';
import { BASE, get, itemsOf, patch, post, type Page as ApiPage, type User } from '../api';
import { tr } from '../i18n';
import { date, km, num, today } from '../fmt';
import { anchorText, communes, measure, villages, type Rec } from '../data';
import { go } from '../route';
import { ErrorBox, errorsFor, Field, optional, Page, Show, Spinner, Table, useLoad } from '../components/ui';

const COLLECTIVE_KINDS: [string, string, string][] = [
  ['youth_union', 'Chi đoàn thanh niên', 'Youth union'],
  ['self_managed', 'Tổ tự quản', 'Self-managed group'],
  ['militia', 'Dân quân', 'Militia'],
  ['school', 'Trường học', 'School'],
  ['women_union', 'Hội phụ nữ', "Women's union"],
  ['unit', 'Đơn vị', 'Unit'],
  ['other', 'Khác', 'Other'],
];

export function kindName(r: Rec): string {
  return r.kind === 'collective' ? tr('Tập thể', 'Collective') : tr('Hộ gia đình', 'Household');
}

function useNames() {
  return useLoad(async () => {
    const [cs, vs] = await Promise.all([communes(), villages().catch(() => [] as Rec[])]);
    return { communes: cs, villages: vs, commune: new Map(cs.map((c) => [c.id, c])), village: new Map(vs.map((v) => [v.id, v])) };
  }, []);
}

export function Custodians({ user }: { user: User }) {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const [commune, setCommune] = useState('');
  const [rows, setRows] = useState<Rec[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const names = useNames();

  const load = async (more: boolean) => {
    setLoading(true);
    try {
      const r = await get<ApiPage<Rec>>('/custodians', { q, kind, commune, limit: 50, cursor: more ? cursor : undefined });
      const items = itemsOf<Rec>(r);
      setRows(more ? [...rows, ...items] : items);
      setCursor(r.next_cursor ?? null);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    const t = setTimeout(() => load(false), 250);
    return () => clearTimeout(t);
  }, [q, kind, commune]);

  const cmap = names.data?.commune;
  const vmap = names.data?.village;
  return (
    <Page
      title={tr('Hộ và tập thể', 'Households & collectives')}
      actions={
        <>
          <a class="button" href={`${BASE}/custodians.csv`} download>
            {tr('Xuất CSV', 'Export CSV')}
          </a>
          <a class="button primary" href="#/custodians/new" data-testid="add-custodian">
            {tr('Thêm hộ/tập thể', 'Add')}
          </a>
        </>
      }
    >
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); load(false); }}>
        <label>
          {tr('Tìm (không cần dấu)', 'Search (accents optional)')}
          <input type="search" value={q} data-testid="custodian-search" placeholder={tr('ví dụ: Hoang Van', 'e.g. Hoang Van')} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          {tr('Loại', 'Kind')}
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="">{tr('Tất cả', 'All')}</option>
            <option value="household">{tr('Hộ gia đình', 'Households')}</option>
            <option value="collective">{tr('Tập thể', 'Collectives')}</option>
          </select>
        </label>
        {user.role !== 'commune' && (
          <label>
            {tr('Xã', 'Commune')}
            <select value={commune} onChange={(e) => setCommune(e.currentTarget.value)}>
              <option value="">{tr('Tất cả', 'All')}</option>
              {(names.data?.communes ?? []).map((c) => (
                <option value={c.id}>{c.name}</option>
              ))}
            </select>
          </label>
        )}
      </form>
      <ErrorBox error={error} onRetry={() => load(false)} />
      <Table
        rows={rows}
        onRow={(r) => go(`custodians/${r.id}`)}
        cols={[
          { head: tr('Tên', 'Name'), cell: (r) => <a href={`#/custodians/${r.id}`}>{r.name}</a> },
          { head: tr('Loại', 'Kind'), cell: kindName },
          { head: tr('Xã', 'Commune'), cell: (r) => r.commune_name ?? cmap?.get(r.commune_id)?.name ?? '' },
          { head: tr('Thôn, bản', 'Village'), cell: (r) => r.village_name ?? vmap?.get(r.village_id)?.name ?? '' },
          { head: tr('Nhân khẩu', 'Members'), cell: (r) => (r.kind === 'household' ? num(r.members) : ''), num: true },
        ]}
        empty={loading ? tr('Đang tải…', 'Loading…') : tr('Không tìm thấy hộ hay tập thể nào.', 'No household or collective found.')}
      />
      {loading && <Spinner />}
      {cursor && !loading && (
        <button type="button" onClick={() => load(true)}>
          {tr('Xem thêm', 'Show more')}
        </button>
      )}
    </Page>
  );
}

export function CustodianDetail({ user, id }: { user: User; id: string }) {
  const st = useLoad(async () => {
    const c = await get<Rec>(`/custodians/${encodeURIComponent(id)}`);
    const [pledges, patrols] = await Promise.all([
      get<Rec>('/pledges', { custodian: id, limit: 1000 }).then((r) => itemsOf<Rec>(r)),
      optional(get<Rec>('/patrols', { limit: 1000 })).then((r) => (r ? itemsOf<Rec>(r).filter((p) => Array.isArray(p.participants) && p.participants.includes(id)) : null)),
    ]);
    return { c, pledges, patrols };
  }, [id]);
  const names = useNames();
  const [endError, setEndError] = useState<unknown>(null);
  const endPledge = async (p: Rec) => {
    if (!confirm(tr('Kết thúc bản ký nhận này từ hôm nay?', 'End this pledge as of today?'))) return;
    setEndError(null);
    try {
      await post(`/pledges/${encodeURIComponent(p.id)}/end`, { ended_on: today() });
      st.reload();
    } catch (e) {
      setEndError(e);
    }
  };
  return (
    <Show s={st}>
      {({ c, pledges, patrols }) => (
        <Page
          title={c.name}
          actions={
            <>
              <a class="button" href={`#/custodians/${id}/edit`}>{tr('Sửa', 'Edit')}</a>
              <a class="button primary" href={`#/pledge?custodian=${id}`}>{tr('Thêm ký nhận', 'Add pledge')}</a>
            </>
          }
        >
          <dl class="facts" data-testid="custodian-facts">
            <dt>{tr('Loại', 'Kind')}</dt><dd>{kindName(c)}{c.kind === 'collective' && c.collective_kind ? ` — ${tr(...(COLLECTIVE_KINDS.find((k) => k[0] === c.collective_kind)?.slice(1) as [string, string] ?? [c.collective_kind, c.collective_kind]))}` : ''}</dd>
            <dt>{tr('Xã', 'Commune')}</dt><dd>{c.commune_name ?? names.data?.commune.get(c.commune_id)?.name ?? '—'}</dd>
            <dt>{tr('Thôn, bản', 'Village')}</dt><dd>{c.village_name ?? names.data?.village.get(c.village_id)?.name ?? '—'}</dd>
            {c.kind === 'household' && (<><dt>{tr('Số nhân khẩu', 'Members')}</dt><dd>{num(c.members)}</dd></>)}
            {c.phone !== undefined && (<><dt>{tr('Số điện thoại', 'Phone')}</dt><dd>{c.phone ?? '—'}</dd></>)}
            {c.citizen_id !== undefined && (<><dt>{tr('Số CCCD/CMND', 'Citizen ID')}</dt><dd>{c.citizen_id ?? '—'}</dd></>)}
            {c.contact && (<><dt>{tr('Người liên hệ', 'Contact')}</dt><dd>{c.contact}</dd></>)}
            {c.ended_on && (<><dt>{tr('Kết thúc', 'Ended')}</dt><dd>{date(c.ended_on)}</dd></>)}
          </dl>
          <h2>{tr('Các bản ký nhận tự quản', 'Pledges')}</h2>
          <Table
            rows={pledges}
            cols={[
              { head: tr('Từ', 'From'), cell: (p) => anchorText(p, 'from') || `km ${km(measure(p, 'from'))}` },
              { head: tr('Đến', 'To'), cell: (p) => anchorText(p, 'to') || `km ${km(measure(p, 'to'))}` },
              { head: 'km', cell: (p) => km(measure(p, 'to') - measure(p, 'from')), num: true },
              { head: tr('Ngày ký', 'Signed'), cell: (p) => date(p.signed_on) },
              { head: tr('Kết thúc', 'Ended'), cell: (p) => (p.ended_on ? date(p.ended_on) : tr('đang hiệu lực', 'active')) },
              { head: tr('Số văn bản', 'Document'), cell: (p) => p.doc_no ?? '' },
              { head: '', cell: (p) => (p.ended_on ? '' : <button type="button" onClick={() => endPledge(p)}>{tr('Kết thúc', 'End')}</button>) },
            ]}
            empty={tr('Chưa ký nhận đoạn nào.', 'No pledge yet.')}
          />
          <ErrorBox error={endError} />
          <h2>{tr('Lịch sử tuần tra', 'Patrol history')}</h2>
          {patrols === null ? (
            <p class="muted" data-testid="not-available">{tr('Chưa có dữ liệu tuần tra.', 'Patrol records not available.')}</p>
          ) : (
            <Table
              rows={patrols}
              onRow={(p) => go(`patrols/${p.id}`)}
              cols={[
                { head: tr('Ngày', 'Date'), cell: (p) => date(p.date ?? p.patrol_on ?? p.started_at) },
                { head: tr('Đã đi (km)', 'Walked (km)'), cell: (p) => km(p.walked_m), num: true },
                { head: tr('Xác nhận', 'Verified'), cell: (p) => (p.verified ? tr('có', 'yes') : tr('chờ duyệt', 'awaiting approval')) },
              ]}
              empty={tr('Chưa tham gia chuyến tuần tra nào.', 'No patrols yet.')}
            />
          )}
          <p><a href="#/custodians">← {tr('Danh sách hộ và tập thể', 'All households and collectives')}</a></p>
          {user.role === 'viewer' && null}
        </Page>
      )}
    </Show>
  );
}

interface Draft {
  kind: string;
  name: string;
  collective_kind: string;
  members: string;
  commune_id: string;
  village_id: string;
  phone: string;
  citizen_id: string;
  contact: string;
}

const EMPTY: Draft = { kind: 'household', name: '', collective_kind: 'self_managed', members: '', commune_id: '', village_id: '', phone: '', citizen_id: '', contact: '' };

export function CustodianForm({ user, id }: { user: User; id?: string }) {
  const draftKey = `bp.draft.custodian.${id ?? 'new'}`;
  const [d, setD] = useState<Draft>(() => {
    try {
      const s = sessionStorage.getItem(draftKey);
      if (s) return { ...EMPTY, ...JSON.parse(s) };
    } catch {
      /* none */
    }
    return { ...EMPTY, commune_id: user.commune_id ?? '' };
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(!id);
  const names = useNames();

  useEffect(() => {
    if (!id) return;
    get<Rec>(`/custodians/${encodeURIComponent(id)}`).then(
      (c) => {
        setD({
          kind: c.kind ?? 'household', name: c.name ?? '', collective_kind: c.collective_kind ?? 'self_managed',
          members: c.members != null ? String(c.members) : '', commune_id: c.commune_id ?? '', village_id: c.village_id ?? '',
          phone: c.phone ?? '', citizen_id: c.citizen_id ?? '', contact: c.contact ?? '',
        });
        setLoaded(true);
      },
      (e) => { setError(e); setLoaded(true); },
    );
  }, [id]);
  const set = (k: keyof Draft, v: string) => {
    const n = { ...d, [k]: v };
    setD(n);
    try { sessionStorage.setItem(draftKey, JSON.stringify(n)); } catch { /* fine */ }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Rec = { kind: d.kind, name: d.name.trim(), commune_id: d.commune_id || undefined };
    if (d.kind === 'household') {
      if (d.members.trim()) body.members = /^\d+$/.test(d.members.trim()) ? Number(d.members.trim()) : d.members;
      if (d.village_id) body.village_id = d.village_id;
      if (d.citizen_id.trim()) body.citizen_id = d.citizen_id.trim();
    } else {
      body.collective_kind = d.collective_kind;
      if (d.contact.trim()) body.contact = d.contact.trim();
    }
    if (d.phone.trim()) body.phone = d.phone.trim();
    try {
      const r = id ? await patch<Rec>(`/custodians/${encodeURIComponent(id)}`, body) : await post<Rec>('/custodians', body);
      try { sessionStorage.removeItem(draftKey); } catch { /* fine */ }
      go(`custodians/${r?.id ?? id}`);
    } catch (err) {
      setError(err); // what was typed stays in the form
    } finally {
      setBusy(false);
    }
  };

  const vs = (names.data?.villages ?? []).filter((v) => !d.commune_id || v.commune_id === d.commune_id);
  const fe = (...f: string[]) => errorsFor(error, ...f);
  if (!loaded) return <Spinner />;
  return (
    <Page title={id ? tr('Sửa hộ/tập thể', 'Edit household or collective') : tr('Thêm hộ/tập thể', 'Add a household or collective')}>
      <form class="form" onSubmit={submit} noValidate data-testid="custodian-form">
        <fieldset>
          <legend>{tr('Loại', 'Kind')}</legend>
          <label class="radio"><input type="radio" name="kind" value="household" checked={d.kind === 'household'} onChange={() => set('kind', 'household')} /> {tr('Hộ gia đình', 'Household')}</label>
          <label class="radio"><input type="radio" name="kind" value="collective" checked={d.kind === 'collective'} onChange={() => set('kind', 'collective')} /> {tr('Tập thể', 'Collective')}</label>
        </fieldset>
        <Field id="f-name" label={d.kind === 'household' ? tr('Họ tên chủ hộ', 'Head of household') : tr('Tên tập thể', 'Name of the collective')} error={fe('name')}>
          <input id="f-name" name="name" value={d.name} required aria-invalid={fe('name').length > 0} onInput={(e) => set('name', e.currentTarget.value)} />
        </Field>
        {d.kind === 'collective' && (
          <Field id="f-ckind" label={tr('Loại tập thể', 'Kind of collective')} error={fe('collective_kind')}>
            <select id="f-ckind" value={d.collective_kind} onChange={(e) => set('collective_kind', e.currentTarget.value)}>
              {COLLECTIVE_KINDS.map(([v, vi, en]) => <option value={v}>{tr(vi, en)}</option>)}
            </select>
          </Field>
        )}
        <Field id="f-commune" label={tr('Xã', 'Commune')} error={fe('commune_id', 'commune')}>
          <select id="f-commune" name="commune_id" value={d.commune_id} disabled={user.role === 'commune' && !!user.commune_id} onChange={(e) => set('commune_id', e.currentTarget.value)}>
            <option value="">{tr('— chọn xã —', '— choose —')}</option>
            {(names.data?.communes ?? []).map((c) => <option value={c.id}>{c.name}</option>)}
          </select>
        </Field>
        {d.kind === 'household' && (
          <>
            <Field id="f-village" label={tr('Thôn, bản', 'Village')} error={fe('village_id', 'village')}>
              <select id="f-village" value={d.village_id} onChange={(e) => set('village_id', e.currentTarget.value)}>
                <option value="">{tr('— không rõ —', '— unknown —')}</option>
                {vs.map((v) => <option value={v.id}>{v.name}</option>)}
              </select>
            </Field>
            <Field id="f-members" label={tr('Số nhân khẩu', 'Members')} error={fe('members')}>
              <input id="f-members" name="members" inputMode="numeric" value={d.members} onInput={(e) => set('members', e.currentTarget.value)} />
            </Field>
            <Field id="f-cid" label={tr('Số CCCD/CMND', 'Citizen ID')} hint={tr('12 chữ số (CCCD) hoặc 9 chữ số (CMND)', '12 digits, or 9 for an old ID card')} error={fe('citizen_id')}>
              <input id="f-cid" name="citizen_id" inputMode="numeric" value={d.citizen_id} aria-invalid={fe('citizen_id').length > 0} onInput={(e) => set('citizen_id', e.currentTarget.value)} />
            </Field>
          </>
        )}
        {d.kind === 'collective' && (
          <Field id="f-contact" label={tr('Người liên hệ', 'Contact person')} error={fe('contact')}>
            <input id="f-contact" value={d.contact} onInput={(e) => set('contact', e.currentTarget.value)} />
          </Field>
        )}
        <Field id="f-phone" label={tr('Số điện thoại', 'Phone')} error={fe('phone')}>
          <input id="f-phone" name="phone" type="tel" value={d.phone} onInput={(e) => set('phone', e.currentTarget.value)} />
        </Field>
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? tr('Đang lưu…', 'Saving…') : tr('Lưu', 'Save')}</button>
          <a class="button" href={id ? `#/custodians/${id}` : '#/custodians'}>{tr('Huỷ', 'Cancel')}</a>
        </div>
      </form>
    </Page>
  );
}
