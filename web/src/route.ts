// SPDX-License-Identifier: MIT
// Hash routes ("#/custodians/ID"), so any static server can serve the UI and
// a reload keeps the page.
import { useEffect, useState } from 'preact/hooks';

export function currentRoute(): string[] {
  const h = location.hash.replace(/^#\/?/, '');
  const path = h.split('?')[0];
  return path ? path.split('/').map(decodeURIComponent) : [];
}

export function routeQuery(): URLSearchParams {
  const h = location.hash;
  const i = h.indexOf('?');
  return new URLSearchParams(i >= 0 ? h.slice(i + 1) : '');
}

export function go(path: string): void {
  location.hash = `#/${path.replace(/^\/+/, '')}`;
}

export function useRoute(): string[] {
  const [r, setR] = useState(currentRoute());
  useEffect(() => {
    const f = () => setR(currentRoute());
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return r;
}
