/**
 * A finding's snooze in its detail: the current snooze (until, reason, who, since when) with a
 * button that ends it early, and the form that snoozes an open finding (or moves the end of its
 * snooze) for a preset duration or until a date and time, with a required reason. The server
 * decides (shared/app/snooze): a 400 (a bad value) or 409 (the finding is no longer open, or no longer
 * snoozed) is shown in the form's live region in words.
 */
import { ApiError, UnauthorizedError } from './api-client';
import type { Finding, SnoozeRequest } from '../app/api/contract';
import { definitionList, el, formatTime, timeEl } from './dom';

/** The longest snooze the API accepts (MAX_SNOOZE_DAYS in shared/app/snooze). */
export const MAX_SNOOZE_DAYS = 30;

const HOUR_MS = 3_600_000;

/** The preset durations: radio value, label, length. */
export const SNOOZE_DURATIONS: ReadonlyArray<readonly [string, string, number]> = [
  ['1h', '1 hour', HOUR_MS],
  ['8h', '8 hours', 8 * HOUR_MS],
  ['24h', '24 hours', 24 * HOUR_MS],
  ['3d', '3 days', 72 * HOUR_MS],
  ['7d', '7 days', 168 * HOUR_MS],
];
const DEFAULT_DURATION = '8h';
const UNTIL_CHOICE = 'until';

/** A message to show in the snooze section after it is rendered again. */
export interface SnoozeFlash {
  kind: 'done' | 'refused';
  text: string;
}

export interface SnoozeActions {
  snooze: (request: SnoozeRequest) => Promise<void>;
  cancel: () => Promise<void>;
}

/** The snooze section of a finding's detail; null when there is nothing to show or do (not open). */
export function snoozeSection(finding: Finding, actions: SnoozeActions, flash?: SnoozeFlash): HTMLElement | null {
  if (finding.status !== 'open' && !finding.snooze && !flash) return null;
  const done = el('p', { className: 'form-result', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'snooze-result' } });
  const refused = el('p', {
    className: 'form-result error',
    attrs: { role: 'alert', 'aria-live': 'assertive', 'data-testid': 'snooze-error' },
  });
  if (flash) (flash.kind === 'done' ? done : refused).textContent = flash.text;
  const busy = (text: string) => {
    done.textContent = text;
    refused.textContent = '';
  };
  const refuse = (error: unknown, action: 'snooze' | 'cancel') => {
    done.textContent = '';
    refused.textContent = snoozeRefusal(error, action) ?? (error instanceof Error ? error.message : String(error));
  };

  const children: Array<Node | null> = [el('h3', { text: 'Snooze', attrs: { id: 'snooze-title', tabindex: -1 } })];
  if (finding.snooze) {
    const cancel = el('button', { className: 'secondary', text: 'Cancel snooze', attrs: { type: 'button' } });
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      busy('Cancelling the snooze…');
      actions.cancel().catch((error: unknown) => {
        refuse(error, 'cancel');
        cancel.disabled = false;
      });
    });
    children.push(
      el('div', { className: 'snooze-state', attrs: { 'data-testid': 'snooze-note' } }, [
        el('p', {}, ['Snoozed until ', timeEl(finding.snooze.until), ' (', relativeTo(finding.snooze.until), ').']),
        definitionList([
          ['Reason', finding.snooze.reason],
          ['Snoozed by', finding.snooze.by],
          ['Since', timeEl(finding.snooze.at)],
        ]),
        el('p', {
          className: 'hint',
          text: 'Repeats and escalations below CRITICAL are recorded without a notification; an escalation to CRITICAL still pages. When the snooze ends, a still open finding is notified again.',
        }),
        el('div', { className: 'actions' }, [cancel]),
      ]),
    );
  } else if (finding.status === 'open') {
    children.push(el('p', { className: 'muted', text: 'Not snoozed: its escalations are notified as usual.' }));
  } else {
    children.push(el('p', { className: 'muted', text: `Only open findings can be snoozed; this one is ${finding.status}.` }));
  }
  if (finding.status === 'open') children.push(snoozeForm(finding, actions, busy, refuse));
  children.push(done, refused);
  return el('section', { className: 'detail-section detail-snooze', attrs: { 'aria-labelledby': 'snooze-title' } }, children);
}

function snoozeForm(
  finding: Finding,
  actions: SnoozeActions,
  busy: (text: string) => void,
  refuse: (error: unknown, action: 'snooze') => void,
): HTMLElement {
  const moving = finding.snooze !== undefined;
  const now = Date.now();
  const radio = (value: string, label: string) => {
    const input = el('input', { attrs: { type: 'radio', name: 'snooze-for', id: `snooze-for-${value}`, value } });
    input.checked = value === DEFAULT_DURATION;
    return el('span', { className: 'choice' }, [input, el('label', { text: label, attrs: { for: input.id } })]);
  };
  const until = el('input', {
    attrs: {
      id: 'snooze-until',
      name: 'until',
      type: 'datetime-local',
      min: localInputValue(new Date(now + 60_000)),
      max: localInputValue(new Date(now + MAX_SNOOZE_DAYS * 24 * HOUR_MS - 60_000)),
      'aria-describedby': 'snooze-until-hint',
      disabled: true,
    },
  });
  // Shown (and required) only when "until a date and time" is chosen.
  const untilField = el('div', { className: 'field', attrs: { hidden: true } }, [
    el('label', { text: 'Snooze until', attrs: { for: until.id } }),
    until,
    el('p', { className: 'hint', text: `Your local time; at most ${MAX_SNOOZE_DAYS} days ahead.`, attrs: { id: 'snooze-until-hint' } }),
  ]);
  const reason = el('textarea', { attrs: { id: 'snooze-reason', name: 'reason', required: true, rows: 2, maxlength: 2000 } });
  const submit = el('button', { className: 'primary', text: moving ? 'Move the snooze' : 'Snooze', attrs: { type: 'submit' } });
  const form = el('form', { className: 'snooze-form', attrs: { 'aria-labelledby': 'snooze-form-title' } }, [
    el('fieldset', { className: 'choices' }, [
      el('legend', { text: 'Snooze for' }),
      ...SNOOZE_DURATIONS.map(([value, label]) => radio(value, label)),
      radio(UNTIL_CHOICE, 'until a date and time'),
    ]),
    untilField,
    el('div', { className: 'field wide' }, [el('label', { text: 'Reason', attrs: { for: reason.id } }), reason]),
    el('div', { className: 'actions' }, [submit]),
  ]);
  const choice = () => form.querySelector<HTMLInputElement>('input[name="snooze-for"]:checked')?.value ?? DEFAULT_DURATION;
  form.addEventListener('change', () => {
    until.disabled = choice() !== UNTIL_CHOICE;
    until.required = !until.disabled;
    untilField.hidden = until.disabled;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = choice();
    const preset = SNOOZE_DURATIONS.find(([value]) => value === chosen);
    // datetime-local is the browser's local time without a zone: Date reads it as local time.
    const end = preset ? new Date(Date.now() + preset[2]) : new Date(until.value);
    if (Number.isNaN(end.getTime())) {
      until.focus();
      return;
    }
    submit.disabled = true;
    busy(`Snoozing until ${formatTime(end.toISOString())}…`);
    actions.snooze({ until: end.toISOString(), reason: reason.value }).catch((error: unknown) => {
      refuse(error, 'snooze');
      submit.disabled = false;
    });
  });
  return el('details', { className: 'snooze-details' }, [
    el('summary', {}, [
      el('h4', { text: moving ? 'Move the end of the snooze' : 'Snooze this finding', attrs: { id: 'snooze-form-title' } }),
    ]),
    form,
  ]);
}

/** What the server said, in words, for the snooze section; undefined when it is not the form's business (401, 5xx, network). */
export function snoozeRefusal(error: unknown, action: 'snooze' | 'cancel'): string | undefined {
  if (error instanceof UnauthorizedError || !(error instanceof ApiError)) return undefined;
  const body = (error.body ?? {}) as { parameter?: unknown; reason?: unknown };
  const reason = typeof body.reason === 'string' ? body.reason : undefined;
  const what = action === 'snooze' ? 'Not snoozed' : 'Snooze not cancelled';
  if (error.status === 400 && typeof body.parameter === 'string') {
    const field = body.parameter === 'until' ? 'the end time' : body.parameter === 'reason' ? 'the reason' : body.parameter;
    return `${what}: ${field} ${reason ?? 'was refused'}.`;
  }
  if (error.status === 409) return `${what}: ${reason ?? 'the finding changed meanwhile'}. It is shown as it is now.`;
  if (error.status === 404) return `${what}: the finding no longer exists.`;
  return undefined;
}

/** `in 7 hours`, `in 3 days`, `ended`. */
function relativeTo(iso: string): string {
  const left = Date.parse(iso) - Date.now();
  if (Number.isNaN(left)) return iso;
  if (left <= 0) return 'ending now';
  const minutes = Math.round(left / 60_000);
  if (minutes < 90) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(left / HOUR_MS);
  if (hours < 48) return `in ${hours} hours`;
  return `in ${Math.round(hours / 24)} days`;
}

/** A Date as a datetime-local value (local time, minutes). */
export function localInputValue(time: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}
