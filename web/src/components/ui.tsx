// SPDX-License-Identifier: MIT
// Small shared pieces: a loader hook with its states (loading, failed with
// what failed, "not available" when a route does not exist yet), progress
// bars that never pass 100%, form fields that show the API's field errors in
// the user's language, a date field that is always dd/mm/yyyy (whatever the
// browser's language) and sends ISO days, and a plain data table.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fieldName, tr } from '../i18n';
import { dmy, num, parseDay } from '../fmt';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Run `fn` now and whenever `deps` change; keep the last data while reloading. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const my = ++seq.current;
    setLoading(true);
    fn().then(
      (d) => {
        if (my !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (my !== seq.current) return;
        setError(e);
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** A promise that resolves to null instead of failing when the route is missing. */
export async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.missing) return null;
    throw e;
  }
}

export function NotAvailable({ what }: { what?: string }) {
  return (
    <div class="notice" role="status" data-testid="not-available">
      <strong>{tr('Chưa có dữ liệu', 'Not available')}</strong>
      {' — '}
      {what ?? tr('máy chủ chưa có chức năng này.', 'the server does not offer this yet.')}
    </div>
  );
}

/** What failed, in words a user can act on. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  if (error instanceof ApiError && error.missing) return <NotAvailable />;
  let head = tr('Có lỗi', 'Something failed');
  let body = String(error);
  if (error instanceof ApiError) {
    head =
      error.status === 0
        ? tr('Không kết nối được máy chủ', 'Cannot reach the server')
        : error.status === 401
          ? tr('Phiên đăng nhập đã hết, hãy đăng nhập lại', 'Your session has ended, please log in again')
          : error.status === 403
            ? tr('Tài khoản của bạn không có quyền này', 'Your account may not do this')
            : tr('Yêu cầu không thành công', 'The request failed');
    body = `${error.what} → ${error.status || tr('mất kết nối', 'no connection')} ${error.title}${error.detail ? `: ${error.detail}` : ''}`;
  }
  return (
    <div class="error" role="alert">
      <strong>{head}</strong>
      <div class="small">{body}</div>
      {error instanceof ApiError && error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li>
              <strong>{fieldName(e.field)}</strong>: {e.detail}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {tr('Thử lại', 'Retry')}
        </button>
      )}
    </div>
  );
}

/** Loading, error or the content. */
export function Show<T>({ s, children }: { s: Loaded<T>; children: (d: T) => ComponentChildren }) {
  if (s.error && s.data === undefined) return <ErrorBox error={s.error} onRetry={s.reload} />;
  if (s.data === undefined) return <Spinner />;
  return (
    <>
      {s.error ? <ErrorBox error={s.error} onRetry={s.reload} /> : null}
      {children(s.data)}
    </>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <div class="spinner" role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" /> {label ?? tr('Đang tải…', 'Loading…')}
    </div>
  );
}

/**
 * A linear progress bar: the fill never passes 100%, a zero or missing goal
 * is "no goal" (never shown as met).
 */
export function Progress({ value, goal, label, fmt }: { value: number; goal: number | null | undefined; label: string; fmt?: (x: number) => string }) {
  const f = fmt ?? ((x: number) => num(x, 0));
  const hasGoal = typeof goal === 'number' && goal > 0;
  const ratio = hasGoal ? Math.max(0, Math.min(1, value / (goal as number))) : 0;
  const over = hasGoal && value > (goal as number);
  return (
    <div class="progress">
      <div class="progress-label">
        <span>{label}</span>
        <span>
          {f(value)}
          {hasGoal ? ` / ${f(goal as number)} (${num(Math.min(100, (100 * value) / (goal as number)), 1)}%${over ? ', ' + tr('vượt chỉ tiêu', 'over goal') : ''})` : ` — ${tr('chưa đặt chỉ tiêu', 'no goal set')}`}
        </span>
      </div>
      <div
        class={`bar${hasGoal ? '' : ' nogoal'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={hasGoal ? Math.round(ratio * 100) : undefined}
        aria-valuetext={hasGoal ? undefined : tr('chưa đặt chỉ tiêu', 'no goal set')}
      >
        <div class="fill" style={{ width: `${(ratio * 100).toFixed(2)}%` }} />
      </div>
    </div>
  );
}

/** Field errors of an ApiError for one field name (or its nested names). */
export function errorsFor(error: unknown, ...fields: string[]): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.errors
    .filter((e) => fields.some((f) => e.field === f || e.field.replace(/^\/+/, '') === f || e.field.startsWith(`${f}.`) || e.field.startsWith(`${f}/`)))
    .map((e) => `${fieldName(e.field)}: ${e.detail}`);
}

export function Field({ label, id, error, children, hint }: { label: string; id: string; error?: string[]; children: ComponentChildren; hint?: string }) {
  const bad = error && error.length > 0;
  return (
    <div class={`field${bad ? ' bad' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && <div class="hint">{hint}</div>}
      {bad && (
        <div class="field-error" id={`${id}-error`} role="alert">
          {error!.join('; ')}
        </div>
      )}
    </div>
  );
}

export interface Col<T> {
  head: string;
  cell: (r: T) => ComponentChildren;
  num?: boolean;
}

export function Table<T>({ cols, rows, empty, onRow, caption }: { cols: Col<T>[]; rows: T[]; empty?: string; onRow?: (r: T) => void; caption?: string }) {
  if (rows.length === 0) return <p class="muted">{empty ?? tr('Không có bản ghi nào.', 'No records.')}</p>;
  return (
    <div class="table-wrap">
      <table>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {cols.map((c) => (
              <th class={c.num ? 'num' : ''} scope="col">
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              class={onRow ? 'clickable' : ''}
              tabIndex={onRow ? 0 : undefined}
              onClick={onRow ? () => onRow(r) : undefined}
              onKeyDown={onRow ? (e) => (e.key === 'Enter' ? onRow(r) : undefined) : undefined}
            >
              {cols.map((c) => (
                <td class={c.num ? 'num' : ''}>{c.cell(r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} — ${tr('Biên phòng toàn dân', 'All-People Border Guard')}`;
  }, [title]);
  return (
    <section class="page">
      <div class="page-head">
        <h1 tabIndex={-1} id="page-title">
          {title}
        </h1>
        {actions && <div class="actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/**
 * A date typed and shown as dd/mm/yyyy (ISO yyyy-mm-dd pasted is read too),
 * whatever the browser's language, with a calendar button that opens the
 * browser's own date picker. `value` is the ISO day, '' when empty, or the
 * text as typed while it is not a day that exists; `onChange` gets the same.
 * A day that does not exist (31/02/2024) is named below the field once the
 * text looks complete, the field is left, or `force` is set (a save was
 * tried).
 */
export function DateInput({ id, value, onChange, testid, force, required, label }: {
  id?: string; value: string; onChange: (v: string) => void; testid?: string; force?: boolean; required?: boolean; label?: string;
}) {
  const [text, setText] = useState(() => dmy(value));
  const [left, setLeft] = useState(false);
  const native = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // a value set from outside (a preset, a reset after saving) replaces the text
    const p = parseDay(text);
    const cur = 'iso' in p ? p.iso : text;
    if (value !== cur) setText(dmy(value));
  }, [value]);
  const take = (t: string) => {
    setText(t);
    const p = parseDay(t);
    onChange('iso' in p ? p.iso : t);
  };
  const p = parseDay(text);
  const complete = /\d{4}\s*$|^\s*\d{4}-\d{1,2}-\d{1,2}\s*$/.test(text);
  const why = 'why' in p && (left || force || complete) ? p.why : required && force && !text.trim() ? tr('Nhập ngày (dd/mm/yyyy)', 'Enter a date (dd/mm/yyyy)') : '';
  const errId = id ? `${id}-date-error` : undefined;
  const pick = () => {
    const n = native.current;
    if (!n) return;
    n.value = 'iso' in p ? p.iso : '';
    try {
      (n as HTMLInputElement & { showPicker?: () => void }).showPicker?.();
    } catch {
      n.focus();
    }
  };
  return (
    <span class="date-input">
      <span class="date-row">
        <input
          id={id}
          data-testid={testid}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          placeholder="dd/mm/yyyy"
          aria-label={label}
          maxLength={24}
          value={text}
          aria-invalid={why ? true : undefined}
          aria-describedby={why ? errId : undefined}
          onInput={(e) => take(e.currentTarget.value)}
          onChange={(e) => take(e.currentTarget.value)}
          onBlur={() => {
            setLeft(true);
            // a day typed 3/3/2024 or pasted 2024-03-03 is shown 03/03/2024
            if ('iso' in p && p.iso) setText(dmy(p.iso));
          }}
        />
        <button type="button" class="cal" aria-label={tr('Chọn ngày trên lịch', 'Pick the day on a calendar')} title={tr('Chọn ngày trên lịch', 'Pick the day on a calendar')} onClick={pick}>
          <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true"><path d="M2 3h12v11H2zM2 6h12M5 1v3M11 1v3" fill="none" stroke="currentColor" stroke-width="1.6" /></svg>
        </button>
        <input
          ref={native}
          class="date-native"
          type="date"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => e.currentTarget.value && take(dmy(e.currentTarget.value))}
        />
      </span>
      {why && <span class="field-error date-error" id={errId} role="alert">{why}</span>}
    </span>
  );
}

/** A labelled date field: DateInput inside Field, with the API's errors for `fields`. */
export function DateField({ id, label, value, onChange, error, force, required, testid, hint }: {
  id: string; label: string; value: string; onChange: (v: string) => void; error?: string[]; force?: boolean; required?: boolean; testid?: string; hint?: string;
}) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <DateInput id={id} value={value} onChange={onChange} force={force} required={required} testid={testid} />
    </Field>
  );
}
