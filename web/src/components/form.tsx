// SPDX-License-Identifier: MIT
// Pieces of the forms that record money: a field of whole đồng that shows
// the amount it read as it is typed, and a guard that sends a form once
// however often its button is pressed. Only the campaign forms use them, so
// they travel in the forms' lazily loaded chunk.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { parseMoney, vnd } from '../fmt';
import { Field } from './ui';

/**
 * Whole đồng typed as "1.250.000" or "1250000": the text stays as typed and
 * the amount read is shown beside it as it is typed ("= 1.250.000 đ"), or
 * why it is not an amount.
 */
export function MoneyField({ id, label, value, onInput, error, testid, hint }: {
  id: string; label: string; value: string; onInput: (v: string) => void; error?: string[]; testid?: string; hint?: ComponentChildren;
}) {
  const p = parseMoney(value);
  return (
    <Field id={id} label={label} error={error}>
      <input id={id} data-testid={testid} inputMode="numeric" autoComplete="off" value={value} aria-invalid={'why' in p || (error?.length ?? 0) > 0 ? true : undefined} aria-describedby={`${id}-amount`} onInput={(e) => onInput(e.currentTarget.value)} />
      <output id={`${id}-amount`} class={`amount${'why' in p ? ' field-error' : ''}`} data-testid={testid ? `${testid}-shown` : undefined} for={id} aria-live="polite">
        {'why' in p ? p.why : p.vnd === null ? '' : `= ${vnd(p.vnd)}`}
      </output>
      {hint && <div class="hint">{hint}</div>}
    </Field>
  );
}

/**
 * A form's save: `run(fn)` runs fn unless a save is already under way (a
 * double click sends once), keeps the error for the fields, and reports
 * `busy` for the button.
 */
export function useSave() {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
