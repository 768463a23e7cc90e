// SPDX-License-Identifier: MIT
// Báo cáo: the review report (sơ kết, tổng kết) of a period for the
// province, a commune or a station, from GET /api/v1/reports/review, as
// PDF, HTML, CSV or JSON, in Vietnamese or English; downloaded with a
// progress indicator while the server renders it, and the server's
// problem+json shown against the field it names.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, download, get, itemsOf, saveFile, type User } from '../api';
import { lang, tr } from '../i18n';
import { date, isIsoDay, num, today } from '../fmt';
import { communes, type Rec } from '../data';
import { DateInput, ErrorBox, Page, useLoad } from '../components/ui';

const FORMATS: [string, string, string][] = [
  ['pdf', 'PDF (để in, ký)', 'PDF (to print and sign)'],
  ['html', 'HTML (xem trên trình duyệt)', 'HTML (to view in a browser)'],
  ['csv', 'CSV (bảng số liệu)', 'CSV (the figures as a table)'],
  ['json', 'JSON (cho phần mềm khác)', 'JSON (for other software)'],
];

/** Names of the report's query fields, for the server's field errors. */
const QUERY_FIELDS: Record<string, [string, string]> = {
  from: ['Từ ngày', 'From'],
  to: ['Đến ngày', 'To'],
  commune: ['Xã', 'Commune'],
  station: ['Đồn Biên phòng', 'Station'],
  format: ['Định dạng', 'Format'],
  lang: ['Ngôn ngữ', 'Language'],
};

function fieldErrors(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  const n = QUERY_FIELDS[field];
  return error.errors.filter((e) => e.field === field).map((e) => `${n ? tr(n[0], n[1]) : field}: ${e.detail}`);
}

function kb(n: number): string {
  return n < 1024 ? `${num(n)} B` : n < 1048576 ? `${num(n / 1024, 1)} kB` : `${num(n / 1048576, 2)} MB`;
}

interface Preset {
  vi: string;
  en: string;
  from: string;
  to: string;
}

function presets(): Preset[] {
  const t = today();
  const y = Number(t.slice(0, 4));
  // the movement's year runs from one 3 March to the next
  const last33 = t >= `${y}-03-03` ? y : y - 1;
  return [
    { vi: `Năm ${last33 - 1}–${last33} (3/3 đến 3/3)`, en: `${last33 - 1}–${last33} (3 March to 3 March)`, from: `${last33 - 1}-03-03`, to: `${last33}-03-03` },
    { vi: `5 năm (${last33 - 5}–${last33})`, en: `5 years (${last33 - 5}–${last33})`, from: `${last33 - 5}-03-03`, to: `${last33}-03-03` },
    { vi: `Năm ${y} đến nay`, en: `${y} to date`, from: `${y}-01-01`, to: t },
  ];
}

export function ReportsPage({ user }: { user: User }) {
  const ps = presets();
  const [from, setFrom] = useState(ps[1].from);
  const [to, setTo] = useState(ps[1].to);
  const [scope, setScope] = useState<'province' | 'commune' | 'station'>('province');
  const [commune, setCommune] = useState('');
  const [station, setStation] = useState('');
  const [format, setFormat] = useState('pdf');
  const [rlang, setRlang] = useState<string>(lang());
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const [phase, setPhase] = useState<{ received: number; total: number | null; started: number } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ filename: string; size: number; type: string; url: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  const cms = useLoad(() => communes().catch(() => [] as Rec[]), []);
  const sts = useLoad(async () => itemsOf<Rec>(await get('/stations', { limit: 1000 }).catch(() => [])), []);
  // scoped users: only their own communes and station
  const mine = (c: Rec) => user.role === 'admin' || user.role === 'viewer' || c.id === user.commune_id || (user.commune_ids ?? []).includes(c.id) || (user.station_id && c.station_id === user.station_id);
  const cList = (cms.data ?? []).filter(mine);
  const sList = (sts.data ?? []).filter((s) => user.role === 'admin' || user.role === 'viewer' || s.id === user.station_id);

  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => setElapsed(Date.now() - (phase?.started ?? Date.now())), 250);
    return () => clearInterval(t);
  }, [busy, phase?.started]);
  useEffect(() => () => { if (done) URL.revokeObjectURL(done.url); }, [done]);

  const make = async (e: Event) => {
    e.preventDefault();
    // days that do not exist are named at their fields and nothing is asked of the server
    setTried(true);
    if (!isIsoDay(from) || !isIsoDay(to) || busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const started = Date.now();
    setElapsed(0);
    setPhase({ received: 0, total: null, started });
    const ac = new AbortController();
    abort.current = ac;
    try {
      const d = await download('/reports/review', {
        from, to, format, lang: rlang,
        commune: scope === 'commune' ? commune : undefined,
        station: scope === 'station' ? station : undefined,
      }, (received, total) => setPhase({ received, total, started }), ac.signal);
      saveFile(d);
      setDone({ filename: d.filename, size: d.blob.size, type: d.type, url: URL.createObjectURL(d.blob) });
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err);
    } finally {
      setBusy(false);
      setPhase(null);
      abort.current = null;
    }
  };

  const receiving = phase && phase.received > 0;
  const share = phase && phase.total ? Math.min(1, phase.received / phase.total) : null;
  const scopeMissing = (scope === 'commune' && !commune) || (scope === 'station' && !station);

  return (
    <Page title={tr('Báo cáo sơ kết, tổng kết', 'Review report')}>
      <p class="muted">{tr(
        'Báo cáo sơ kết, tổng kết phong trào Toàn dân tham gia tự quản đường biên, mốc quốc giới trong kỳ đã chọn, với các số liệu như trang Tổng quan.',
        'The review report of the border co-management movement over the chosen period, with the figures of the overview page.')}</p>
      <form class="form" onSubmit={make} data-testid="report-form">
        <fieldset>
          <legend>{tr('Kỳ báo cáo', 'Period')}</legend>
          <div class="row presets">
            {ps.map((p) => (
              <button type="button" class={from === p.from && to === p.to ? 'on' : ''} aria-pressed={from === p.from && to === p.to} onClick={() => { setFrom(p.from); setTo(p.to); }}>
                {tr(p.vi, p.en)}
              </button>
            ))}
          </div>
          <div class="row">
            <div class={`field${fieldErrors(error, 'from').length ? ' bad' : ''}`}>
              <label for="r-from">{tr('Từ ngày', 'From')}</label>
              <DateInput id="r-from" testid="report-from" required force={tried} value={from} onChange={setFrom} />
              {fieldErrors(error, 'from').length > 0 && <div class="field-error" role="alert">{fieldErrors(error, 'from').join('; ')}</div>}
            </div>
            <div class={`field${fieldErrors(error, 'to').length ? ' bad' : ''}`}>
              <label for="r-to">{tr('Đến ngày', 'To')}</label>
              <DateInput id="r-to" testid="report-to" required force={tried} value={to} onChange={setTo} />
              {fieldErrors(error, 'to').length > 0 && <div class="field-error" role="alert">{fieldErrors(error, 'to').join('; ')}</div>}
            </div>
          </div>
          <p class="small muted" data-testid="report-period">{tr('Kỳ', 'Period')}: {date(from)} – {date(to)}</p>
        </fieldset>
        <fieldset>
          <legend>{tr('Phạm vi', 'Scope')}</legend>
          <div class="row">
            <label class="check"><input type="radio" name="scope" checked={scope === 'province'} onChange={() => setScope('province')} /> {tr('Toàn tỉnh', 'The whole province')}</label>
            <label class="check"><input type="radio" name="scope" data-testid="scope-commune" checked={scope === 'commune'} onChange={() => setScope('commune')} disabled={cList.length === 0} /> {tr('Một xã', 'One commune')}</label>
            <label class="check"><input type="radio" name="scope" data-testid="scope-station" checked={scope === 'station'} onChange={() => setScope('station')} disabled={sList.length === 0} /> {tr('Một đồn Biên phòng', 'One border guard station')}</label>
          </div>
          {scope === 'commune' && (
            <div class={`field${fieldErrors(error, 'commune').length ? ' bad' : ''}`}>
              <label for="r-commune">{tr('Xã', 'Commune')}</label>
              <select id="r-commune" data-testid="report-commune" value={commune} onChange={(e) => setCommune(e.currentTarget.value)} required>
                <option value="">{tr('— chọn xã —', '— choose a commune —')}</option>
                {cList.map((c) => <option value={c.code ?? c.id}>{c.name}</option>)}
              </select>
              {fieldErrors(error, 'commune').length > 0 && <div class="field-error" role="alert">{fieldErrors(error, 'commune').join('; ')}</div>}
            </div>
          )}
          {scope === 'station' && (
            <div class={`field${fieldErrors(error, 'station').length ? ' bad' : ''}`}>
              <label for="r-station">{tr('Đồn Biên phòng', 'Station')}</label>
              <select id="r-station" data-testid="report-station" value={station} onChange={(e) => setStation(e.currentTarget.value)} required>
                <option value="">{tr('— chọn đồn —', '— choose a station —')}</option>
                {sList.map((s) => <option value={s.code ?? s.id}>{s.name}</option>)}
              </select>
              {fieldErrors(error, 'station').length > 0 && <div class="field-error" role="alert">{fieldErrors(error, 'station').join('; ')}</div>}
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>{tr('Định dạng và ngôn ngữ', 'Format and language')}</legend>
          <div class="row">
            <div class="field">
              <label for="r-format">{tr('Định dạng', 'Format')}</label>
              <select id="r-format" data-testid="report-format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
                {FORMATS.map(([v, vi, en]) => <option value={v}>{tr(vi, en)}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="r-lang">{tr('Ngôn ngữ của báo cáo', 'Language of the report')}</label>
              <select id="r-lang" data-testid="report-lang" value={rlang} onChange={(e) => setRlang(e.currentTarget.value)}>
                <option value="vi">Tiếng Việt</option>
                <option value="en">English</option>
              </select>
            </div>
          </div>
        </fieldset>
        <ErrorBox error={error instanceof ApiError && error.errors.length > 0 && error.errors.every((x) => QUERY_FIELDS[x.field]) ? null : error} />
        {error instanceof ApiError && error.errors.length > 0 && error.errors.every((x) => QUERY_FIELDS[x.field]) && (
          <div class="error" role="alert" data-testid="report-error"><strong>{tr('Chưa lập được báo cáo', 'The report was not made')}</strong>
            <div class="small">{error.title}{error.detail ? `: ${error.detail}` : ''}</div></div>
        )}
        <div class="row">
          <button type="submit" class="primary" data-testid="report-make" disabled={busy || scopeMissing}>
            {busy ? tr('Đang lập báo cáo…', 'Generating…') : tr('Lập và tải về', 'Generate and download')}
          </button>
          {busy && <button type="button" onClick={() => abort.current?.abort()}>{tr('Hủy', 'Cancel')}</button>}
        </div>
        {busy && (
          <div class="report-progress" data-testid="report-progress" aria-live="polite">
            {share === null ? (
              <div class="bar indeterminate" role="progressbar" aria-label={tr('Đang lập báo cáo', 'Generating the report')}><div class="fill" /></div>
            ) : (
              <div class="bar" role="progressbar" aria-label={tr('Đang tải về', 'Downloading')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
                <div class="fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
              </div>
            )}
            <p class="small">
              {receiving
                ? `${tr('Đang tải về', 'Downloading')} ${kb(phase!.received)}${phase!.total ? ` / ${kb(phase!.total)}` : ''}`
                : `${tr('Máy chủ đang lập báo cáo', 'The server is making the report')}… ${num(elapsed / 1000, 0)} s`}
            </p>
          </div>
        )}
      </form>
      {done && (
        <p class="ok" role="status" data-testid="report-done">
          {tr('Đã tải về', 'Downloaded')} <a href={done.url} download={done.filename} data-testid="report-link">{done.filename}</a> ({kb(done.size)}).
        </p>
      )}
    </Page>
  );
}
