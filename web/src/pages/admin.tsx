// SPDX-License-Identifier: MIT
// Quản trị (admins only): the users with their roles and scopes, adding a
// user, disabling one, and the audit log of every change.
import { useState } from 'preact/hooks';
import { get, itemsOf, patch, post, type User } from '../api';
import { ROLE_NAMES, tr } from '../i18n';
import { date } from '../fmt';
import { communes, type Rec } from '../data';
import { ErrorBox, errorsFor, Field, Page, Show, Table, useLoad } from '../components/ui';
import { AutoList } from '../components/auto';

export function AdminPage(_: { user: User }) {
  const users = useLoad(async () => itemsOf<Rec>(await get('/users', { limit: 500 })), []);
  const cs = useLoad(() => communes(), []);
  const stations = useLoad(async () => itemsOf<Rec>(await get('/stations', { limit: 500 })), []);
  const [d, setD] = useState({ username: '', role: 'commune', commune_id: '', station_id: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [msg, setMsg] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setMsg('');
    try {
      const body: Rec = { name: d.username.trim(), role: d.role, password: d.password };
      if (d.role === 'commune') body.commune = d.commune_id;
      if (d.role === 'station') body.station = d.station_id;
      await post('/users', body);
      setMsg(tr(`Đã thêm người dùng ${d.username}.`, `User ${d.username} added.`));
      setD({ ...d, username: '', password: '' });
      users.reload();
    } catch (err) {
      setError(err);
    }
  };
  const disable = async (u: Rec) => {
    setError(null);
    try {
      await patch(`/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
      users.reload();
    } catch (err) {
      setError(err);
    }
  };
  const fe = (...f: string[]) => errorsFor(error, ...f);
  return (
    <Page title={tr('Quản trị', 'Administration')}>
      <h2>{tr('Người dùng', 'Users')}</h2>
      <Show s={users}>
        {(us) => (
          <Table
            rows={us}
            cols={[
              { head: tr('Tên đăng nhập', 'User name'), cell: (u) => u.username ?? u.name },
              { head: tr('Vai trò', 'Role'), cell: (u) => (ROLE_NAMES[u.role] ? tr(...ROLE_NAMES[u.role]) : u.role) },
              { head: tr('Phạm vi', 'Scope'), cell: (u) => u.commune_name ?? u.station_name ?? cs.data?.find((c) => c.id === u.commune_id)?.name ?? stations.data?.find((s) => s.id === u.station_id)?.name ?? '' },
              { head: tr('Trạng thái', 'Status'), cell: (u) => (u.disabled ? tr('Đã khoá', 'Disabled') : tr('Hoạt động', 'Active')) },
              { head: '', cell: (u) => <button type="button" onClick={() => disable(u)}>{u.disabled ? tr('Mở khoá', 'Enable') : tr('Khoá', 'Disable')}</button> },
            ]}
          />
        )}
      </Show>
      <form class="form" onSubmit={add}>
        <h3>{tr('Thêm người dùng', 'Add a user')}</h3>
        <div class="row">
          <Field id="u-name" label={tr('Tên đăng nhập', 'User name')} error={fe('name')}>
            <input id="u-name" value={d.username} onInput={(e) => setD({ ...d, username: e.currentTarget.value })} />
          </Field>
          <Field id="u-role" label={tr('Vai trò', 'Role')} error={fe('role')}>
            <select id="u-role" value={d.role} onChange={(e) => setD({ ...d, role: e.currentTarget.value })}>
              {Object.entries(ROLE_NAMES).map(([k, v]) => <option value={k}>{tr(v[0], v[1])}</option>)}
            </select>
          </Field>
          {d.role === 'commune' && (
            <Field id="u-commune" label={tr('Xã', 'Commune')} error={fe('commune')}>
              <select id="u-commune" value={d.commune_id} onChange={(e) => setD({ ...d, commune_id: e.currentTarget.value })}>
                <option value="">—</option>
                {(cs.data ?? []).map((c) => <option value={c.id}>{c.name}</option>)}
              </select>
            </Field>
          )}
          {d.role === 'station' && (
            <Field id="u-station" label={tr('Đồn Biên phòng', 'Station')} error={fe('station')}>
              <select id="u-station" value={d.station_id} onChange={(e) => setD({ ...d, station_id: e.currentTarget.value })}>
                <option value="">—</option>
                {(stations.data ?? []).map((s) => <option value={s.id}>{s.name}</option>)}
              </select>
            </Field>
          )}
          <Field id="u-pass" label={tr('Mật khẩu', 'Password')} error={fe('password')}>
            <input id="u-pass" type="password" autocomplete="new-password" value={d.password} onInput={(e) => setD({ ...d, password: e.currentTarget.value })} />
          </Field>
        </div>
        <ErrorBox error={error} />
        {msg && <p class="ok" role="status">{msg}</p>}
        <button type="submit" class="primary">{tr('Thêm', 'Add')}</button>
      </form>
      <h2>{tr('Nhật ký thay đổi', 'Audit log')}</h2>
      <AutoList path="/audit" prefer={['at', 'user', 'username', 'action', 'kind', 'record_kind', 'record_id']} testid="audit" />
      <p class="muted small">{tr('Nhật ký chỉ được ghi thêm, không ai sửa hay xoá được.', 'The log is append-only: nobody can change or delete it.')} {date(null)}</p>
    </Page>
  );
}
