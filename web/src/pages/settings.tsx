// SPDX-License-Identifier: MIT
// Cài đặt: the language, and an optional background tile source for the
// map in places with internet (none by default: the map works offline).
import { useState } from 'preact/hooks';
import type { User } from '../api';
import { lang, setLang, tr } from '../i18n';
import { Page } from '../components/ui';
import { tileUrl } from '../components/map';

export function SettingsPage(_: { user: User }) {
  const [url, setUrl] = useState(tileUrl());
  const [saved, setSaved] = useState(false);
  return (
    <Page title={tr('Cài đặt', 'Settings')}>
      <form class="form" onSubmit={(e) => { e.preventDefault(); try { if (url.trim()) localStorage.setItem('bp.tiles', url.trim()); else localStorage.removeItem('bp.tiles'); } catch { /* fine */ } setSaved(true); }}>
        <fieldset>
          <legend>{tr('Ngôn ngữ', 'Language')}</legend>
          <label class="radio"><input type="radio" name="lang" checked={lang() === 'vi'} onChange={() => setLang('vi')} /> Tiếng Việt</label>
          <label class="radio"><input type="radio" name="lang" checked={lang() === 'en'} onChange={() => setLang('en')} /> English</label>
        </fieldset>
        <label for="tiles">{tr('Nguồn nền bản đồ (để trống nếu không có Internet)', 'Map tile source (leave empty without internet)')}</label>
        <input id="tiles" value={url} placeholder="https://tile.example.org/{z}/{x}/{y}.png" onInput={(e) => { setUrl(e.currentTarget.value); setSaved(false); }} />
        <p class="muted small">{tr('Máy chủ cần cho phép nguồn này trong Content-Security-Policy (img-src).', "The server's Content-Security-Policy must allow this source (img-src).")}</p>
        <button type="submit" class="primary">{tr('Lưu', 'Save')}</button>
        {saved && <span class="ok" role="status"> {tr('Đã lưu.', 'Saved.')}</span>}
      </form>
    </Page>
  );
}
