/** The findings table: the API's filters as a form, newest activity first, "load more" by cursor. */
import { AREAS } from '../core/model/area';
import { FRAMEWORKS } from '../core/model/framework';
import { VALUE_FILTERS } from '../core/model/finding-filters';
import { SEVERITIES } from '../core/model/severity';
import type { ApiClient } from './api-client';
import type { ControlSummary, Finding, FindingFilters } from '../app/api/contract';
import { badge, byId, clear, el, formatTime, timeEl } from './dom';

const PAGE_SIZE = 50;
const STATUSES = ['open', 'resolved', 'suppressed'] as const;

export interface FindingsViewDeps {
  api: () => ApiClient;
  openFinding: (id: string) => void;
  fail: (error: unknown) => void;
  announce: (message: string) => void;
}

export class FindingsView {
  private readonly form = byId<HTMLFormElement>('filters');
  private readonly body = byId<HTMLTableSectionElement>('findings-body');
  private readonly more = byId<HTMLButtonElement>('load-more');
  private readonly count = byId('findings-count');
  private controls: ControlSummary[] = [];
  private filters: FindingFilters = {};
  private cursor: string | undefined;
  private shown = 0;
  private loading = false;

  constructor(private readonly deps: FindingsViewDeps) {
    fillSelect(
      this.select('area'),
      AREAS.map((area) => [area, area]),
      'any area',
    );
    fillSelect(
      this.select('status'),
      STATUSES.map((status) => [status, status]),
      'any status',
    );
    fillSelect(
      this.select('severity'),
      SEVERITIES.map((severity) => [severity, severity]),
      'any severity',
    );
    fillSelect(
      this.select('minSeverity'),
      SEVERITIES.map((severity) => [severity, `${severity} and above`]),
      'no minimum',
    );
    fillSelect(
      this.select('framework'),
      Object.entries(FRAMEWORKS).map(([id, name]) => [id, `${id} — ${name}`]),
      'any framework',
    );
    fillSelect(this.select('requirement'), [], 'any requirement');
    fillSelect(this.select('controlId'), [], 'any control');

    this.select('framework').addEventListener('change', () => this.fillRequirements());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.filters = this.readForm();
      void this.reload();
    });
    this.form.addEventListener('reset', () => {
      // The form clears itself after this handler; read it once that happened.
      window.setTimeout(() => {
        this.fillRequirements();
        this.filters = {};
        void this.reload();
      }, 0);
    });
    this.more.addEventListener('click', () => void this.loadPage());
  }

  setControls(controls: ControlSummary[]): void {
    this.controls = controls;
    const select = this.select('controlId');
    const current = select.value;
    fillSelect(
      select,
      [...controls].sort((a, b) => a.id.localeCompare(b.id)).map((control) => [control.id, `${control.id} — ${control.title}`]),
      'any control',
    );
    select.value = current;
    this.fillRequirements();
  }

  /** Sets some filters (others cleared) and loads: used by the framework view. */
  show(filters: FindingFilters): void {
    this.form.reset();
    for (const name of VALUE_FILTERS) {
      if (name === 'requirement') continue;
      const value = filters[name];
      if (value !== undefined) this.field(name).value = value;
    }
    this.fillRequirements();
    if (filters.requirement !== undefined) this.select('requirement').value = filters.requirement;
    this.filters = this.readForm();
    void this.reload();
  }

  /** Reloads the first page with the current filters. */
  async reload(): Promise<void> {
    this.cursor = undefined;
    this.shown = 0;
    clear(this.body);
    await this.loadPage();
  }

  private async loadPage(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.more.disabled = true;
    this.body.closest('table')?.setAttribute('aria-busy', 'true');
    try {
      const page = await this.deps.api().findings(this.filters, PAGE_SIZE, this.cursor);
      for (const finding of page.findings) this.body.append(this.row(finding));
      this.shown += page.findings.length;
      this.cursor = page.nextCursor;
      this.more.hidden = !page.nextCursor;
      if (this.shown === 0) {
        this.body.append(el('tr', { className: 'empty' }, [el('td', { attrs: { colspan: 9 }, text: 'No findings match these filters.' })]));
      }
      const text = `${this.shown} finding${this.shown === 1 ? '' : 's'} shown${page.nextCursor ? ' — more available' : ''}`;
      this.count.textContent = text;
      this.deps.announce(text);
    } catch (error) {
      this.deps.fail(error);
    } finally {
      this.loading = false;
      this.more.disabled = false;
      this.body.closest('table')?.setAttribute('aria-busy', 'false');
    }
  }

  private row(finding: Finding): HTMLTableRowElement {
    const open = el('button', {
      className: 'link',
      text: finding.title,
      attrs: { type: 'button', 'aria-label': `Details of ${finding.title} on ${finding.resourceId}` },
    });
    open.addEventListener('click', () => this.deps.openFinding(finding.id));
    const activity = finding.resolvedAt && finding.resolvedAt > finding.lastSeen ? finding.resolvedAt : finding.lastSeen;
    const row = el(
      'tr',
      {
        attrs: {
          'data-finding-id': finding.id,
          'data-area': finding.area,
          'data-status': finding.status,
          'data-severity': finding.severity,
          'data-snoozed': finding.snooze !== undefined,
        },
      },
      [
        el('td', { className: 'col-severity' }, [badge('severity', finding.severity), escalationMark(finding)]),
        el('td', { className: 'col-status' }, [badge('status', finding.status), snoozeMark(finding)]),
        el('th', { className: 'col-finding', attrs: { scope: 'row' } }, [
          open,
          el('span', { className: 'control-id', text: finding.controlId }),
        ]),
        el('td', { className: 'col-area', text: finding.area }),
        el('td', { className: 'col-account mono', text: finding.account }),
        el('td', { className: 'col-region', text: finding.region }),
        el('td', { className: 'col-resource mono', attrs: { title: finding.resourceId } }, [
          el('span', { className: 'resource-id', text: finding.resourceId }),
          finding.qualifier ? el('span', { className: 'qualifier', text: finding.qualifier }) : null,
        ]),
        el('td', { className: 'col-activity' }, [timeEl(activity)]),
        el('td', { className: 'col-count num', text: finding.count }),
      ],
    );
    return row;
  }

  private readForm(): FindingFilters {
    const filters: FindingFilters = {};
    for (const name of VALUE_FILTERS) {
      const value = this.field(name).value.trim();
      if (value !== '') filters[name] = value;
    }
    if (!filters.framework) delete filters.requirement;
    const since = this.field('since').value;
    const until = this.field('until').value;
    if (since) filters.since = `${since}T00:00:00.000Z`;
    if (until) filters.until = `${until}T23:59:59.999Z`;
    return filters;
  }

  /** The requirements the catalogue maps to the chosen framework. */
  private fillRequirements(): void {
    const framework = this.select('framework').value;
    const select = this.select('requirement');
    const requirements = new Set<string>();
    for (const control of this.controls) {
      for (const ref of control.frameworks) if (ref.framework === framework) requirements.add(ref.requirement);
    }
    fillSelect(
      select,
      [...requirements].sort(compareRequirements).map((requirement) => [requirement, requirement]),
      framework ? 'any requirement' : 'choose a framework first',
    );
    select.disabled = framework === '';
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement {
    const field = this.form.elements.namedItem(name);
    if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement)) throw new Error(`filter form lacks ${name}`);
    return field;
  }

  private select(name: string): HTMLSelectElement {
    const field = this.field(name);
    if (!(field instanceof HTMLSelectElement)) throw new Error(`filter ${name} is not a select`);
    return field;
  }
}

/** "snoozed until …" next to the status of a snoozed finding. */
function snoozeMark(finding: Finding): HTMLElement | null {
  if (!finding.snooze) return null;
  return el(
    'span',
    {
      className: 'mark snoozed',
      attrs: { 'data-testid': 'snoozed-badge', title: `Snoozed by ${finding.snooze.by}: ${finding.snooze.reason}` },
    },
    ['snoozed until ', timeEl(finding.snooze.until)],
  );
}

/** A finding escalated for passing its remediation deadline: its severity is one level above the control's. */
function escalationMark(finding: Finding): HTMLElement | null {
  const escalation = finding.deadlineEscalation;
  if (!escalation) return null;
  return el('span', {
    className: 'mark escalated',
    text: 'past deadline',
    attrs: {
      'data-testid': 'deadline-badge',
      title: `Past its remediation deadline of ${formatTime(escalation.deadline)}: escalated from ${escalation.from} to ${escalation.to} on ${formatTime(escalation.at)}`,
    },
  });
}

export function fillSelect(select: HTMLSelectElement, options: Array<[string, string]>, emptyLabel?: string): void {
  clear(select);
  if (emptyLabel !== undefined) select.append(el('option', { text: emptyLabel, attrs: { value: '' } }));
  for (const [value, label] of options) select.append(el('option', { text: label, attrs: { value } }));
}

/** "3.10" after "3.9", "AC-2" before "AC-10". */
export function compareRequirements(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
