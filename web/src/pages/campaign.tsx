// SPDX-License-Identifier: MIT
// The campaign pages over the campaign routes: Vận động (the ledger with its
// breakdowns, donors, donations, spending, road progress and the public
// ledger), Mô hình (bamboo belt, patrol-road lights), Ngày 3/3 (the
// activities of each commune and year) and Khen thưởng (commendations and
// suggestions), each with the forms (campaign_forms.tsx) of the records the
// user's role may add. Money is whole đồng ("1.250.000 đ"); progress bars
// never pass 100% and a zero goal is never shown as met.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { get, itemsOf, type User } from '../api';
import { tr } from '../i18n';
import { date, km, kmU, num, vnd } from '../fmt';
import { communes, type Rec } from '../data';
import { type Loaded, NotAvailable, optional, Page, Progress, Show, Table, useLoad } from '../components/ui';
import { AWARD_LEVELS, RECIPIENT_KINDS, writableCommunes } from './campaign_names';

type Forms = typeof import('./campaign_forms');
let formsP: Promise<Forms> | null = null;
/** The forms' module, fetched once when a form is first wanted. */
function loadForms(): Promise<Forms> {
  formsP ??= import('./campaign_forms').catch((e) => {
    formsP = null;
    throw e;
  });
  return formsP;
}

/**
 * A button that opens a form in place. The forms' code is fetched only
 * then (started as the pointer or focus reaches the button), so people who
 * only read never download it.
 */
function Opener({ label, testid, children }: { label: string; testid: string; children: (f: Forms, close: () => void) => ComponentChildren }) {
  const [open, setOpen] = useState(false);
  const st = useLoad(() => (open ? loadForms() : Promise.resolve(null)), [open]);
  const early = () => void loadForms().catch(() => undefined);
  if (!open)
    return (
      <p class="opener">
        <button type="button" class="primary" data-testid={testid} onPointerEnter={early} onFocus={early} onClick={() => setOpen(true)}>+ {label}</button>
      </p>
    );
  return <Show s={st}>{(f) => (f ? children(f, () => setOpen(false)) : null)}</Show>;
}

export function Tabs({ tabs, current, onPick }: { tabs: [string, string][]; current: string; onPick: (id: string) => void }) {
  return (
    <div class="tabs" role="tablist">
      {tabs.map(([id, label]) => (
        <button type="button" role="tab" data-tab={id} aria-selected={current === id} class={current === id ? 'on' : ''} onClick={() => onPick(id)}>
          {label}
        </button>
      ))}
    </div>
  );
}

const DONOR_KINDS: Record<string, [string, string]> = {
  organisation: ['Cơ quan, tổ chức', 'Organisations'],
  enterprise: ['Doanh nghiệp', 'Enterprises'],
  unit: ['Đơn vị', 'Units'],
  individual: ['Cá nhân', 'Individuals'],
};
const FORMS: Record<string, [string, string]> = {
  cash: ['Tiền mặt', 'Cash'],
  in_kind: ['Hiện vật', 'In kind'],
  labour: ['Ngày công', 'Labour'],
};
const LIGHT_KINDS: Record<string, [string, string]> = {
  solar: ['Năng lượng mặt trời', 'Solar'],
  grid: ['Điện lưới', 'Grid'],
  other: ['Khác', 'Other'],
};

function name(map: Record<string, [string, string]>, k: unknown): string {
  const h = map[String(k ?? '')];
  return h ? tr(h[0], h[1]) : String(k ?? '');
}

/** Commune names by id (empty when the list cannot be read), and the list. */
function useCommuneNames() {
  const st = useLoad(() => communes().catch(() => [] as Rec[]), []);
  const m = new Map<string, string>();
  for (const c of st.data ?? []) m.set(c.id, c.name);
  const f = (id: unknown) => (id ? (m.get(String(id)) ?? '') : '');
  f.list = st.data ?? ([] as Rec[]);
  return f;
}

/** "mốc 1120 + 350 m (km 80,350)" for an anchor {marker, offset_m, measure_m}. */
function anchor(a: Rec | null | undefined): string {
  if (!a) return '—';
  const k = typeof a.measure_m === 'number' ? `km ${km(a.measure_m)}` : '';
  if (!a.marker) return k || '—';
  const off = Number(a.offset_m ?? 0);
  return `${tr('mốc', 'marker')} ${a.marker}${off ? ` ${off > 0 ? '+' : '−'} ${num(Math.abs(off), 0)} m` : ''}${k ? ` (${k})` : ''}`;
}

function stretchLen(r: Rec): number {
  const a = r.from?.measure_m, b = r.to?.measure_m;
  return typeof a === 'number' && typeof b === 'number' ? Math.abs(b - a) : NaN;
}

// ---- Vận động ----

const LEDGER_ROWS: [string, string, string, string][] = [
  ['promised_vnd', 'Đã cam kết ủng hộ', 'Promised', 'ledger-promised'],
  ['received_vnd', 'Đã nhận (mọi hình thức)', 'Received (every form)', 'ledger-received'],
  ['cash_vnd', '— bằng tiền mặt', '— in cash', 'ledger-cash'],
  ['in_kind_vnd', '— bằng hiện vật (quy ra tiền)', '— in kind (valued)', 'ledger-in-kind'],
  ['labour_vnd', '— bằng ngày công (quy ra tiền)', '— in labour (valued)', 'ledger-labour'],
  ['spent_vnd', 'Đã chi', 'Spent', 'ledger-spent'],
];

function LedgerTotals({ l }: { l: Rec }) {
  const t = l.total ?? {};
  return (
    <dl class="facts money" data-testid="ledger">
      {LEDGER_ROWS.map(([k, vi, en, id]) => (
        <>
          <dt>{tr(vi, en)}</dt>
          <dd data-testid={id} class="money-big">{vnd(t[k])}</dd>
        </>
      ))}
      <dt>{tr('Tồn quỹ (tiền mặt đã nhận − đã chi)', 'Balance (cash received − spent)')}</dt>
      <dd data-testid="ledger-balance" class="money-big">{vnd(l.balance_vnd)}</dd>
      <dt>{tr('Cam kết chưa nhận', 'Promised, not yet received')}</dt>
      <dd data-testid="ledger-outstanding" class="money-big">{vnd(l.outstanding_vnd)}</dd>
      <dt>{tr('Số khoản ủng hộ', 'Donation records')}</dt>
      <dd>{num(t.donations)}</dd>
    </dl>
  );
}

const moneyCols = (label: (r: Rec) => string, head: string) => [
  { head, cell: label },
  { head: tr('Cam kết', 'Promised'), cell: (r: Rec) => vnd(r.promised_vnd), num: true },
  { head: tr('Đã nhận', 'Received'), cell: (r: Rec) => vnd(r.received_vnd), num: true },
  { head: tr('Đã chi', 'Spent'), cell: (r: Rec) => vnd(r.spent_vnd), num: true },
];

function LedgerView({ l, pub }: { l: Rec; pub: boolean }) {
  const kinds = Object.entries((l.by_donor_kind ?? l.by_kind ?? {}) as Record<string, Rec>).map(([k, v]) => ({ ...v, kind: k }));
  const projects = [...itemsOf<Rec>(l.by_project ?? []), ...(l.unassigned ? [{ ...l.unassigned, road: tr('(chưa phân bổ cho công trình)', '(not assigned to a project)') }] : [])];
  return (
    <div data-testid={pub ? 'ledger-public' : 'ledger-full'}>
      {pub && <p class="muted">{tr('Sổ công khai: tên nhà hảo tâm xin ẩn danh không được hiển thị.', 'Public ledger: the names of donors who asked to stay anonymous are not shown.')}</p>}
      <LedgerTotals l={l} />
      <h2>{tr('Theo loại nhà hảo tâm', 'By kind of donor')}</h2>
      <Table rows={kinds} cols={moneyCols((r) => name(DONOR_KINDS, r.kind), tr('Loại', 'Kind'))} />
      <h2>{tr('Theo công trình', 'By project')}</h2>
      <Table rows={projects} cols={moneyCols((r) => r.road ?? '', tr('Công trình', 'Project'))} />
      <h2>{tr('Nhà hảo tâm', 'Donors')}</h2>
      <Table rows={itemsOf<Rec>(l.donors ?? [])} cols={[
        ...moneyCols((r) => r.name ?? tr('Nhà hảo tâm (ẩn danh)', 'Anonymous donor'), tr('Nhà hảo tâm', 'Donor')),
        { head: tr('Loại', 'Kind'), cell: (r: Rec) => name(DONOR_KINDS, r.kind) },
      ]} />
      <h2>{tr('Theo tháng', 'By month')}</h2>
      <Table rows={itemsOf<Rec>(l.by_month ?? [])} cols={moneyCols((r) => { const [y, m] = String(r.month ?? '').split('-'); return m ? `${m}/${y}` : String(r.month ?? ''); }, tr('Tháng', 'Month'))} />
    </div>
  );
}

function RoadProgress({ data, roadsById, communeName }: { data: Rec; roadsById: Map<string, Rec>; communeName: (id: unknown) => string }) {
  const t = data.total ?? {};
  const roads = itemsOf<Rec>(data.roads ?? []);
  return (
    <div data-testid="road-progress">
      <div class="bars">
        <Progress label={tr('Toàn bộ các công trình', 'All projects')} value={t.built_m ?? 0} goal={t.planned_m} fmt={kmU} />
        {roads.map((r) => (
          <Progress label={`${r.name}${communeName(r.commune_id) ? ` — ${communeName(r.commune_id)}` : ''}`} value={r.built_m ?? 0} goal={r.planned_m} fmt={kmU} />
        ))}
      </div>
      {roads.length === 0 && <p class="muted">{tr('Chưa có công trình đường nào.', 'No road project yet.')}</p>}
      <h2>{tr('Kinh phí các công trình', 'Cost of the projects')}</h2>
      <Table rows={roads} cols={[
        { head: tr('Công trình', 'Project'), cell: (r) => r.name },
        { head: tr('Điểm đầu', 'Start'), cell: (r) => anchor(roadsById.get(r.road_id)?.from) },
        { head: tr('Kế hoạch (km)', 'Planned (km)'), cell: (r) => km(r.planned_m), num: true },
        { head: tr('Đã làm (km)', 'Built (km)'), cell: (r) => km(r.built_m), num: true },
        { head: tr('Dự toán', 'Budget'), cell: (r) => (r.budget_vnd ? vnd(r.budget_vnd) : '—'), num: true },
        { head: tr('Đã chi', 'Spent'), cell: (r) => vnd(r.spent_vnd), num: true },
        { head: tr('Chi phí / km', 'Cost per km'), cell: (r) => (r.vnd_per_km ? vnd(r.vnd_per_km) : '—'), num: true },
        { head: tr('Báo cáo gần nhất', 'Last report'), cell: (r) => date(r.last_on) },
      ]} />
    </div>
  );
}

const byDateDesc = (a: Rec, b: Rec) => String(b.date ?? '').localeCompare(String(a.date ?? ''));

export function CampaignPage({ user }: { user: User }) {
  const isViewer = user.role === 'viewer';
  // campaign money and roads are province-wide: only admins change them
  const isAdmin = user.role === 'admin';
  const [tab, setTab] = useState(isViewer ? 'public' : 'ledger');
  const communeName = useCommuneNames();
  const camps = useLoad(() => (isViewer ? Promise.resolve([] as Rec[]) : optional(get('/campaigns')).then((r) => (r === null ? null : itemsOf<Rec>(r))).catch(() => [] as Rec[])), []);
  const ledger = useLoad(() => optional(get<Rec>('/ledger', tab === 'public' || isViewer ? { public: 1 } : {})), [tab === 'public']);
  const progress = useLoad(() => optional(get<Rec>('/roads/progress')).catch(() => null), []);
  const roads = useLoad(() => (isViewer ? Promise.resolve([] as Rec[]) : optional(get('/roads')).then((r) => itemsOf<Rec>(r ?? [])).catch(() => [] as Rec[])), []);
  const donors = useLoad(() => (isViewer ? Promise.resolve([] as Rec[]) : optional(get('/donors')).then((r) => itemsOf<Rec>(r ?? [])).catch(() => [] as Rec[])), []);
  // the lists of donations and expenses are read when their tab is first opened
  const wantDon = tab === 'donations', wantExp = tab === 'expenses';
  const donations = useLoad<Rec[] | undefined>(async () => (isViewer ? [] : wantDon ? itemsOf<Rec>(await get('/donations')).sort(byDateDesc) : undefined), [wantDon]);
  const expenses = useLoad<Rec[] | undefined>(async () => (isViewer ? [] : wantExp ? itemsOf<Rec>(await get('/expenses')).sort(byDateDesc) : undefined), [wantExp]);
  // after a save every figure on the page is read again
  const refresh = () => [ledger, progress, roads, donors, donations, expenses, camps].forEach((x) => x.reload());
  const roadsById = new Map((roads.data ?? []).map((r) => [r.id as string, r]));
  const donorsById = new Map((donors.data ?? []).map((r) => [r.id as string, r]));
  const camp = (camps.data ?? []).find((c) => c.id === ledger.data?.campaign_id) ?? (camps.data ?? [])[0];
  const tabs: [string, string][] = isViewer
    ? [['public', tr('Sổ công khai', 'Public ledger')], ['roads', tr('Tiến độ làm đường', 'Road progress')]]
    : [
        ['ledger', tr('Sổ quỹ', 'Ledger')],
        ['donors', tr('Nhà hảo tâm', 'Donors')],
        ['donations', tr('Khoản ủng hộ', 'Donations')],
        ['expenses', tr('Khoản chi', 'Spending')],
        ['roads', tr('Tiến độ làm đường', 'Road progress')],
        ['public', tr('Sổ công khai', 'Public ledger')],
      ];
  const t = ledger.data?.total ?? {};
  const pt = progress.data?.total ?? {};
  return (
    <Page title={tr('Vận động xây dựng đường tuần tra', 'Patrol-road campaign')}>
      {ledger.data === null ? <NotAvailable /> : (
        <>
          {ledger.data && <p class="lead" data-testid="campaign-name">{ledger.data.campaign}</p>}
          {ledger.data && (
            <div class="bars" data-testid="campaign-goals">
              <Progress label={tr('Đã nhận so với mục tiêu vận động', 'Received against the goal')} value={t.received_vnd ?? 0} goal={camp?.goal_vnd} fmt={vnd} />
              <Progress label={tr('Đường đã làm so với mục tiêu', 'Road built against the goal')} value={pt.built_m ?? 0} goal={camp?.goal_road_m} fmt={kmU} />
            </div>
          )}
          <Tabs tabs={tabs} current={tab} onPick={setTab} />
          {(tab === 'ledger' || tab === 'public') && <Show s={ledger}>{(l) => (l ? <LedgerView l={l} pub={tab === 'public' || isViewer} /> : <NotAvailable />)}</Show>}
          {tab === 'donors' && isAdmin && (
            <Opener label={tr('Thêm nhà hảo tâm', 'Add a donor')} testid="open-donor-form">{(f, close) => <f.DonorForm onSaved={refresh} onClose={close} />}</Opener>
          )}
          {tab === 'donations' && isAdmin && (
            <Opener label={tr('Ghi khoản ủng hộ', 'Record a donation')} testid="open-donation-form">{(f, close) => (
              <f.DonationForm donors={donors.data ?? []} donations={donations.data ?? []} roads={roads.data ?? []} campaigns={camps.data ?? []} campaignId={camp?.id}
                labourRate={camp?.labour_day_vnd} onSaved={refresh} onClose={close} />
            )}</Opener>
          )}
          {tab === 'expenses' && isAdmin && (
            <Opener label={tr('Ghi khoản chi', 'Record an expense')} testid="open-expense-form">{(f, close) => (
              <f.ExpenseForm roads={roads.data ?? []} campaigns={camps.data ?? []} campaignId={camp?.id} balance={ledger.data?.balance_vnd} onSaved={refresh} onClose={close} />
            )}</Opener>
          )}
          {tab === 'roads' && isAdmin && (
            <Opener label={tr('Báo cáo đoạn đường đã làm', 'Record a stretch of road built')} testid="open-progress-form">{(f, close) => (
              <f.ProgressForm roads={roads.data ?? []} onSaved={refresh} onClose={close} />
            )}</Opener>
          )}
          {tab === 'donors' && (
            <Show s={donors}>{(ds) => (
              <Table rows={ds} cols={[
                { head: tr('Tên', 'Name'), cell: (r) => r.name ?? tr('(ẩn danh)', '(anonymous)') },
                { head: tr('Loại', 'Kind'), cell: (r) => name(DONOR_KINDS, r.kind) },
                { head: tr('Xin ẩn danh', 'Anonymous'), cell: (r) => (r.anonymous ? tr('có', 'yes') : '') },
                { head: tr('Liên hệ', 'Contact'), cell: (r) => r.contact ?? '' },
                { head: tr('Ghi chú', 'Note'), cell: (r) => r.note ?? '' },
              ]} empty={tr('Chưa có nhà hảo tâm nào.', 'No donors yet.')} />
            )}</Show>
          )}
          {tab === 'donations' && <Donations st={donations} donorsById={donorsById} roadsById={roadsById} />}
          {tab === 'expenses' && <Expenses st={expenses} roadsById={roadsById} />}
          {tab === 'roads' && <Show s={progress}>{(p) => (p ? <RoadProgress data={p} roadsById={roadsById} communeName={communeName} /> : <NotAvailable />)}</Show>}
        </>
      )}
    </Page>
  );
}

function Donations({ st, donorsById, roadsById }: { st: Loaded<Rec[] | undefined>; donorsById: Map<string, Rec>; roadsById: Map<string, Rec> }) {
  return (
    <Show s={st}>{(ds = []) => (
      <Table rows={ds} cols={[
        { head: tr('Ngày', 'Date'), cell: (r) => date(r.date) },
        { head: tr('Nhà hảo tâm', 'Donor'), cell: (r) => donorsById.get(r.donor_id)?.name ?? tr('(ẩn danh)', '(anonymous)') },
        { head: tr('Tình trạng', 'Status'), cell: (r) => (r.status === 'promised' ? tr('Cam kết', 'Promised') : tr('Đã nhận', 'Received')) },
        { head: tr('Hình thức', 'Form'), cell: (r) => name(FORMS, r.form) },
        { head: tr('Giá trị', 'Value'), cell: (r) => vnd(r.amount_vnd), num: true },
        { head: tr('Chi tiết', 'Details'), cell: (r) => (r.form === 'in_kind' ? `${r.item ?? ''} ${r.quantity != null ? num(r.quantity, Number.isInteger(r.quantity) ? 0 : 2) : ''} ${r.unit ?? ''}`.trim() : r.form === 'labour' ? `${num(r.labour_days, Number.isInteger(r.labour_days) ? 0 : 1)} ${tr('ngày công', 'labour days')}` : '') },
        { head: tr('Số phiếu thu', 'Receipt'), cell: (r) => r.receipt_no ?? '' },
        { head: tr('Công trình', 'Project'), cell: (r) => roadsById.get(r.road_id)?.name ?? '' },
      ]} empty={tr('Chưa có khoản ủng hộ nào.', 'No donations yet.')} />
    )}</Show>
  );
}

function Expenses({ st, roadsById }: { st: Loaded<Rec[] | undefined>; roadsById: Map<string, Rec> }) {
  return (
    <Show s={st}>{(xs = []) => (
      <>
        <p data-testid="expenses-total">{tr('Tổng đã chi', 'Total spent')}: <strong>{vnd(xs.reduce((s, x) => s + (Number(x.amount_vnd) || 0), 0))}</strong></p>
        <Table rows={xs} cols={[
          { head: tr('Ngày', 'Date'), cell: (r) => date(r.date) },
          { head: tr('Số chứng từ', 'Document'), cell: (r) => r.doc_no ?? '' },
          { head: tr('Số tiền', 'Amount'), cell: (r) => vnd(r.amount_vnd), num: true },
          { head: tr('Công trình', 'Project'), cell: (r) => roadsById.get(r.road_id)?.name ?? '' },
          { head: tr('Nội dung chi', 'Purpose'), cell: (r) => r.purpose ?? '' },
        ]} empty={tr('Chưa có khoản chi nào.', 'No spending yet.')} />
      </>
    )}</Show>
  );
}

// ---- Mô hình ----

/** A list of records; viewers (who may not list them) read the map layer's properties. */
async function recordsOrLayer(user: User, path: string): Promise<Rec[] | null> {
  if (user.role !== 'viewer') {
    const r = await optional(get(path));
    return r === null ? null : itemsOf<Rec>(r);
  }
  const l = await optional(get<Rec>(`/layers${path}`));
  return l === null ? null : itemsOf<Rec>(l.features ?? []).map((f) => f.properties ?? {});
}

export function ModelsPage({ user }: { user: User }) {
  const [tab, setTab] = useState('bamboo');
  const communeName = useCommuneNames();
  const bamboo = useLoad(() => recordsOrLayer(user, '/bamboo'), []);
  const lights = useLoad(async () => {
    const ls = await recordsOrLayer(user, '/lights');
    if (!ls || user.role === 'viewer') return ls;
    // whether each light works now (its latest check) comes with the map layer
    const l = await optional(get<Rec>('/layers/lights')).catch(() => null);
    const now = new Map(itemsOf<Rec>(l?.features ?? []).map((f) => [f.properties?.id, f.properties?.working_now]));
    return ls.map((x) => (typeof now.get(x.id) === 'boolean' ? { ...x, working_now: now.get(x.id) } : x));
  }, []);
  const worksNow = (l: Rec) => Boolean(l.working_now ?? l.working);
  // station and commune users check the plantings and lights of their communes
  const mine = new Set(writableCommunes(user, communeName.list).map((c) => c.id as string));
  const mayCheck = (r: Rec) => user.role === 'admin' || mine.has(r.commune_id);
  const where = (r: Rec) => communeName(r.commune_id) || tr('(không rõ xã)', '(no commune)');
  return (
    <Page title={tr('Mô hình', 'Community models')}>
      <Tabs tabs={[['bamboo', tr('Lũy tre biên giới Việt', 'Bamboo belt')], ['lights', tr('Thắp sáng đường tuần tra biên giới', 'Patrol-road lights')]]} current={tab} onPick={setTab} />
      {tab === 'bamboo' && (
        <Show s={bamboo}>{(bs) => (bs === null ? <NotAvailable /> : (
          <>
            {user.role !== 'viewer' && bs.some(mayCheck) && (
              <Opener label={tr('Ghi kiểm tra tỷ lệ tre sống', 'Record a bamboo survival check')} testid="open-bamboo-check">{(f, close) => (
                <f.CheckForm kind="bamboo" items={bs.filter(mayCheck)} onSaved={bamboo.reload} onClose={close}
                  label={(r) => `${where(r)} — km ${km(r.from?.measure_m)} – ${km(r.to?.measure_m)}, ${num(r.clumps)} ${tr('khóm', 'clumps')}, ${tr('trồng', 'planted')} ${date(r.planted_on)}`} />
              )}</Opener>
            )}
            <dl class="facts" data-testid="bamboo-totals">
              <dt>{tr('Số điểm trồng', 'Plantings')}</dt><dd>{num(bs.length)}</dd>
              <dt>{tr('Số khóm tre đã trồng', 'Clumps planted')}</dt><dd>{num(bs.reduce((s, b) => s + (Number(b.clumps) || 0), 0))}</dd>
              <dt>{tr('Số hộ tham gia', 'Households involved')}</dt><dd>{num(bs.reduce((s, b) => s + (Number(b.households) || 0), 0))}</dd>
            </dl>
            <Table rows={bs} cols={[
              { head: tr('Xã', 'Commune'), cell: (r) => communeName(r.commune_id) },
              { head: tr('Từ', 'From'), cell: (r) => anchor(r.from) },
              { head: tr('Đến', 'To'), cell: (r) => anchor(r.to) },
              { head: tr('Dài (km)', 'Length (km)'), cell: (r) => km(stretchLen(r)), num: true },
              { head: tr('Số khóm', 'Clumps'), cell: (r) => num(r.clumps), num: true },
              { head: tr('Số hộ', 'Households'), cell: (r) => num(r.households), num: true },
              { head: tr('Ngày trồng', 'Planted'), cell: (r) => date(r.planted_on) },
            ]} empty={tr('Chưa có điểm trồng tre nào.', 'No bamboo planted yet.')} />
          </>
        ))}</Show>
      )}
      {tab === 'lights' && (
        <Show s={lights}>{(ls) => (ls === null ? <NotAvailable /> : (
          <>
            {user.role !== 'viewer' && ls.some(mayCheck) && (
              <Opener label={tr('Ghi kiểm tra đèn', 'Record a check of a light')} testid="open-light-check">{(f, close) => (
                <f.CheckForm kind="lights" items={ls.filter(mayCheck)} onSaved={lights.reload} onClose={close}
                  label={(r) => `km ${km(r.measure_m)} — ${name(LIGHT_KINDS, r.kind)} — ${where(r)}, ${tr('lắp', 'installed')} ${date(r.installed_on)}`} />
              )}</Opener>
            )}
            <dl class="facts" data-testid="lights-totals">
              <dt>{tr('Số đèn đã lắp', 'Lights installed')}</dt><dd>{num(ls.length)}</dd>
              {ls.some((l) => typeof l.working_now === 'boolean') ? (
                <><dt>{tr('Đang sáng (theo lần kiểm tra gần nhất)', 'Working (as last checked)')}</dt><dd data-testid="lights-working">{num(ls.filter(worksNow).length)}</dd></>
              ) : (
                <><dt>{tr('Đang sáng (khi lắp)', 'Working (as installed)')}</dt><dd data-testid="lights-working">{num(ls.filter((l) => l.working).length)}</dd></>
              )}
            </dl>
            <Table rows={ls} cols={[
              { head: tr('Xã', 'Commune'), cell: (r) => communeName(r.commune_id) },
              { head: tr('Lý trình (km)', 'Km'), cell: (r) => km(r.measure_m), num: true },
              { head: tr('Loại', 'Kind'), cell: (r) => name(LIGHT_KINDS, r.kind) },
              { head: tr('Ngày lắp', 'Installed'), cell: (r) => date(r.installed_on) },
              { head: tr('Nơi tài trợ', 'Funded by'), cell: (r) => r.funder ?? '' },
              { head: tr('Hoạt động', 'Working'), cell: (r) => (worksNow(r) ? tr('có', 'yes') : <strong class="bad-text">{tr('hỏng', 'broken')}</strong>) },
            ]} empty={tr('Chưa lắp đèn nào.', 'No lights yet.')} />
          </>
        ))}</Show>
      )}
    </Page>
  );
}

// ---- Ngày 3/3 ----

export function EventsPage({ user }: { user: User }) {
  const communeName = useCommuneNames();
  const st = useLoad(() => optional(get('/events')).then((r) => (r === null ? null : itemsOf<Rec>(r).sort((a, b) => (b.year ?? 0) - (a.year ?? 0)))), []);
  const writable = writableCommunes(user, communeName.list);
  return (
    <Page title={tr('Ngày Biên phòng toàn dân 3/3', 'All-People Border Guard Day (3 March)')}>
      <Show s={st}>{(es) => {
        if (es === null) return <NotAvailable />;
        const years = [...new Set(es.map((e) => e.year))].sort((a, b) => b - a);
        const sum = (xs: Rec[], k: string) => xs.reduce((s, x) => s + (Number(x[k]) || 0), 0);
        return (
          <>
            {writable.length > 0 && (
              <Opener label={tr('Ghi hoạt động Ngày 3/3', 'Record 3 March activities')} testid="open-event-form">{(f, close) => <f.EventForm communes={writable} onSaved={st.reload} onClose={close} />}</Opener>
            )}
            <h2>{tr('Tổng hợp theo năm', 'By year')}</h2>
            <Table rows={years.map((y) => ({ year: y, rows: es.filter((e) => e.year === y) }))} cols={[
              { head: tr('Năm', 'Year'), cell: (r) => String(r.year) },
              { head: tr('Số xã', 'Communes'), cell: (r) => num(new Set(r.rows.map((e: Rec) => e.commune_id)).size), num: true },
              { head: tr('Số hoạt động', 'Activities'), cell: (r) => num(sum(r.rows, 'activities')), num: true },
              { head: tr('Lượt người tham gia', 'Participants'), cell: (r) => num(sum(r.rows, 'participants')), num: true },
              { head: tr('Suất quà', 'Gifts'), cell: (r) => num(sum(r.rows, 'gifts')), num: true },
              { head: tr('Trị giá quà', 'Value of gifts'), cell: (r) => vnd(sum(r.rows, 'gifts_vnd')), num: true },
              { head: tr('Kinh phí', 'Funds'), cell: (r) => vnd(sum(r.rows, 'funds_vnd')), num: true },
            ]} empty={tr('Chưa có hoạt động nào.', 'No activities yet.')} />
            <h2>{tr('Theo xã', 'By commune')}</h2>
            <Table rows={es} cols={[
              { head: tr('Năm', 'Year'), cell: (r) => String(r.year) },
              { head: tr('Xã', 'Commune'), cell: (r) => communeName(r.commune_id) },
              { head: tr('Số hoạt động', 'Activities'), cell: (r) => num(r.activities), num: true },
              { head: tr('Hình thức', 'Kinds'), cell: (r) => r.kinds ?? '' },
              { head: tr('Người tham gia', 'Participants'), cell: (r) => num(r.participants), num: true },
              { head: tr('Suất quà', 'Gifts'), cell: (r) => num(r.gifts), num: true },
              { head: tr('Trị giá quà', 'Value of gifts'), cell: (r) => vnd(r.gifts_vnd), num: true },
              { head: tr('Kinh phí', 'Funds'), cell: (r) => vnd(r.funds_vnd), num: true },
            ]} />
          </>
        );
      }}</Show>
    </Page>
  );
}

// ---- Khen thưởng ----

export function AwardsPage({ user }: { user: User }) {
  const [tab, setTab] = useState('awards');
  const communeName = useCommuneNames();
  const awards = useLoad(() => optional(get('/awards')).then((r) => (r === null ? null : itemsOf<Rec>(r).sort((a, b) => String(b.decided_on ?? '').localeCompare(String(a.decided_on ?? ''))))), []);
  const sugg = useLoad(() => (tab === 'suggestions' ? optional(get<Rec>('/awards/suggest')) : Promise.resolve(undefined as Rec | null | undefined)), [tab]);
  return (
    <Page title={tr('Khen thưởng', 'Commendations')}>
      <Tabs tabs={[['awards', tr('Đã khen thưởng', 'Given')], ['suggestions', tr('Đề xuất khen thưởng', 'Suggestions')]]} current={tab} onPick={setTab} />
      {tab === 'awards' && (
        <Show s={awards}>{(as) => (as === null ? <NotAvailable /> : (
          <>
          {user.role === 'admin' && (
            <Opener label={tr('Ghi khen thưởng', 'Record a commendation')} testid="open-award-form">{(f, close) => <f.AwardForm communes={communeName.list} onSaved={awards.reload} onClose={close} />}</Opener>
          )}
          <Table rows={as} cols={[
            { head: tr('Ngày quyết định', 'Decided on'), cell: (r) => date(r.decided_on) },
            { head: tr('Số quyết định', 'Decision'), cell: (r) => r.decision_no ?? '' },
            { head: tr('Hình thức', 'Level'), cell: (r) => name(AWARD_LEVELS, r.level) },
            { head: tr('Người/đơn vị được khen', 'Recipient'), cell: (r) => r.recipient ?? '' },
            { head: tr('Đối tượng', 'Kind'), cell: (r) => name(RECIPIENT_KINDS, r.recipient_kind) },
            { head: tr('Xã', 'Commune'), cell: (r) => communeName(r.commune_id) },
            { head: tr('Thành tích', 'Reason'), cell: (r) => r.reason ?? '' },
          ]} empty={tr('Chưa có khen thưởng nào.', 'No commendations yet.')} />
          </>
        ))}</Show>
      )}
      {tab === 'suggestions' && (
        <Show s={sugg}>{(s) => (s === null ? <NotAvailable /> : !s ? null : (
          <>
            <p class="muted">{tr(
              `Hộ, tập thể ký nhận tự quản ít nhất ${num(s.min_length_m / 1000, 1)} km trong ${num(s.min_years)} năm trở lên, xã tổ chức Ngày 3/3 ít nhất ${num(s.min_event_years)} năm, tính đến ${date(s.as_of)}.`,
              `Custodians co-managing at least ${num(s.min_length_m / 1000, 1)} km for ${num(s.min_years)} years or more, in communes holding 3 March activities in at least ${num(s.min_event_years)} years, as of ${date(s.as_of)}.`)}</p>
            <Table rows={itemsOf<Rec>(s.items ?? [])} cols={[
              { head: tr('Hộ/tập thể', 'Custodian'), cell: (r) => r.name },
              { head: tr('Xã', 'Commune'), cell: (r) => communeName(r.commune_id) },
              { head: tr('Ký nhận (km)', 'Pledged (km)'), cell: (r) => km(r.pledged_m), num: true },
              { head: tr('Số năm', 'Years'), cell: (r) => num(r.years), num: true },
              { head: tr('Năm có hoạt động 3/3', 'Years with 3 March activities'), cell: (r) => num(r.event_years), num: true },
              { head: tr('Điểm', 'Score'), cell: (r) => num(r.score, 1), num: true },
              { head: tr('Đề nghị hình thức', 'Suggested level'), cell: (r) => name(AWARD_LEVELS, r.level) },
            ]} empty={tr('Không có đề xuất nào.', 'No suggestions.')} />
          </>
        ))}</Show>
      )}
    </Page>
  );
}
