// SPDX-License-Identifier: MIT
// The forms of the campaign pages: a donation (a donor chosen or added, a
// promise or a receipt, in cash, in kind or in labour days), a donor, an
// expense (the server refuses one beyond the cash balance and its message is
// shown against the amount), a stretch of road built, a 3 March activity, a
// commendation, and the checks of a bamboo planting or a light. Each is shown
// only to the roles the server lets write it, sends once however often its
// button is pressed, keeps what was typed when saving fails, and calls
// onSaved so the page's figures are read again. The module is loaded only
// when a form is first opened, so readers never download it.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, itemsOf, post } from '../api';
import { tr } from '../i18n';
import { date, km, num, parseDay, parseDecimal, parseMoney, today, vnd } from '../fmt';
import type { Rec } from '../data';
import { AWARD_LEVELS, RECIPIENT_KINDS } from './campaign_names';
import { DateField, ErrorBox, errorsFor, Field, Table } from '../components/ui';
import { MoneyField, useSave } from '../components/form';

type Pair = [string, string];

/** Problems found before sending, by field, and the API's for the same fields. */
function useProblems(error: unknown) {
  const [bad, setBad] = useState<Record<string, string>>({});
  const fe = (...fields: string[]) => [...fields.map((f) => bad[f]).filter((x): x is string => !!x), ...errorsFor(error, ...fields)];
  return { bad, setBad, fe };
}

function Frame({ title, testid, onSubmit, busy, error, saved, onClose, children, label }: {
  title: string; testid: string; onSubmit: () => void; busy: boolean; error: unknown; saved: string; onClose?: () => void; children: ComponentChildren; label?: string;
}) {
  return (
    <form class="form panel" noValidate data-testid={testid} onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
      <h2>{title}</h2>
      {children}
      <ErrorBox error={error} />
      {saved && <p class="ok" role="status" data-testid={`${testid}-saved`}>{saved}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} data-testid={`${testid}-save`}>{busy ? tr('Đang lưu…', 'Saving…') : (label ?? tr('Lưu', 'Save'))}</button>
        {onClose && <button type="button" onClick={onClose}>{tr('Đóng', 'Close')}</button>}
      </div>
    </form>
  );
}

function Select({ id, value, onChange, options, empty, testid }: { id: string; value: string; onChange: (v: string) => void; options: Pair[]; empty?: string; testid?: string }) {
  return (
    <select id={id} data-testid={testid} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      {empty !== undefined && <option value="">{empty}</option>}
      {options.map(([v, l]) => <option value={v}>{l}</option>)}
    </select>
  );
}

const opts = (m: Record<string, Pair>): Pair[] => Object.entries(m).map(([k, [vi, en]]) => [k, tr(vi, en)]);

/** A whole number typed with or without thousands dots ("1.200"); null when empty. */
function whole(text: string): number | null {
  const t = text.trim();
  if (!t) return null;
  const p = parseMoney(t);
  return 'vnd' in p ? p.vnd : NaN;
}

/** The checks of the day, amounts and numbers shared by the forms' submit. */
class Reader {
  bad: Record<string, string> = {};
  day(field: string, text: string, required = true): string | undefined {
    const p = parseDay(text);
    if ('why' in p) this.bad[field] = p.why;
    else if (!p.iso && required) this.bad[field] = tr('Nhập ngày (dd/mm/yyyy)', 'Enter a date (dd/mm/yyyy)');
    else return p.iso || undefined;
    return undefined;
  }
  money(field: string, text: string, required = false): number | undefined {
    const p = parseMoney(text);
    if ('why' in p) this.bad[field] = p.why;
    else if (p.vnd === null && required) this.bad[field] = tr('Nhập số tiền', 'Enter the amount');
    else return p.vnd ?? undefined;
    return undefined;
  }
  count(field: string, text: string, required = false): number | undefined {
    const v = whole(text);
    if (v === null) {
      if (required) this.bad[field] = tr('Nhập một số', 'Enter a number');
      return undefined;
    }
    if (!Number.isFinite(v)) {
      this.bad[field] = tr(`"${text.trim()}" không phải số nguyên`, `"${text.trim()}" is not a whole number`);
      return undefined;
    }
    return v;
  }
  decimal(field: string, text: string, required = false): number | undefined {
    if (!text.trim()) {
      if (required) this.bad[field] = tr('Nhập một số', 'Enter a number');
      return undefined;
    }
    const v = parseDecimal(text);
    if (!Number.isFinite(v)) {
      this.bad[field] = tr(`"${text.trim()}" không phải là số`, `"${text.trim()}" is not a number`);
      return undefined;
    }
    return v;
  }
  get ok(): boolean {
    return Object.keys(this.bad).length === 0;
  }
}

function text(v: string): string | undefined {
  return v.trim() ? v.trim() : undefined;
}

export const DONOR_KINDS: Record<string, Pair> = {
  organisation: ['Cơ quan, tổ chức', 'Organisation'],
  enterprise: ['Doanh nghiệp', 'Enterprise'],
  unit: ['Đơn vị', 'Unit'],
  individual: ['Cá nhân', 'Individual'],
};

// ---- donors ----

function DonorFields({ prefix, name, kind, anonymous, contact, set, fe }: {
  prefix: string; name: string; kind: string; anonymous: boolean; contact?: string; set: (p: Rec) => void; fe: (...f: string[]) => string[];
}) {
  return (
    <>
      <div class="row">
        <Field id={`${prefix}-name`} label={tr('Tên nhà hảo tâm', 'Donor\u2019s name')} error={fe('name')}>
          <input id={`${prefix}-name`} data-testid={`${prefix}-name`} value={name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </Field>
        <Field id={`${prefix}-kind`} label={tr('Loại', 'Kind')} error={fe('kind')}>
          <Select id={`${prefix}-kind`} value={kind} onChange={(v) => set({ kind: v })} options={opts(DONOR_KINDS)} />
        </Field>
      </div>
      <label class="check"><input type="checkbox" checked={anonymous} onChange={(e) => set({ anonymous: e.currentTarget.checked })} /> {tr('Xin ẩn danh (tên không hiện trên sổ công khai)', 'Anonymous (name not shown in the public ledger)')}</label>
      {contact !== undefined && (
        <Field id={`${prefix}-contact`} label={tr('Liên hệ', 'Contact')} error={fe('contact')}>
          <input id={`${prefix}-contact`} value={contact} onInput={(e) => set({ contact: e.currentTarget.value })} />
        </Field>
      )}
    </>
  );
}

export function DonorForm({ onSaved, onClose }: { onSaved: () => void; onClose?: () => void }) {
  const empty = { name: '', kind: 'individual', anonymous: false, contact: '', note: '' };
  const [d, setD] = useState(empty);
  const [saved, setSaved] = useState('');
  const save = useSave();
  const { setBad, fe } = useProblems(save.error);
  const set = (p: Rec) => setD({ ...d, ...p });
  const submit = () => {
    setSaved('');
    setBad({});
    save.run(async () => {
      const r = await post<Rec>('/donors', { name: d.name.trim(), kind: d.kind, anonymous: d.anonymous, contact: text(d.contact), note: text(d.note) });
      setSaved(tr(`Đã thêm nhà hảo tâm "${r?.name ?? d.name}".`, `Donor "${r?.name ?? d.name}" added.`));
      setD(empty);
      onSaved();
    });
  };
  return (
    <Frame title={tr('Thêm nhà hảo tâm', 'Add a donor')} testid="donor-form" onSubmit={submit} busy={save.busy} error={save.error} saved={saved} onClose={onClose}>
      <DonorFields prefix="dn" name={d.name} kind={d.kind} anonymous={d.anonymous} contact={d.contact} set={set} fe={fe} />
      <Field id="dn-note" label={tr('Ghi chú', 'Note')} error={fe('note')}>
        <input id="dn-note" value={d.note} onInput={(e) => set({ note: e.currentTarget.value })} />
      </Field>
    </Frame>
  );
}

// ---- donations ----

interface DonationDraft {
  donor_id: string; // '' | id | NEW
  name: string;
  kind: string;
  anonymous: boolean;
  status: string;
  form: string;
  amount: string;
  item: string;
  quantity: string;
  unit: string;
  days: string;
  date: string;
  receipt_no: string;
  fulfils_id: string;
  road_id: string;
  campaign_id: string;
  note: string;
}

const NEW = '__new';

export function DonationForm({ donors, donations, roads, campaigns, campaignId, labourRate, onSaved, onClose }: {
  donors: Rec[]; donations: Rec[]; roads: Rec[]; campaigns: Rec[]; campaignId?: string; labourRate?: number; onSaved: () => void; onClose?: () => void;
}) {
  const [d, setD] = useState<DonationDraft>({
    donor_id: '', name: '', kind: 'individual', anonymous: false, status: 'received', form: 'cash', amount: '', item: '', quantity: '', unit: '', days: '',
    date: today(), receipt_no: '', fulfils_id: '', road_id: '', campaign_id: campaignId ?? '', note: '',
  });
  const [added, setAdded] = useState<Rec[]>([]); // donors made here, before the list is read again
  const [saved, setSaved] = useState('');
  const [tried, setTried] = useState(false);
  const save = useSave();
  const { setBad, fe } = useProblems(save.error);
  const set = (p: Partial<DonationDraft>) => setD({ ...d, ...p });
  const allDonors = [...donors, ...added.filter((a) => !donors.some((x) => x.id === a.id))];
  const promises = donations.filter((x) => x.status === 'promised' && x.donor_id === d.donor_id);

  const submit = () => {
    setSaved('');
    setTried(true);
    const r = new Reader();
    if (!d.donor_id) r.bad.donor_id = tr('Chọn nhà hảo tâm, hoặc chọn "Nhà hảo tâm mới"', 'Choose a donor, or "New donor"');
    if (d.donor_id === NEW && !d.name.trim()) r.bad.name = tr('Nhập tên nhà hảo tâm', 'Enter the donor\u2019s name');
    const body: Rec = { status: d.status, form: d.form, date: r.day('date', d.date) };
    if (d.form === 'cash') body.amount_vnd = r.money('amount_vnd', d.amount, true);
    if (d.form === 'in_kind') {
      body.item = text(d.item);
      if (!body.item) r.bad.item = tr('Mô tả hiện vật (ví dụ: xi măng PCB40)', 'Describe the item (e.g. cement PCB40)');
      body.quantity = r.decimal('quantity', d.quantity, true);
      body.unit = text(d.unit);
      body.amount_vnd = r.money('amount_vnd', d.amount);
    }
    if (d.form === 'labour') body.labour_days = r.decimal('labour_days', d.days, true);
    body.receipt_no = text(d.receipt_no);
    // the server's rule, said before sending
    if (d.status === 'received' && d.form === 'cash' && !body.receipt_no) r.bad.receipt_no = tr('Khoản nhận tiền mặt cần số phiếu thu', 'A cash receipt needs its receipt number');
    if (d.status === 'received' && d.fulfils_id) body.fulfils_id = d.fulfils_id;
    if (d.road_id) body.road_id = d.road_id;
    if (d.campaign_id) body.campaign_id = d.campaign_id;
    body.note = text(d.note);
    setBad(r.bad);
    if (!r.ok) return;
    save.run(async () => {
      let donor = d.donor_id;
      if (donor === NEW) {
        const dn = await post<Rec>('/donors', { name: d.name.trim(), kind: d.kind, anonymous: d.anonymous });
        donor = dn.id;
        // a retry after a failed donation must not add the donor again
        setAdded([...added, dn]);
        setD((x) => ({ ...x, donor_id: donor }));
      }
      await post<Rec>('/donations', { ...body, donor_id: donor });
      const who = allDonors.find((x) => x.id === donor)?.name ?? d.name;
      const what = d.form === 'labour' ? `${d.days} ${tr('ngày công', 'labour days')}` : vnd(body.amount_vnd ?? 0);
      setSaved(d.status === 'promised'
        ? tr(`Đã ghi cam kết ủng hộ của ${who}: ${what}.`, `Promise of ${who} recorded: ${what}.`)
        : tr(`Đã ghi khoản nhận của ${who}: ${what}.`, `Receipt from ${who} recorded: ${what}.`));
      setTried(false);
      setD((x) => ({ ...x, donor_id: donor, amount: '', item: '', quantity: '', unit: '', days: '', receipt_no: '', fulfils_id: '', note: '' }));
      onSaved();
    });
  };

  return (
    <Frame title={tr('Ghi khoản ủng hộ', 'Record a donation')} testid="donation-form" onSubmit={submit} busy={save.busy} error={save.error} saved={saved} onClose={onClose}>
      {campaigns.length > 1 && (
        <Field id="do-camp" label={tr('Đợt vận động', 'Campaign')} error={fe('campaign_id')}>
          <Select id="do-camp" value={d.campaign_id} onChange={(v) => set({ campaign_id: v })} options={campaigns.map((c) => [c.id, c.name])} />
        </Field>
      )}
      <Field id="do-donor" label={tr('Nhà hảo tâm', 'Donor')} error={fe('donor_id')}>
        <Select id="do-donor" testid="donation-donor" value={d.donor_id} onChange={(v) => set({ donor_id: v, fulfils_id: '' })} empty={tr('— chọn —', '— choose —')}
          options={[[NEW, tr('+ Nhà hảo tâm mới…', '+ New donor…')], ...allDonors.map((x): Pair => [x.id, `${x.name ?? tr('(ẩn danh)', '(anonymous)')}${x.anonymous ? ` (${tr('xin ẩn danh', 'anonymous')})` : ''}`])]} />
      </Field>
      {d.donor_id === NEW && (
        <fieldset>
          <legend>{tr('Nhà hảo tâm mới', 'New donor')}</legend>
          <DonorFields prefix="do-new" name={d.name} kind={d.kind} anonymous={d.anonymous} set={set} fe={fe} />
        </fieldset>
      )}
      <fieldset>
        <legend>{tr('Tình trạng', 'Status')}</legend>
        <label class="radio"><input type="radio" name="do-status" value="received" checked={d.status === 'received'} onChange={() => set({ status: 'received' })} /> {tr('Đã nhận (có phiếu thu)', 'Received (with a receipt)')}</label>
        <label class="radio"><input type="radio" name="do-status" value="promised" checked={d.status === 'promised'} onChange={() => set({ status: 'promised', fulfils_id: '' })} /> {tr('Cam kết ủng hộ', 'Promised')}</label>
      </fieldset>
      <fieldset>
        <legend>{tr('Hình thức', 'Form')}</legend>
        <label class="radio"><input type="radio" name="do-form" value="cash" checked={d.form === 'cash'} onChange={() => set({ form: 'cash' })} /> {tr('Tiền mặt', 'Cash')}</label>
        <label class="radio"><input type="radio" name="do-form" value="in_kind" checked={d.form === 'in_kind'} onChange={() => set({ form: 'in_kind' })} /> {tr('Hiện vật', 'In kind')}</label>
        <label class="radio"><input type="radio" name="do-form" value="labour" checked={d.form === 'labour'} onChange={() => set({ form: 'labour' })} /> {tr('Ngày công', 'Labour days')}</label>
      </fieldset>
      {d.form === 'cash' && (
        <MoneyField id="do-amount" testid="donation-amount" label={tr('Số tiền (đồng)', 'Amount (đồng)')} value={d.amount} onInput={(v) => set({ amount: v })} error={fe('amount_vnd')} />
      )}
      {d.form === 'in_kind' && (
        <>
          <Field id="do-item" label={tr('Hiện vật', 'Item')} error={fe('item')}>
            <input id="do-item" value={d.item} placeholder={tr('ví dụ: xi măng PCB40', 'e.g. cement PCB40')} onInput={(e) => set({ item: e.currentTarget.value })} />
          </Field>
          <div class="row">
            <Field id="do-qty" label={tr('Số lượng', 'Quantity')} error={fe('quantity')}>
              <input id="do-qty" inputMode="decimal" value={d.quantity} onInput={(e) => set({ quantity: e.currentTarget.value })} />
            </Field>
            <Field id="do-unit" label={tr('Đơn vị tính', 'Unit')} error={fe('unit')}>
              <input id="do-unit" value={d.unit} placeholder={tr('tấn, bao, m³…', 'tonnes, bags, m³…')} onInput={(e) => set({ unit: e.currentTarget.value })} />
            </Field>
          </div>
          <MoneyField id="do-amount" testid="donation-amount" label={tr('Quy ra tiền (đồng)', 'Value (đồng)')} value={d.amount} onInput={(v) => set({ amount: v })} error={fe('amount_vnd')} />
        </>
      )}
      {d.form === 'labour' && (
        <Field id="do-days" label={tr('Số ngày công', 'Labour days')} error={fe('labour_days')}
          hint={labourRate ? tr(`Mỗi ngày công tính ${vnd(labourRate)}.`, `A labour day counts as ${vnd(labourRate)}.`) : undefined}>
          <input id="do-days" inputMode="decimal" value={d.days} onInput={(e) => set({ days: e.currentTarget.value })} />
        </Field>
      )}
      <div class="row">
        <DateField id="do-date" testid="donation-date" label={tr('Ngày', 'Date')} value={d.date} onChange={(v) => set({ date: v })} force={tried} required error={fe('date')} />
        <Field id="do-receipt" label={d.status === 'received' ? tr('Số phiếu thu', 'Receipt no.') : tr('Số văn bản cam kết', 'Document no. of the promise')} error={fe('receipt_no')}>
          <input id="do-receipt" data-testid="donation-receipt" value={d.receipt_no} onInput={(e) => set({ receipt_no: e.currentTarget.value })} />
        </Field>
      </div>
      {d.status === 'received' && promises.length > 0 && (
        <Field id="do-fulfils" label={tr('Thực hiện cam kết', 'Fulfils the promise')} error={fe('fulfils_id', 'fulfils')}>
          <Select id="do-fulfils" value={d.fulfils_id} onChange={(v) => set({ fulfils_id: v })} empty={tr('— không —', '— none —')}
            options={promises.map((p): Pair => [p.id, `${date(p.date)} — ${vnd(p.amount_vnd)}${p.receipt_no ? ` (${p.receipt_no})` : ''}`])} />
        </Field>
      )}
      <Field id="do-road" label={tr('Cho công trình', 'For the project')} error={fe('road_id')}>
        <Select id="do-road" value={d.road_id} onChange={(v) => set({ road_id: v })} empty={tr('— chưa phân bổ —', '— not assigned —')} options={roads.map((x): Pair => [x.id, x.name])} />
      </Field>
      <Field id="do-note" label={tr('Ghi chú', 'Note')} error={fe('note')}>
        <input id="do-note" value={d.note} onInput={(e) => set({ note: e.currentTarget.value })} />
      </Field>
    </Frame>
  );
}

// ---- expenses ----

export function ExpenseForm({ roads, campaigns, campaignId, balance, onSaved, onClose }: {
  roads: Rec[]; campaigns: Rec[]; campaignId?: string; balance?: number; onSaved: () => void; onClose?: () => void;
}) {
  const [d, setD] = useState({ doc_no: '', date: today(), amount: '', road_id: '', purpose: '', campaign_id: campaignId ?? '' });
  const [saved, setSaved] = useState('');
  const [tried, setTried] = useState(false);
  const save = useSave();
  const { setBad, fe } = useProblems(save.error);
  const set = (p: Partial<typeof d>) => setD({ ...d, ...p });
  const amount = parseMoney(d.amount);
  const over = 'vnd' in amount && amount.vnd !== null && typeof balance === 'number' && amount.vnd > balance;
  const submit = () => {
    setSaved('');
    setTried(true);
    const r = new Reader();
    const body: Rec = { doc_no: d.doc_no.trim(), date: r.day('date', d.date), amount_vnd: r.money('amount_vnd', d.amount, true), purpose: text(d.purpose) };
    if (d.road_id) body.road_id = d.road_id;
    if (d.campaign_id) body.campaign_id = d.campaign_id;
    setBad(r.bad);
    if (!r.ok) return;
    save.run(async () => {
      await post<Rec>('/expenses', body);
      setSaved(tr(`Đã ghi khoản chi ${body.doc_no}: ${vnd(body.amount_vnd)}.`, `Expense ${body.doc_no} recorded: ${vnd(body.amount_vnd)}.`));
      setTried(false);
      setD((x) => ({ ...x, doc_no: '', amount: '', purpose: '' }));
      onSaved();
    });
  };
  return (
    <Frame title={tr('Ghi khoản chi', 'Record an expense')} testid="expense-form" onSubmit={submit} busy={save.busy} error={save.error} saved={saved} onClose={onClose}>
      {campaigns.length > 1 && (
        <Field id="ex-camp" label={tr('Đợt vận động', 'Campaign')} error={fe('campaign_id')}>
          <Select id="ex-camp" value={d.campaign_id} onChange={(v) => set({ campaign_id: v })} options={campaigns.map((c) => [c.id, c.name])} />
        </Field>
      )}
      <div class="row">
        <Field id="ex-doc" label={tr('Số chứng từ', 'Document no.')} error={fe('doc_no')}>
          <input id="ex-doc" data-testid="expense-doc" value={d.doc_no} onInput={(e) => set({ doc_no: e.currentTarget.value })} />
        </Field>
        <DateField id="ex-date" testid="expense-date" label={tr('Ngày chi', 'Date')} value={d.date} onChange={(v) => set({ date: v })} force={tried} required error={fe('date')} />
      </div>
      <MoneyField id="ex-amount" testid="expense-amount" label={tr('Số tiền (đồng)', 'Amount (đồng)')} value={d.amount} onInput={(v) => set({ amount: v })} error={fe('amount_vnd')}
        hint={typeof balance === 'number' && (
          <span class={over ? 'warn-text' : ''} data-testid="expense-balance">
            {tr('Tồn quỹ tiền mặt hiện có', 'Cash balance now')}: {vnd(balance)}{over ? ` — ${tr('khoản chi lớn hơn tồn quỹ, máy chủ sẽ không nhận', 'more than the balance: the server will refuse it')}` : ''}
          </span>
        )} />
      <Field id="ex-road" label={tr('Cho công trình', 'For the project')} error={fe('road_id')}>
        <Select id="ex-road" value={d.road_id} onChange={(v) => set({ road_id: v })} empty={tr('— chưa phân bổ —', '— not assigned —')} options={roads.map((x): Pair => [x.id, x.name])} />
      </Field>
      <Field id="ex-purpose" label={tr('Nội dung chi', 'Purpose')} error={fe('purpose')}>
        <input id="ex-purpose" value={d.purpose} onInput={(e) => set({ purpose: e.currentTarget.value })} />
      </Field>
    </Frame>
  );
}

// ---- road progress ----

export function ProgressForm({ roads, onSaved, onClose }: { roads: Rec[]; onSaved: () => void; onClose?: () => void }) {
  const [d, setD] = useState({ road_id: '', from_km: '', to_km: '', built_m: '', date: today(), note: '' });
  const [saved, setSaved] = useState('');
  const [tried, setTried] = useState(false);
  const save = useSave();
  const { setBad, fe } = useProblems(save.error);
  const set = (p: Partial<typeof d>) => setD({ ...d, ...p });
  const road = roads.find((x) => x.id === d.road_id);
  const path = road?.kind === 'path';
  const a = road?.from?.measure_m, b = road?.to?.measure_m;
  const submit = () => {
    setSaved('');
    setTried(true);
    const r = new Reader();
    if (!road) r.bad.road_id = tr('Chọn công trình', 'Choose the project');
    const body: Rec = { date: r.day('date', d.date), note: text(d.note) };
    if (path) {
      body.from_m = 0;
      body.to_m = r.decimal('to_m', d.built_m, true);
    } else {
      const f = r.decimal('from_m', d.from_km, true), t = r.decimal('to_m', d.to_km, true);
      if (f !== undefined) body.from_m = Math.round(f * 1000 * 1000) / 1000;
      if (t !== undefined) body.to_m = Math.round(t * 1000 * 1000) / 1000;
      if (f !== undefined && t !== undefined && !(t > f)) r.bad.to_m = tr('Điểm cuối phải ở sau điểm đầu', 'The end must come after the start');
    }
    setBad(r.bad);
    if (!r.ok || !road) return;
    save.run(async () => {
      await post<Rec>(`/roads/${encodeURIComponent(road.id)}/progress`, body);
      setSaved(tr(`Đã ghi ${km(body.to_m - body.from_m)} km đường đã làm của "${road.name}".`, `${km(body.to_m - body.from_m)} km built recorded for "${road.name}".`));
      setTried(false);
      setD((x) => ({ ...x, from_km: '', to_km: '', built_m: '', note: '' }));
      onSaved();
    });
  };
  return (
    <Frame title={tr('Báo cáo đoạn đường đã làm', 'Record a stretch of road built')} testid="progress-form" onSubmit={submit} busy={save.busy} error={save.error} saved={saved} onClose={onClose}>
      <Field id="pr-road" label={tr('Công trình', 'Project')} error={fe('road_id')}
        hint={road ? (path ? tr(`Đường nhánh dài ${num(road.planned_m, 0)} m theo kế hoạch.`, `A path of ${num(road.planned_m, 0)} m planned.`) : typeof a === 'number' && typeof b === 'number' ? tr(`Công trình từ km ${km(a)} đến km ${km(b)}.`, `The project runs from km ${km(a)} to km ${km(b)}.`) : undefined) : undefined}>
        <Select id="pr-road" value={d.road_id} onChange={(v) => set({ road_id: v })} empty={tr('— chọn —', '— choose —')} options={roads.map((x): Pair => [x.id, x.name])} />
      </Field>
      {path ? (
        <Field id="pr-built" label={tr('Đã làm đến (mét tính từ đầu đường)', 'Built up to (metres from the start)')} error={fe('to_m', 'from_m')}>
          <input id="pr-built" inputMode="decimal" value={d.built_m} onInput={(e) => set({ built_m: e.currentTarget.value })} />
        </Field>
      ) : (
        <div class="row">
          <Field id="pr-from" label={tr('Từ km', 'From km')} hint={tr('ví dụ 38,500', 'e.g. 38.500')} error={fe('from_m')}>
            <input id="pr-from" inputMode="decimal" value={d.from_km} onInput={(e) => set({ from_km: e.currentTarget.value })} />
          </Field>
          <Field id="pr-to" label={tr('Đến km', 'To km')} error={fe('to_m')}>
            <input id="pr-to" inputMode="decimal" value={d.to_km} onInput={(e) => set({ to_km: e.currentTarget.value })} />
          </Field>
        </div>
      )}
      <DateField id="pr-date" label={tr('Ngày nghiệm thu', 'Date')} value={d.date} onChange={(v) => set({ date: v })} force={tried} required error={fe('date')} />
      <Field id="pr-note" label={tr('Ghi chú', 'Note')} error={fe('note')}>
        <input id="pr-note" value={d.note} onInput={(e) => set({ note: e.currentTarget.value })} />
      </Field>
    </Frame>
  );
}

// ---- 3 March ----

export function EventForm({ communes, onSaved, onClose }: { communes: Rec[]; onSaved: () => void; onClose?: () => void }) {
  const empty = { commune_id: communes.length === 1 ? communes[0].id : '', year: today().slice(0, 4), activities: '', kinds: '', participants: '', gifts: '', gifts_vnd: '', funds_vnd: '', note: '' };
  const [d, setD] = useState(empty);
  const [saved, setSaved] = useState('');
  const save = useSave();
  const { setBad, fe } = useProblems(save.error);
  const set = (p: Partial<typeof d>) => setD({ ...d, ...p });
  useEffect(() => {
    if (!d.commune_id && communes.length === 1) set({ commune_id: communes[0].id });
  }, [communes.length]);
  const submit = () => {
    setSaved('');
    const r = new Reader();
    if (!d.commune_id) r.bad.commune_id = tr('Chọn xã', 'Choose the commune');
    const year = r.count('year', d.year, true);
    if (year !== undefined && (year < 1960 || year > 2100)) r.bad.year = tr('Năm từ 1960 đến 2100', 'A year from 1960 to 2100');
    const body: Rec = {
      commune_id: d.commune_id, year, activities: r.count('activities', d.activities), kinds: text(d.kinds), participants: r.count('participants', d.participants),
      gifts: r.count('gifts', d.gifts), gifts_vnd: r.money('gifts_vnd', d.gifts_vnd), funds_vnd: r.money('funds_vnd', d.funds_vnd), note: text(d.note),
    };
    setBad(r.bad);
    if (!r.ok) return;
    save.run(async () => {
      await post<Rec>('/events', body);
      const c = communes.find((x) => x.id === d.commune_id)?.name ?? '';
      setSaved(tr(`Đã ghi hoạt động Ngày 3/3 năm ${year} của ${c}.`, `3 March activities of ${c} in ${year} recorded.`));
      setD({ ...empty, commune_id: d.commune_id, year: d.year });
      onSaved();
    });
  };
  return (
    <Frame title={tr('Ghi hoạt động Ngày Biên phòng toàn dân', 'Record 3 March activities')} testid="event-form" onSubmit={submit} busy={save.busy} error={save.error} saved={saved} onClose={onClose}>
      <div class="row">
        <Field id="ev-commune" label={tr('Xã', 'Commune')} error={fe('commune_id')}>
          <Select id="ev-commune" value={d.commune_id} onChange={(v) => set({ commune_id: v })} empty={communes.length === 1 ? undefined : tr('— chọn xã —', '— choose —')} options={communes.map((c): Pair => [c.id, c.name])} />
        </Field>
        <Field id="ev-year" label={tr('Năm', 'Year')} error={fe('year')}>
          <input id="ev-year" inputMode="numeric" value={d.year} onInput={(e) => set({ year: e.currentTarget.value })} />
        </Field>
      </div>
      <div class="row">
        <Field id="ev-acts" label={tr('Số hoạt động', 'Activities')} error={fe('activities')}>
          <input id="ev-acts" inputMode="numeric" value={d.activities} onInput={(e) => set({ activities: e.currentTarget.value })} />
        </Field>
        <Field id="ev-people" label={tr('Lượt người tham gia', 'Participants')} error={fe('participants')}>
          <input id="ev-people" inputMode="numeric" value={d.participants} onInput={(e) => set({ participants: e.currentTarget.value })} />
        </Field>
        <Field id="ev-gifts" label={tr('Suất quà', 'Gifts')} error={fe('gifts')}>
          <input id="ev-gifts" inputMode="numeric" value={d.gifts} onInput={(e) => set({ gifts: e.currentTarget.value })} />
        </Field>
      </div>
      <Field id="ev-kinds" label={tr('Hình thức hoạt động', 'Kinds of activity')} error={fe('kinds')}>
        <input id="ev-kinds" value={d.kinds} placeholder={tr('họp mặt; thăm hộ; tặng quà; văn nghệ', 'meeting; home visits; gifts; performances')} onInput={(e) => set({ kinds: e.currentTarget.value })} />
      </Field>
      <div class="row">
        <MoneyField id="ev-gv" label={tr('Trị giá quà (đồng)', 'Value of gifts (đồng)')} value={d.gifts_vnd} onInput={(v) => set({ gifts_vnd: v })} error={fe('gifts_vnd')} />
        <MoneyField id="ev-funds" label={tr('Kinh phí (đồng)', 'Funds (đồng)')} value={d.funds_vnd} onInput={(v) => set({ funds_vnd: v })} error={fe('funds_vnd')} />
      </div>
      <Field id="ev-note" label={tr('Ghi chú', 'Note')} error={fe('note')}>
        <input id="ev-note" value={d.note} onInput={(e) => set({ note: e.currentTarget.value })} />
      </Field>
    </Frame>
  );
}

// ---- commendations ----

export function AwardForm({ communes, onSaved, onClose }: { communes: Rec[]; onSaved: () => void; onClose?: () => void }) {
  const empty = { recipient: '', recipient_kind: 'household', commune_id: '', level: 'gk_station', decision_no: '', decided_on: today(), reason: '' };
  const [d, setD] = useState(empty);
  const [saved, setSaved] = useState('');
  const [tried, setTried] = useState(false);
  const save = useSave();
  const { setBad, fe } = useProblems(save.error);
  const set = (p: Partial<typeof d>) => setD({ ...d, ...p });
  const submit = () => {
    setSaved('');
    setTried(true);
    const r = new Reader();
    const body: Rec = {
      recipient: d.recipient.trim(), recipient_kind: d.recipient_kind, level: d.level, decision_no: d.decision_no.trim(),
      decided_on: r.day('decided_on', d.decided_on), reason: text(d.reason),
    };
    if (d.commune_id) body.commune_id = d.commune_id;
    setBad(r.bad);
    if (!r.ok) return;
    save.run(async () => {
      await post<Rec>('/awards', body);
      setSaved(tr(`Đã ghi khen thưởng cho ${body.recipient}.`, `Commendation of ${body.recipient} recorded.`));
      setTried(false);
      setD({ ...empty, level: d.level, decision_no: d.decision_no, decided_on: d.decided_on });
      onSaved();
    });
  };
  return (
    <Frame title={tr('Ghi khen thưởng', 'Record a commendation')} testid="award-form" onSubmit={submit} busy={save.busy} error={save.error} saved={saved} onClose={onClose}>
      <div class="row">
        <Field id="aw-recipient" label={tr('Người/đơn vị được khen', 'Recipient')} error={fe('recipient')}>
          <input id="aw-recipient" value={d.recipient} onInput={(e) => set({ recipient: e.currentTarget.value })} />
        </Field>
        <Field id="aw-rkind" label={tr('Đối tượng', 'Kind of recipient')} error={fe('recipient_kind')}>
          <Select id="aw-rkind" value={d.recipient_kind} onChange={(v) => set({ recipient_kind: v })} options={opts(RECIPIENT_KINDS)} />
        </Field>
      </div>
      <Field id="aw-commune" label={tr('Xã', 'Commune')} error={fe('commune_id')}>
        <Select id="aw-commune" value={d.commune_id} onChange={(v) => set({ commune_id: v })} empty={tr('— không thuộc xã nào —', '— no commune —')} options={communes.map((c): Pair => [c.id, c.name])} />
      </Field>
      <Field id="aw-level" label={tr('Hình thức khen thưởng', 'Level')} error={fe('level')}>
        <Select id="aw-level" value={d.level} onChange={(v) => set({ level: v })} options={opts(AWARD_LEVELS)} />
      </Field>
      <div class="row">
        <Field id="aw-decision" label={tr('Số quyết định', 'Decision number')} error={fe('decision_no')}>
          <input id="aw-decision" value={d.decision_no} placeholder="123/QĐ-ĐBP" onInput={(e) => set({ decision_no: e.currentTarget.value })} />
        </Field>
        <DateField id="aw-date" label={tr('Ngày quyết định', 'Decided on')} value={d.decided_on} onChange={(v) => set({ decided_on: v })} force={tried} required error={fe('decided_on')} />
      </div>
      <Field id="aw-reason" label={tr('Thành tích', 'Reason')} error={fe('reason')}>
        <input id="aw-reason" value={d.reason} onInput={(e) => set({ reason: e.currentTarget.value })} />
      </Field>
    </Frame>
  );
}

// ---- checks of bamboo plantings and lights ----

/** A check form of a planting (alive clumps) or a light (working or not), with the earlier checks. */
export function CheckForm({ kind, items, label, onSaved, onClose }: {
  kind: 'bamboo' | 'lights'; items: Rec[]; label: (r: Rec) => string; onSaved: () => void; onClose?: () => void;
}) {
  const [d, setD] = useState({ id: '', date: today(), alive: '', working: 'yes', note: '' });
  const [saved, setSaved] = useState('');
  const [tried, setTried] = useState(false);
  const [checks, setChecks] = useState<Rec[] | null>(null);
  const [tick, setTick] = useState(0);
  const save = useSave();
  const { setBad, fe } = useProblems(save.error);
  const set = (p: Partial<typeof d>) => setD({ ...d, ...p });
  const bamboo = kind === 'bamboo';
  const field = bamboo ? 'bamboo_id' : 'light_id';
  const chosen = items.find((x) => x.id === d.id);
  useEffect(() => {
    setChecks(null);
    if (!d.id) return;
    get(`/${kind}/${encodeURIComponent(d.id)}/checks`).then((r) => setChecks(itemsOf<Rec>(r).sort((x, y) => String(y.date ?? '').localeCompare(String(x.date ?? '')))), () => setChecks([]));
  }, [d.id, tick]);
  const submit = () => {
    setSaved('');
    setTried(true);
    const r = new Reader();
    if (!chosen) r.bad[field] = bamboo ? tr('Chọn điểm trồng tre', 'Choose the planting') : tr('Chọn đèn', 'Choose the light');
    const body: Rec = { date: r.day('date', d.date), note: text(d.note) };
    if (bamboo) {
      body.alive = r.count('alive', d.alive, true);
      if (chosen && typeof body.alive === 'number' && body.alive > Number(chosen.clumps)) r.bad.alive = tr(`Nhiều hơn số khóm đã trồng (${num(chosen.clumps)})`, `More than the clumps planted (${num(chosen.clumps)})`);
    } else body.working = d.working === 'yes';
    setBad(r.bad);
    if (!r.ok || !chosen) return;
    save.run(async () => {
      await post<Rec>(`/${kind}/${encodeURIComponent(chosen.id)}/checks`, body);
      setSaved(bamboo
        ? tr(`Đã ghi lần kiểm tra: còn ${num(body.alive)}/${num(chosen.clumps)} khóm sống.`, `Check recorded: ${num(body.alive)} of ${num(chosen.clumps)} clumps alive.`)
        : tr(`Đã ghi lần kiểm tra đèn: ${body.working ? 'đang sáng' : 'hỏng'}.`, `Check of the light recorded: ${body.working ? 'working' : 'not working'}.`));
      setTried(false);
      setD((x) => ({ ...x, alive: '', note: '' }));
      setTick((t) => t + 1);
      onSaved();
    });
  };
  return (
    <Frame title={bamboo ? tr('Kiểm tra tỷ lệ tre sống', 'Record a bamboo survival check') : tr('Kiểm tra đèn', 'Record a check of a light')} testid={bamboo ? 'bamboo-check-form' : 'light-check-form'}
      onSubmit={submit} busy={save.busy} error={save.error} saved={saved} onClose={onClose}>
      <Field id={`${kind}-pick`} label={bamboo ? tr('Điểm trồng tre', 'Planting') : tr('Đèn', 'Light')} error={fe(field)}>
        <Select id={`${kind}-pick`} value={d.id} onChange={(v) => set({ id: v })} empty={tr('— chọn —', '— choose —')} options={items.map((x): Pair => [x.id, label(x)])} />
      </Field>
      <div class="row">
        <DateField id={`${kind}-date`} label={tr('Ngày kiểm tra', 'Checked on')} value={d.date} onChange={(v) => set({ date: v })} force={tried} required error={fe('date')} />
        {bamboo ? (
          <Field id="bamboo-alive" label={tr('Số khóm còn sống', 'Clumps alive')} error={fe('alive')}>
            <input id="bamboo-alive" inputMode="numeric" value={d.alive} onInput={(e) => set({ alive: e.currentTarget.value })} />
          </Field>
        ) : (
          <fieldset>
            <legend>{tr('Tình trạng', 'State')}</legend>
            <label class="radio"><input type="radio" name="light-working" checked={d.working === 'yes'} onChange={() => set({ working: 'yes' })} /> {tr('Đang sáng', 'Working')}</label>
            <label class="radio"><input type="radio" name="light-working" checked={d.working === 'no'} onChange={() => set({ working: 'no' })} /> {tr('Hỏng', 'Not working')}</label>
          </fieldset>
        )}
      </div>
      <Field id={`${kind}-note`} label={tr('Ghi chú', 'Note')} error={fe('note')}>
        <input id={`${kind}-note`} value={d.note} onInput={(e) => set({ note: e.currentTarget.value })} />
      </Field>
      {checks && (
        <Table rows={checks} caption={tr('Các lần kiểm tra', 'Earlier checks')} cols={[
          { head: tr('Ngày', 'Date'), cell: (c) => date(c.date) },
          bamboo
            ? { head: tr('Còn sống', 'Alive'), cell: (c) => `${num(c.alive)}${chosen?.clumps ? ` / ${num(chosen.clumps)}` : ''}`, num: true }
            : { head: tr('Tình trạng', 'State'), cell: (c) => (c.working ? tr('đang sáng', 'working') : tr('hỏng', 'not working')) },
          { head: tr('Ghi chú', 'Note'), cell: (c) => c.note ?? '' },
        ]} empty={tr('Chưa kiểm tra lần nào.', 'Not checked yet.')} />
      )}
    </Frame>
  );
}
