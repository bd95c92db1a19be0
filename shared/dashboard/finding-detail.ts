/**
 * A finding's detail: what is wrong, the evidence of the latest violating event, who did it, the
 * history of its status changes (who, when, why), the control's rationale and runbook, its snooze
 * (state, the form that snoozes it, cancelling), a deadline escalation, and the form that exempts it.
 */
import { FRAMEWORKS, isFrameworkId } from '../core/model/framework';
import { ApiError, type ApiClient } from './api-client';
import type { Actor, ControlSummary, Finding, FindingDetail, HistoryEntry } from '../app/api/contract';
import { append, badge, clear, definitionList, el, formatTime, timeEl } from './dom';
import { snoozeRefusal, snoozeSection, type SnoozeFlash } from './snooze-panel';

export interface FindingDetailDeps {
  api: () => ApiClient;
  fail: (error: unknown) => void;
  announce: (message: string) => void;
  /** A finding's status or snooze changed here: refresh what lists it. */
  changed: () => void;
}

export class FindingDetailPanel {
  private currentId: string | undefined;

  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly content: HTMLElement,
    private readonly deps: FindingDetailDeps,
  ) {
    dialog.addEventListener('close', () => {
      this.currentId = undefined;
    });
  }

  /** Shows a finding; `flash` is a message for its snooze section, which then takes the focus. */
  async open(id: string, flash?: SnoozeFlash): Promise<void> {
    this.currentId = id;
    try {
      const detail = await this.deps.api().finding(id);
      if (this.currentId !== id) return;
      this.render(detail, flash);
      if (!this.dialog.open) this.dialog.showModal();
      const focus = flash ? this.content.querySelector<HTMLElement>('#snooze-title') : null;
      (focus ?? this.content.querySelector<HTMLElement>('h2'))?.focus();
    } catch (error) {
      this.deps.fail(error);
    }
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  private render(detail: FindingDetail, flash?: SnoozeFlash): void {
    const { finding, history, control } = detail;
    clear(this.content);
    append(this.content, [
      el('header', { className: 'detail-header' }, [
        el('h2', { text: finding.title, attrs: { id: 'detail-title', tabindex: -1 } }),
        el('p', { className: 'detail-badges' }, [
          badge('severity', finding.severity),
          ' ',
          el('span', { attrs: { 'data-testid': 'detail-status' } }, [badge('status', finding.status)]),
          ' ',
          el('span', { className: 'control-id', text: finding.controlId }),
        ]),
        el('p', { className: 'detail-message', text: finding.message }),
      ]),
      suppressionNote(finding),
      deadlineNote(finding),
      snoozeSection(
        finding,
        {
          snooze: (request) => this.snoozeAction(finding, 'snooze', (api) => api.snooze(finding.id, request)),
          cancel: () => this.snoozeAction(finding, 'cancel', (api) => api.cancelSnooze(finding.id)),
        },
        flash,
      ),
      section('Finding', 'detail-finding', [findingFacts(finding)]),
      section('Evidence', 'detail-evidence', evidenceOf(finding)),
      section('History', 'detail-history', [historyTimeline(history)]),
      section(
        'Control',
        'detail-control',
        control ? controlOf(control) : [el('p', { className: 'muted', text: `${finding.controlId} is not in this server's catalogue.` })],
      ),
      finding.status === 'suppressed' ? null : this.exemptionForm(finding),
    ]);
  }

  /**
   * Runs a snooze or its cancellation, then shows the finding as it is now. A 409 means the detail
   * was stale (resolved, suppressed or unsnoozed meanwhile): it is shown again with the reason. A
   * 400 stays in the form (its values kept); anything else also goes to the page's error banner.
   * Rejects when the server refused, so the form re-enables its button.
   */
  private async snoozeAction(finding: Finding, action: 'snooze' | 'cancel', call: (api: ApiClient) => Promise<Finding>): Promise<void> {
    let updated: Finding;
    try {
      updated = await call(this.deps.api());
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        this.deps.changed();
        if (this.currentId === finding.id)
          await this.open(finding.id, { kind: 'refused', text: snoozeRefusal(error, action) ?? error.message });
      } else if (snoozeRefusal(error, action) === undefined) {
        this.deps.fail(error);
      }
      throw error;
    }
    const text = updated.snooze
      ? `Snoozed until ${formatTime(updated.snooze.until)}: ${updated.snooze.reason}`
      : `Snooze cancelled: the finding is ${updated.status} and notified as usual again.`;
    this.deps.announce(text);
    this.deps.changed();
    // Shown as it is now, unless the detail was closed (or moved to another finding) meanwhile.
    if (this.currentId === finding.id) await this.open(finding.id, { kind: 'done', text });
  }

  private exemptionForm(finding: Finding): HTMLElement {
    const today = new Date();
    const day = (offset: number) =>
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset)).toISOString().slice(0, 10);
    const field = (label: string, control: HTMLInputElement | HTMLTextAreaElement, hint?: string) => {
      const hintId = hint ? `${control.id}-hint` : undefined;
      if (hintId) control.setAttribute('aria-describedby', hintId);
      return el('div', { className: 'field' }, [
        el('label', { text: label, attrs: { for: control.id } }),
        control,
        hint ? el('p', { className: 'hint', text: hint, attrs: { id: hintId } }) : null,
      ]);
    };
    const controlInput = el('input', { attrs: { id: 'exempt-control', name: 'controlId', readonly: true, type: 'text' } });
    controlInput.value = finding.controlId;
    const accounts = el('input', { attrs: { id: 'exempt-accounts', name: 'accounts', type: 'text', autocomplete: 'off' } });
    accounts.value = finding.account;
    const pattern = el('input', { attrs: { id: 'exempt-resource', name: 'resourcePattern', type: 'text', autocomplete: 'off' } });
    pattern.value = finding.resourceId;
    const reason = el('textarea', { attrs: { id: 'exempt-reason', name: 'reason', required: true, rows: 3 } });
    const approver = el('input', {
      attrs: { id: 'exempt-approver', name: 'approver', type: 'text', required: true, autocomplete: 'name' },
    });
    const expires = el('input', {
      attrs: { id: 'exempt-expires', name: 'expires', type: 'date', required: true, min: day(1), max: day(365) },
    });
    expires.value = day(90);
    const submit = el('button', { className: 'primary', text: 'Create exemption', attrs: { type: 'submit' } });
    const result = el('p', { className: 'form-result', attrs: { role: 'status', 'aria-live': 'polite' } });

    const form = el('form', { className: 'exemption-form', attrs: { 'aria-labelledby': 'exempt-title' } }, [
      field('Control', controlInput),
      field('Accounts', accounts, '12-digit account ids separated by commas or spaces; empty for every account.'),
      field('Resource pattern', pattern, 'The resource id or ARN, * matches anything; empty for every resource.'),
      field('Reason', reason),
      field('Approver', approver),
      field('Expires on', expires, 'The exemption ends at 00:00 UTC that day; at most 365 days ahead.'),
      el('div', { className: 'actions' }, [submit]),
      result,
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const accountList = accounts.value.split(/[\s,]+/).filter((account) => account !== '');
      submit.disabled = true;
      result.textContent = 'Creating the exemption…';
      this.deps
        .api()
        .createExemption({
          controlId: finding.controlId,
          ...(accountList.length > 0 ? { accounts: accountList } : {}),
          ...(pattern.value.trim() !== '' ? { resourcePattern: pattern.value.trim() } : {}),
          reason: reason.value.trim(),
          approver: approver.value.trim(),
          expiresAt: `${expires.value}T00:00:00.000Z`,
        })
        .then(async (created) => {
          const message = `Exemption ${created.exemption.id} created: ${created.suppressed} finding${created.suppressed === 1 ? '' : 's'} suppressed until ${formatTime(created.exemption.expiresAt)}.`;
          this.deps.announce(message);
          this.deps.changed();
          await this.open(finding.id);
          const note = this.content.querySelector('.suppression');
          if (note) note.append(el('p', { className: 'form-result', text: message }));
        })
        .catch((error: unknown) => {
          result.textContent = error instanceof Error ? error.message : String(error);
          result.classList.add('error');
          submit.disabled = false;
          this.deps.fail(error);
        });
    });

    return el('section', { className: 'detail-section exempt', attrs: { 'aria-labelledby': 'exempt-title' } }, [
      el('details', {}, [el('summary', {}, [el('h3', { text: 'Exempt this finding', attrs: { id: 'exempt-title' } })]), form]),
    ]);
  }
}

function section(title: string, id: string, children: Array<Node | null>): HTMLElement {
  return el('section', { className: `detail-section ${id}`, attrs: { 'aria-labelledby': `${id}-title` } }, [
    el('h3', { text: title, attrs: { id: `${id}-title` } }),
    ...children,
  ]);
}

function suppressionNote(finding: Finding): HTMLElement | null {
  if (!finding.suppressedBy) return null;
  return el('div', { className: 'suppression', attrs: { 'data-testid': 'suppressed-note' } }, [
    el('p', {}, [
      'Suppressed by exemption ',
      el('code', { text: finding.suppressedBy.exemptionId }),
      ' until ',
      timeEl(finding.suppressedBy.expiresAt),
      '.',
    ]),
  ]);
}

function deadlineNote(finding: Finding): HTMLElement | null {
  const escalation = finding.deadlineEscalation;
  if (!escalation) return null;
  return el('div', { className: 'escalation', attrs: { 'data-testid': 'deadline-note' } }, [
    el('p', {}, [
      el('strong', { text: 'Past deadline — escalated' }),
      ` from ${escalation.from} to ${escalation.to} on `,
      timeEl(escalation.at),
      ': its remediation deadline was ',
      timeEl(escalation.deadline),
      '.',
    ]),
  ]);
}

function findingFacts(finding: Finding): HTMLElement {
  return definitionList([
    ['Account', el('span', { className: 'mono', text: finding.account })],
    ['Region', finding.region],
    ['Resource', el('span', { className: 'mono', text: finding.resourceId })],
    ['Resource type', finding.resourceType],
    ['Qualifier', finding.qualifier],
    ['First seen', timeEl(finding.firstSeen)],
    ['Last seen', timeEl(finding.lastSeen)],
    ['Violating events', String(finding.count)],
    ['Resolved', finding.resolvedAt ? timeEl(finding.resolvedAt) : undefined],
    [
      'Resolved by',
      finding.resolvedBy
        ? `${finding.resolvedBy.message} (event ${finding.resolvedBy.eventId}${finding.resolvedBy.actor ? `, ${actorName(finding.resolvedBy.actor)}` : ''})`
        : undefined,
    ],
    ['Finding id', el('code', { text: finding.id })],
  ]);
}

function evidenceOf(finding: Finding): Node[] {
  const evidence = finding.evidence;
  const actor = evidence.actor;
  const facts = definitionList([
    ['Event', evidence.eventName ? `${evidence.eventSource ?? ''} ${evidence.eventName}`.trim() : evidence.detailType],
    ['Event type', evidence.detailType],
    ['Event time', timeEl(evidence.eventTime)],
    ['Event id', el('code', { text: evidence.eventId })],
    ['Actor', actor ? actorName(actor) : undefined],
    ['Actor type', actor?.type],
    ['Actor ARN', actor?.arn ? el('span', { className: 'mono', text: actor.arn }) : undefined],
    ['Actor account', actor?.accountId],
    ['Invoked by', actor?.invokedBy],
    ['Source IP', evidence.sourceIp],
    ['User agent', evidence.userAgent],
  ]);
  const rows = flattenFields(evidence.fields);
  const table =
    rows.length === 0
      ? el('p', { className: 'muted', text: 'No request fields recorded.' })
      : el('table', { className: 'evidence-fields' }, [
          el('caption', { text: 'Request fields that show the violation (secrets masked)' }),
          el('thead', {}, [
            el('tr', {}, [el('th', { text: 'Field', attrs: { scope: 'col' } }), el('th', { text: 'Value', attrs: { scope: 'col' } })]),
          ]),
          el(
            'tbody',
            {},
            rows.map(([key, value]) =>
              el('tr', {}, [
                el('th', { className: 'mono', text: key, attrs: { scope: 'row' } }),
                el('td', { className: 'mono', text: value }),
              ]),
            ),
          ),
        ]);
  return [facts, table];
}

const MAX_FIELD_ROWS = 200;

/** Nested request fields as dotted paths: `ipPermissions.items[0].fromPort` → `22`. */
export function flattenFields(fields: Record<string, unknown> | undefined): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const walk = (value: unknown, path: string) => {
    if (rows.length >= MAX_FIELD_ROWS) return;
    if (Array.isArray(value)) {
      if (value.length === 0) rows.push([path, '[]']);
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0) rows.push([path, '{}']);
      for (const [key, item] of entries) walk(item, path ? `${path}.${key}` : key);
    } else {
      rows.push([path, typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))]);
    }
  };
  walk(fields ?? {}, '');
  return rows;
}

export function actorName(actor: Actor | string | undefined): string {
  if (actor === undefined) return 'unknown';
  if (typeof actor === 'string') return actor;
  return actor.userName ?? actor.arn ?? actor.principalId ?? actor.invokedBy ?? actor.type ?? 'unknown';
}

function historyTimeline(history: HistoryEntry[]): HTMLElement {
  if (history.length === 0) return el('p', { className: 'muted', text: 'No status changes recorded.' });
  return el(
    'ol',
    { className: 'timeline' },
    history.map((entry) =>
      el('li', { className: `timeline-entry transition-${entry.transition}` }, [
        el('p', { className: 'timeline-head' }, [
          timeEl(entry.at),
          ' ',
          badge('status', entry.transition),
          ' ',
          el('span', { className: 'muted', text: `→ ${entry.status}, ${entry.severity}` }),
        ]),
        definitionList(
          [
            ['Who', actorName(entry.actor)],
            ['Why', entry.note],
            ['Event', entry.eventId ? el('code', { text: entry.eventId }) : undefined],
          ],
          'facts compact',
        ),
      ]),
    ),
  );
}

function controlOf(control: ControlSummary): Node[] {
  const frameworks = el(
    'ul',
    { className: 'frameworks' },
    control.frameworks.map((ref) =>
      el('li', { text: `${isFrameworkId(ref.framework) ? FRAMEWORKS[ref.framework] : ref.framework} ${ref.requirement}` }),
    ),
  );
  const nodes: Array<Node | null> = [
    definitionList([
      ['Control', el('code', { text: control.id })],
      ['Title', control.title],
      ['Default severity', control.severity],
      ['Area', control.area],
      ['Resolved by', control.resolves],
    ]),
    el('h4', { text: 'Why it matters' }),
    el('p', { className: 'rationale', text: control.rationale }),
    el('h4', { text: 'Runbook' }),
    el(
      'ol',
      { className: 'runbook' },
      control.runbook.map((step) => el('li', { text: step })),
    ),
    control.frameworks.length > 0 ? el('h4', { text: 'Frameworks' }) : null,
    control.frameworks.length > 0 ? frameworks : null,
  ];
  return nodes.filter((node): node is Node => node !== null);
}
