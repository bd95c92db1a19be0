/**
 * The framework view: per requirement, the verdict (failing, passing, not evaluated), the mapped
 * controls and their findings. A server without reports (501) still gets the requirement → control
 * mapping from the catalogue, without verdicts.
 */
import { FRAMEWORKS } from '../core/model/framework';
import { ApiError, type ApiClient } from './api-client';
import type { ControlSummary, FindingFilters, FrameworkReport } from '../app/api/contract';
import { badge, byId, clear, el, formatTime } from './dom';
import { compareRequirements, fillSelect } from './findings-view';

export interface FrameworksViewDeps {
  api: () => ApiClient;
  controls: () => ControlSummary[];
  fail: (error: unknown) => void;
  showFindings: (filters: FindingFilters) => void;
}

export class FrameworksView {
  private readonly select = byId<HTMLSelectElement>('framework-select');
  private readonly output = byId('framework-report');

  constructor(private readonly deps: FrameworksViewDeps) {
    fillSelect(
      this.select,
      Object.entries(FRAMEWORKS).map(([id, name]) => [id, `${id} — ${name}`]),
    );
    this.select.addEventListener('change', () => void this.load());
  }

  async load(): Promise<void> {
    const framework = this.select.value;
    this.output.setAttribute('aria-busy', 'true');
    try {
      const report = (await this.deps.api().report(framework)) as FrameworkReport;
      if (this.select.value !== framework) return;
      this.renderReport(framework, report);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 501 || error.status === 404)) {
        this.renderCatalogueOnly(framework, error.status);
      } else {
        this.deps.fail(error);
      }
    } finally {
      this.output.setAttribute('aria-busy', 'false');
    }
  }

  private renderReport(framework: string, report: FrameworkReport): void {
    clear(this.output);
    const summary = report.summary;
    this.output.append(
      el('p', { className: 'report-meta' }, [
        el('strong', { text: report.framework?.name ?? framework }),
        ` — generated ${formatTime(report.generatedAt)}`,
      ]),
      el('div', { className: 'cards verdicts' }, [
        verdictCard('failing', summary?.failing ?? 0),
        verdictCard('passing', summary?.passing ?? 0),
        verdictCard('not evaluated', summary?.notEvaluated ?? 0),
      ]),
    );
    const rows = (report.requirements ?? []).map((requirement) => {
      const controls = el(
        'ul',
        { className: 'plain' },
        (requirement.controls ?? []).map((control) =>
          el('li', {}, [
            el('code', { text: control.id }),
            ` ${control.title}`,
            control.enabled === false ? el('span', { className: 'muted', text: ' (disabled)' }) : null,
          ]),
        ),
      );
      return el('tr', { attrs: { 'data-requirement': requirement.requirement } }, [
        el('th', { className: 'mono', text: requirement.requirement, attrs: { scope: 'row' } }),
        el('td', {}, [
          badge('verdict', requirement.verdict.replace(/-/g, ' ')),
          requirement.reason ? el('span', { className: 'reason', text: requirement.reason }) : null,
        ]),
        el('td', {}, [controls]),
        el('td', { className: 'num', text: requirement.open }),
        el('td', { className: 'num', text: requirement.suppressed }),
        el('td', { className: 'num', text: requirement.resolved }),
        el('td', {}, [this.findingsButton(framework, requirement.requirement)]),
      ]);
    });
    this.output.append(requirementsTable(['Requirement', 'Verdict', 'Controls', 'Open', 'Suppressed', 'Resolved', ''], rows));
  }

  private renderCatalogueOnly(framework: string, status: number): void {
    clear(this.output);
    const byRequirement = new Map<string, ControlSummary[]>();
    for (const control of this.deps.controls()) {
      for (const ref of control.frameworks) {
        if (ref.framework !== framework) continue;
        byRequirement.set(ref.requirement, [...(byRequirement.get(ref.requirement) ?? []), control]);
      }
    }
    const rows = [...byRequirement.keys()].sort(compareRequirements).map((requirement) =>
      el('tr', { attrs: { 'data-requirement': requirement } }, [
        el('th', { className: 'mono', text: requirement, attrs: { scope: 'row' } }),
        el('td', {}, [badge('verdict', 'not available')]),
        el('td', {}, [
          el(
            'ul',
            { className: 'plain' },
            (byRequirement.get(requirement) ?? []).map((control) => el('li', {}, [el('code', { text: control.id }), ` ${control.title}`])),
          ),
        ]),
        el('td', {}, [this.findingsButton(framework, requirement)]),
      ]),
    );
    this.output.append(
      el('p', {
        className: 'notice',
        attrs: { role: 'status' },
        text: `This server does not produce framework reports (${status}). The requirements and the controls mapped to them are shown from the catalogue, without verdicts; open a requirement's findings to judge it.`,
      }),
      requirementsTable(['Requirement', 'Verdict', 'Controls', ''], rows),
    );
  }

  private findingsButton(framework: string, requirement: string): HTMLButtonElement {
    const button = el('button', {
      className: 'secondary',
      text: 'Findings',
      attrs: { type: 'button', 'aria-label': `Findings of ${framework} ${requirement}` },
    });
    button.addEventListener('click', () => this.deps.showFindings({ framework, requirement }));
    return button;
  }
}

function verdictCard(verdict: string, count: number): HTMLElement {
  return el('article', { className: `card card-verdict verdict-${verdict.replace(/ /g, '-')}` }, [
    el('h4', { className: 'card-label', text: verdict }),
    el('p', { className: 'card-value', text: count }),
    el('p', { className: 'card-detail', text: `requirement${count === 1 ? '' : 's'}` }),
  ]);
}

function requirementsTable(headers: string[], rows: HTMLTableRowElement[]): HTMLElement {
  return el('div', { className: 'table-wrap' }, [
    el('table', { className: 'requirements' }, [
      el('thead', {}, [
        el(
          'tr',
          {},
          headers.map((header) => el('th', { text: header, attrs: { scope: 'col' } })),
        ),
      ]),
      el(
        'tbody',
        {},
        rows.length > 0
          ? rows
          : [el('tr', {}, [el('td', { attrs: { colspan: headers.length }, text: 'No control maps to this framework.' })])],
      ),
    ]),
  ]);
}
