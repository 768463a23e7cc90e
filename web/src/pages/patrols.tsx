// SPDX-License-Identifier: MIT
// Tuần tra: upload GPX files with a progress bar, the list of patrols, and a
// patrol's details: its track on the map, quality flags, walked km and the
// approval of a flagged track.
import L from 'leaflet';
import { useMemo, useState } from 'preact/hooks';
import { BASE, get, itemsOf, post, upload, type User } from '../api';
import { tr } from '../i18n';
import { date, isIsoDay, km, kmU, num } from '../fmt';
import type { Rec } from '../data';
import { go } from '../route';
import { MapView, type MapLayer } from '../components/map';
import { DateInput, ErrorBox, NotAvailable, optional, Page, Show, Table, useLoad } from '../components/ui';

const FLAGS: Record<string, [string, string]> = {
  no_time: ['Thiếu thời gian', 'Missing times'],
  unordered: ['Thời gian không theo thứ tự', 'Times out of order'],
  speed: ['Tốc độ quá cao', 'Impossible speed'],
  jump: ['Điểm nhảy xa', 'Jumps'],
  future: ['Thời gian trong tương lai', 'Times in the future'],
  far_date: ['Xa ngày tuần tra', 'Dates far from the patrol day'],
  duplicate: ['Trùng vết khác', 'Duplicate of another track'],
  replay: ['Vết khác phát lại', 'Replay of another track'],
  zero: ['Điểm tại 0,0', 'Fixes at 0,0'],
  far_border: ['Xa đường biên giới', 'Far from the border'],
};

export function flagName(f: string): string {
  const k = FLAGS[f];
  return k ? tr(k[0], k[1]) : f;
}

function flagsOf(p: Rec): string[] {
  const f = p.flags ?? p.quality?.flags ?? p.quality ?? [];
  if (Array.isArray(f)) return f.map((x) => (typeof x === 'string' ? x : x.flag ?? x.code ?? JSON.stringify(x)));
  if (f && typeof f === 'object') return Object.entries(f).filter(([, v]) => v === true || (typeof v === 'number' && v > 0)).map(([k]) => k);
  return [];
}

export function Patrols({ user }: { user: User }) {
  const probe = useLoad(() => optional(get<Rec>('/patrols', { limit: 1 })), []);
  void user;
  const [file, setFile] = useState<File | null>(null);
  const [day, setDay] = useState('');
  const [tried, setTried] = useState(false);
  const [kind, setKind] = useState('joint');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Rec | null>(null);
  const [tick, setTick] = useState(0);

  const send = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    // a patrol day that is not a real day is named at its field, not sent
    setTried(true);
    if (day && !isIsoDay(day)) return;
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      const q = new URLSearchParams({ filename: file.name });
      if (day) q.set('date', day);
      if (kind) q.set('kind', kind);
      const r = await upload<Rec>(`/patrols/import?${q}`, file, setProgress);
      setResult((r?.files?.[0] as Rec) ?? r ?? {});
      setTick((t) => t + 1);
    } catch (err) {
      setError(err); // the chosen file stays chosen
    } finally {
      setProgress(null);
    }
  };
  const walked = result ? (result.walked_m ?? result.patrol?.walked_m) : undefined;
  const resultId = result ? (result.patrol_id ?? result.id ?? result.patrol?.id) : undefined;

  return (
    <Page title={tr('Tuần tra', 'Patrols')}>
      {probe.data === null ? (
        <NotAvailable />
      ) : (
        <>
          {user.role !== 'viewer' && (
            <form class="form upload" onSubmit={send} data-testid="gpx-form">
              <h2>{tr('Tải lên tệp GPX của chuyến tuần tra', 'Upload a patrol GPX file')}</h2>
              <div class="row">
                <label>
                  {tr('Tệp GPX', 'GPX file')}
                  <input type="file" accept=".gpx,application/gpx+xml" data-testid="gpx-file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
                </label>
                <div class="field">
                  <label for="gpx-day">{tr('Ngày tuần tra (nếu tệp không có)', 'Patrol day (if not in the file)')}</label>
                  <DateInput id="gpx-day" value={day} onChange={setDay} force={tried} />
                </div>
                <label>
                  {tr('Hình thức', 'Kind')}
                  <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
                    <option value="joint">{tr('Tuần tra chung', 'Joint patrol')}</option>
                    <option value="station">{tr('Đồn tự tuần tra', 'Station patrol')}</option>
                    <option value="bilateral">{tr('Tuần tra song phương', 'Bilateral patrol')}</option>
                  </select>
                </label>
              </div>
              {progress !== null && (
                <div class="progress" data-testid="upload-progress">
                  <div class="progress-label"><span>{tr('Đang tải lên…', 'Uploading…')}</span><span>{num(progress * 100, 0)}%</span></div>
                  <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
                    <div class="fill" style={{ width: `${(progress * 100).toFixed(1)}%` }} />
                  </div>
                </div>
              )}
              <ErrorBox error={error} />
              {result && (
                <p class="ok" role="status" data-testid="gpx-result">
                  {tr('Đã tải lên. Đoạn đã tuần tra:', 'Uploaded. Walked:')} <strong data-testid="walked-km">{kmU(walked)}</strong>
                  {result.duplicate && ` — ${tr('tệp này đã được tải lên trước đó', 'this file was uploaded before')}`}
                  {flagsOf(result).length > 0 && ` — ${tr('cần duyệt', 'needs approval')}: ${flagsOf(result).map(flagName).join(', ')}`}
                  {resultId && <> <a href={`#/patrols/${resultId}`}>{tr('Xem chi tiết', 'Details')}</a></>}
                </p>
              )}
              <button type="submit" class="primary" disabled={!file || progress !== null}>{tr('Tải lên', 'Upload')}</button>
            </form>
          )}
          <h2>{tr('Các chuyến tuần tra', 'Patrols')}</h2>
          <PatrolList key={tick} />
        </>
      )}
    </Page>
  );
}

const KINDS: Record<string, [string, string]> = {
  joint: ['Tuần tra chung', 'Joint'],
  station: ['Đồn tự tuần tra', 'Station'],
  bilateral: ['Tuần tra song phương', 'Bilateral'],
};

function PatrolList() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <>
      <div class="filters">
        <div class="field">
          <label for="pl-from">{tr('Từ ngày', 'From')}</label>
          <DateInput id="pl-from" value={from} onChange={setFrom} />
        </div>
        <div class="field">
          <label for="pl-to">{tr('Đến ngày', 'To')}</label>
          <DateInput id="pl-to" value={to} onChange={setTo} />
        </div>
      </div>
      <AutoListRows path="/patrols" params={{ from: isIsoDay(from) ? from : '', to: isIsoDay(to) ? to : '' }} />
    </>
  );
}

function AutoListRows({ path, params }: { path: string; params: Record<string, string> }) {
  const st = useLoad(async () => itemsOf<Rec>(await get(path, { limit: 50, ...params })), [JSON.stringify(params)]);
  return (
    <Show s={st}>
      {(rows) => (
        <Table
          rows={rows}
          onRow={(r) => go(`patrols/${r.id}`)}
          cols={[
            { head: tr('Ngày', 'Date'), cell: (p) => <a href={`#/patrols/${p.id}`}>{date(p.date)}</a> },
            { head: tr('Hình thức', 'Kind'), cell: (p) => (KINDS[p.kind] ? tr(...KINDS[p.kind]) : p.kind) },
            { head: tr('Đã tuần tra (km)', 'Walked (km)'), cell: (p) => km(p.walked_m), num: true },
            { head: tr('Người tham gia', 'Participants'), cell: (p) => num(p.participants?.length ?? 0), num: true },
            { head: tr('Chất lượng vết', 'Track quality'), cell: (p) => (flagsOf(p).length ? <span class="bad-text">{flagsOf(p).map(flagName).join(', ')}</span> : tr('tốt', 'good')) },
            { head: tr('Xác nhận', 'Verified'), cell: (p) => (p.verified ? tr('có', 'yes') : tr('chờ duyệt', 'awaiting approval')) },
          ]}
          empty={tr('Chưa có chuyến tuần tra nào.', 'No patrols yet.')}
        />
      )}
    </Show>
  );
}

export function PatrolDetail({ user, id }: { user: User; id: string }) {
  const st = useLoad(async () => {
    const p = await get<Rec>(`/patrols/${encodeURIComponent(id)}`);
    const track = await optional(get<GeoJSON.GeoJsonObject>(`/patrols/${encodeURIComponent(id)}/track.geojson`)).catch(() => null);
    const border = await optional(get<GeoJSON.GeoJsonObject>('/layers/border')).catch(() => null);
    return { p, track, border };
  }, [id]);
  const [error, setError] = useState<unknown>(null);
  const layers = useMemo<MapLayer[]>(() => {
    if (!st.data) return [];
    const out: MapLayer[] = [];
    if (st.data.border) out.push({ id: 'border', label: tr('Đường biên giới', 'Border'), data: st.data.border, style: { color: '#1a1a1a', weight: 3 }, point: (_f, ll) => L.circleMarker(ll, { radius: 1 }) });
    const tr_ = st.data.track ?? st.data.p.track ?? st.data.p.geometry ?? null;
    if (tr_) out.push({ id: 'track', label: tr('Vết GPS', 'GPS track'), data: tr_, fit: true, style: { color: '#0057b8', weight: 4 }, point: (_f, ll) => L.circleMarker(ll, { radius: 2, color: '#0057b8' }) });
    return out;
  }, [st.data]);
  const approve = async () => {
    try {
      await post(`/patrols/${encodeURIComponent(id)}/approve`, {});
      st.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Show s={st}>
      {({ p }) => {
        const flags = flagsOf(p);
        return (
          <Page title={`${tr('Chuyến tuần tra', 'Patrol')} ${date(p.date ?? p.patrol_on ?? p.started_at)}`} actions={<a class="button" href={`${BASE}/patrols/${encodeURIComponent(id)}/track.gpx`} download>{tr('Tải vết GPX', 'Download GPX')}</a>}>
            <dl class="facts">
              <dt>{tr('Đã tuần tra', 'Walked')}</dt><dd data-testid="walked-km">{kmU(p.walked_m)}</dd>
              {p.travelled_m != null && (<><dt>{tr('Quãng đường GPS', 'Track length')}</dt><dd>{kmU(p.travelled_m)}</dd></>)}
              {p.kind && (<><dt>{tr('Hình thức', 'Kind')}</dt><dd>{KINDS[p.kind] ? tr(...KINDS[p.kind]) : p.kind}</dd></>)}
              {p.leader && (<><dt>{tr('Chỉ huy', 'Leader')}</dt><dd>{p.leader}</dd></>)}
              {Array.isArray(p.participants) && (<><dt>{tr('Hộ/tập thể tham gia', 'Participants')}</dt><dd>{num(p.participants.length)}</dd></>)}
              <dt>{tr('Chất lượng vết', 'Track quality')}</dt>
              <dd>{flags.length ? <ul class="flags">{flags.map((f) => <li class="flag">{flagName(f)}</li>)}</ul> : tr('Không có cảnh báo', 'No flags')}</dd>
              <dt>{tr('Trạng thái', 'Status')}</dt><dd data-testid="patrol-status">{p.verified ? tr('Được tính xác nhận', 'Counts as verified') : tr('Chờ duyệt', 'Awaiting approval')}</dd>
            </dl>
            {!p.verified && user.role !== 'viewer' && (
              <button type="button" class="primary" onClick={approve}>{tr('Duyệt vết tuần tra', 'Approve the track')}</button>
            )}
            <ErrorBox error={error} />
            <MapView layers={layers} height="55vh" testid="patrol-map" />
            {Array.isArray(p.track_list) && p.track_list.length > 0 && (
              <>
                <h2>{tr('Các tệp vết GPS', 'Track files')}</h2>
                <Table
                  rows={p.track_list}
                  cols={[
                    { head: tr('Tệp', 'File'), cell: (t) => t.file ?? '' },
                    { head: tr('Số điểm', 'Fixes'), cell: (t) => `${num(t.kept)}/${num(t.fixes)}`, num: true },
                    { head: tr('Đã tuần tra (km)', 'Walked (km)'), cell: (t) => km(t.walked_m), num: true },
                    { head: tr('Quãng đường (km)', 'Travelled (km)'), cell: (t) => km(t.travelled_m), num: true },
                    { head: tr('Cảnh báo', 'Flags'), cell: (t) => (flagsOf(t).length ? <span class="bad-text">{flagsOf(t).map(flagName).join(', ')}</span> : tr('không', 'none')) },
                  ]}
                />
              </>
            )}
            {Array.isArray(p.walked ?? p.spans) && (
              <>
                <h2>{tr('Các đoạn đã đi', 'Stretches walked')}</h2>
                <ul class="plain">{(p.walked ?? p.spans).map((s: any) => <li>km {km(s.from_m ?? s[0])} – {km(s.to_m ?? s[1])} ({kmU((s.to_m ?? s[1]) - (s.from_m ?? s[0]))})</li>)}</ul>
              </>
            )}
            <p><a href="#/patrols">← {tr('Các chuyến tuần tra', 'All patrols')}</a></p>
          </Page>
        );
      }}
    </Show>
  );
}
