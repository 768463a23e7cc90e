// SPDX-License-Identifier: MIT
// The client of bienphong's JSON API under /api/v1: the session (HttpOnly
// cookie plus a CSRF token echoed in X-CSRF-Token on every state-changing
// request), lists with cursors, and errors read from application/problem+json
// into ApiError with the failing request and each field's detail.
import { lang, tr } from './i18n';

export const BASE = '/api/v1';

export interface FieldError {
  field: string;
  detail: string;
}

export class ApiError extends Error {
  status: number;
  title: string;
  detail: string;
  errors: FieldError[];
  what: string;
  /** The problem's type URI ("…/problems/no-route"), or "" when not given. */
  type: string;
  constructor(what: string, status: number, title: string, detail: string, errors: FieldError[], type = '') {
    super(`${what}: ${status} ${title}${detail ? ` — ${detail}` : ''}`);
    this.what = what;
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
    this.type = type;
  }
  /**
   * The route does not exist on this server (yet): a "not available" state.
   * A 404 about a record ("no such commune") is an error, not this.
   */
  get missing(): boolean {
    return this.status === 501 || (this.status === 404 && (!this.type || /\/no-route$/.test(this.type)));
  }
}

export interface User {
  id?: string;
  name: string;
  username?: string;
  role: 'admin' | 'station' | 'commune' | 'viewer';
  station_id?: string | null;
  commune_id?: string | null;
  commune_ids?: string[];
}

let csrf: string | null = null;
try {
  csrf = sessionStorage.getItem('bp.csrf');
} catch {
  csrf = null;
}
let onUnauthorized: (() => void) | null = null;

export function setCsrf(t: string | null): void {
  csrf = t;
  try {
    if (t) sessionStorage.setItem('bp.csrf', t);
    else sessionStorage.removeItem('bp.csrf');
  } catch {
    /* kept in memory only */
  }
}

export function handleUnauthorized(f: () => void): void {
  onUnauthorized = f;
}

type Params = Record<string, string | number | boolean | null | undefined>;

export function qs(params?: Params): string {
  if (!params) return '';
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

async function problem(what: string, res: Response): Promise<ApiError> {
  let title = res.statusText || `HTTP ${res.status}`;
  let detail = '';
  let errors: FieldError[] = [];
  let type = '';
  try {
    const text = await res.text();
    if (text) {
      const j = JSON.parse(text);
      if (j && typeof j === 'object') {
        title = (lang() === 'en' ? (j.title_en ?? j.title) : j.title) ?? title;
        detail = j.detail ?? '';
        type = typeof j.type === 'string' ? j.type : '';
        if (Array.isArray(j.errors))
          errors = j.errors.map((e: Record<string, unknown>) => ({
            field: String(e.field ?? e.pointer ?? ''),
            detail: String(e.detail ?? e.message ?? ''),
          }));
      }
    }
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(what, res.status, title, detail, errors, type);
}

export async function request<T = unknown>(method: string, path: string, body?: unknown, params?: Params): Promise<T> {
  const url = `${BASE}${path}${qs(params)}`;
  const what = `${method} ${BASE}${path}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(what, 0, tr('Không kết nối được máy chủ', 'Cannot reach the server'), '', []);
  }
  if (!res.ok) {
    const e = await problem(what, res);
    if (res.status === 401 && path !== '/session' && onUnauthorized) onUnauthorized();
    throw e;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T = unknown>(path: string, params?: Params) => request<T>('GET', path, undefined, params);
export const post = <T = unknown>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const patch = <T = unknown>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T = unknown>(path: string) => request<T>('DELETE', path);

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/** The items of a list response, whether {items} or a bare array. */
export function itemsOf<T>(r: unknown): T[] {
  if (Array.isArray(r)) return r as T[];
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    for (const k of ['items', 'features', 'rows', 'data']) if (Array.isArray(o[k])) return o[k] as T[];
  }
  return [];
}

/** Every item of a list, following next_cursor up to `maxPages` pages. */
export async function all<T>(path: string, params: Params = {}, maxPages = 50): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null | undefined = undefined;
  for (let i = 0; i < maxPages; i++) {
    const r: Page<T> = await get<Page<T>>(path, { limit: 1000, ...params, cursor });
    out.push(...itemsOf<T>(r));
    cursor = (r as Page<T>).next_cursor;
    if (!cursor) break;
  }
  return out;
}

/** Log in; returns the user. Stores the CSRF token. */
export async function login(username: string, password: string): Promise<User> {
  const r = await request<Record<string, unknown>>('POST', '/session', { name: username, password });
  const token = (r.csrf_token ?? r.csrf ?? (r.session as Record<string, unknown> | undefined)?.csrf_token) as string | undefined;
  setCsrf(token ?? null);
  const u = (r.user ?? r) as User;
  try {
    sessionStorage.setItem('bp.user', JSON.stringify(u));
  } catch {
    /* fine */
  }
  return u;
}

/** The logged-in user, or null. */
export async function whoami(): Promise<User | null> {
  try {
    const r = await request<Record<string, unknown>>('GET', '/session');
    const token = (r.csrf_token ?? r.csrf) as string | undefined;
    if (token) setCsrf(token);
    return (r.user ?? r) as User;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
      try {
        const s = sessionStorage.getItem('bp.user');
        return s ? (JSON.parse(s) as User) : null;
      } catch {
        return null;
      }
    }
    return null;
  }
}

export async function logout(): Promise<void> {
  try {
    await request('DELETE', '/session');
  } finally {
    setCsrf(null);
    try {
      sessionStorage.removeItem('bp.user');
    } catch {
      /* fine */
    }
  }
}

/**
 * Upload a file with XMLHttpRequest so the upload's progress can be shown;
 * `onProgress` gets 0..1. Sends the file as the raw body with its type, or
 * as multipart form data when `field` is given.
 */
export function upload<T = unknown>(path: string, file: File, onProgress: (f: number) => void, field?: string, extra?: Record<string, string>): Promise<T> {
  const what = `POST ${BASE}${path}`;
  return new Promise<T>((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', `${BASE}${path}`);
    x.setRequestHeader('Accept', 'application/json');
    if (csrf) x.setRequestHeader('X-CSRF-Token', csrf);
    x.upload.onprogress = (ev) => {
      if (ev.lengthComputable) onProgress(ev.loaded / ev.total);
    };
    x.onerror = () => reject(new ApiError(what, 0, tr('Không kết nối được máy chủ', 'Cannot reach the server'), '', []));
    x.onload = () => {
      onProgress(1);
      const res = new Response(x.responseText || null, { status: x.status, statusText: x.statusText });
      if (x.status >= 200 && x.status < 300) {
        try {
          resolve((x.responseText ? JSON.parse(x.responseText) : undefined) as T);
        } catch {
          resolve(undefined as T);
        }
      } else {
        problem(what, res).then(reject, reject);
      }
    };
    if (field) {
      const fd = new FormData();
      fd.append(field, file, file.name);
      for (const [k, v] of Object.entries(extra ?? {})) fd.append(k, v);
      x.send(fd);
    } else {
      x.setRequestHeader('Content-Type', file.type || 'application/gpx+xml');
      x.send(file);
    }
  });
}

export interface Downloaded {
  blob: Blob;
  type: string;
  filename: string;
}

/**
 * GET a file (a report) with its progress: `onProgress(received, total)`
 * is called as the body arrives (`total` null when the server does not say
 * how long it is). Errors are read from application/problem+json like any
 * request's. The file's name comes from Content-Disposition.
 */
export async function download(path: string, params: Params, onProgress: (received: number, total: number | null) => void, signal?: AbortSignal): Promise<Downloaded> {
  const url = `${BASE}${path}${qs(params)}`;
  const what = `GET ${BASE}${path}`;
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', signal, headers: { Accept: '*/*' } });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(what, 0, tr('Không kết nối được máy chủ', 'Cannot reach the server'), '', []);
  }
  if (!res.ok) {
    const e = await problem(what, res);
    if (res.status === 401 && onUnauthorized) onUnauthorized();
    throw e;
  }
  const len = Number(res.headers.get('Content-Length'));
  const total = Number.isFinite(len) && len > 0 ? len : null;
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream';
  const cd = res.headers.get('Content-Disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  const filename = m ? decodeURIComponent(m[1]) : (path.split('/').pop() ?? 'download');
  const parts: BlobPart[] = [];
  let received = 0;
  onProgress(0, total);
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      received += value.byteLength;
      onProgress(received, total);
    }
  } else {
    const b = await res.arrayBuffer();
    parts.push(b);
    received = b.byteLength;
    onProgress(received, total);
  }
  return { blob: new Blob(parts, { type }), type, filename };
}

/** Hand a downloaded file to the browser as a download. */
export function saveFile(d: Downloaded): void {
  const u = URL.createObjectURL(d.blob);
  const a = document.createElement('a');
  a.href = u;
  a.download = d.filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(u), 60000);
}
