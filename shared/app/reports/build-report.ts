/**
 * A framework report: for every requirement of the framework that trailwarden's controls map to,
 * the controls mapped, their findings by status, and a verdict.
 *
 * Verdicts (documented in the README, "Reports and exports"):
 * - `failing`: at least one open finding of a control mapped to the requirement;
 * - `passing`: no open and no suppressed finding, and at least one mapped control is enabled
 *   (it watched and saw no violation, or every violation it saw was resolved);
 * - `not-evaluated`: no open finding, but either no mapped control is enabled (nothing watches the
 *   requirement) or a suppressed finding stands in for the verdict: an exempted violation is neither
 *   fixed nor failing, so the requirement is left to the auditor with the exemption to review.
 * A report only speaks for the events trailwarden has seen: "passing" means no recorded violation.
 */
import type { Finding, FindingStatus } from '../../core/findings/finding';
import type { Control } from '../../core/model/control';
import { FRAMEWORKS, type FrameworkId } from '../../core/model/framework';
import { SEVERITIES, severityRank, type Severity } from '../../core/model/severity';
import { byNewestActivity } from '../../core/findings/finding';
import { controlsOfFramework } from '../../core/model/control-metadata';

export type Verdict = 'failing' | 'passing' | 'not-evaluated';
export const VERDICTS: readonly Verdict[] = ['failing', 'passing', 'not-evaluated'];

export interface StatusCounts {
  open: number;
  suppressed: number;
  resolved: number;
}

export interface ReportControl extends StatusCounts {
  id: string;
  title: string;
  severity: Severity;
  enabled: boolean;
}

export interface RequirementResult extends StatusCounts {
  requirement: string;
  verdict: Verdict;
  /** Why the verdict, in one phrase. */
  reason: string;
  controls: ReportControl[];
}

export interface ReportFinding {
  id: string;
  controlId: string;
  severity: Severity;
  status: FindingStatus;
  account: string;
  region: string;
  resource: string;
  message: string;
  lastSeen: string;
  requirements: string[];
}

export interface FrameworkReport {
  framework: { id: FrameworkId; name: string };
  generatedAt: string;
  summary: {
    requirements: number;
    failing: number;
    passing: number;
    notEvaluated: number;
    controls: number;
    findings: StatusCounts;
    /** Open findings of mapped controls by severity. */
    openBySeverity: Record<Severity, number>;
  };
  requirements: RequirementResult[];
  /** Open and suppressed findings of mapped controls, most severe first, then newest. */
  findings: ReportFinding[];
}

export interface BuildReportOptions {
  /** Controls switched off by the settings (`disabledControls`): mapped but not watching. */
  disabledControls?: readonly string[];
}

/** Natural order of requirement ids: 1.9 < 1.10, AC-2 < AC-2(1) < AC-10. */
export function compareRequirements(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

const zero = (): StatusCounts => ({ open: 0, suppressed: 0, resolved: 0 });

/** Each control's findings by status and severity. */
export type CountsBySeverity = Record<FindingStatus, Record<Severity, number>>;

/** What a report counts of the findings it reads: each control's findings by status and severity. */
export class ReportTally {
  readonly byControl = new Map<string, { counts: StatusCounts; bySeverity: CountsBySeverity }>();

  /** Counts these findings in (a report may read its findings a page at a time). */
  add(findings: readonly Finding[]): void {
    for (const finding of findings) {
      let entry = this.byControl.get(finding.controlId);
      if (!entry) {
        const none = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
        entry = { counts: zero(), bySeverity: { open: none(), suppressed: none(), resolved: none() } };
        this.byControl.set(finding.controlId, entry);
      }
      entry.counts[finding.status] += 1;
      entry.bySeverity[finding.status][finding.severity] += 1;
    }
  }

  /** How many findings of the control have this status and severity. */
  count(controlId: string, status: FindingStatus, severity: Severity): number {
    return this.byControl.get(controlId)?.bySeverity[status][severity] ?? 0;
  }
}

export function buildReport(
  framework: FrameworkId,
  controls: readonly Control[],
  findings: readonly Finding[],
  now: Date,
  options: BuildReportOptions = {},
): FrameworkReport {
  const tally = new ReportTally();
  tally.add(findings);
  const report = reportWithoutFindings(framework, controls, tally, now, options);
  const mapped = new Set(controlsOfFramework(controls, framework));
  const requirementsOf = requirementsByControl(report);
  report.findings = findings
    .filter((finding) => mapped.has(finding.controlId) && finding.status !== 'resolved')
    .sort(byReportOrder)
    .map((finding) => reportFindingOf(finding, requirementsOf));
  return report;
}

/**
 * The order of the report's findings: open before suppressed, most severe first, then newest
 * activity (for a finding that is not resolved, its last sighting), then id. The order in which a
 * streamed report reads them (reports/stream.ts): by status and severity, each newest activity first.
 */
export function byReportOrder(a: Finding, b: Finding): number {
  return (
    (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    byNewestActivity(a, b)
  );
}

/** The requirements each mapped control of a report serves, in the report's order. */
export function requirementsByControl(report: FrameworkReport): Map<string, string[]> {
  const requirementsOf = new Map<string, string[]>();
  for (const result of report.requirements)
    for (const c of result.controls) requirementsOf.set(c.id, [...(requirementsOf.get(c.id) ?? []), result.requirement]);
  return requirementsOf;
}

/** A finding as the report lists it. */
export function reportFindingOf(finding: Finding, requirementsOf: ReadonlyMap<string, string[]>): ReportFinding {
  return {
    id: finding.id,
    controlId: finding.controlId,
    severity: finding.severity,
    status: finding.status,
    account: finding.account,
    region: finding.region,
    resource: finding.qualifier ? `${finding.resourceId} (${finding.qualifier})` : finding.resourceId,
    message: finding.message,
    lastSeen: finding.lastSeen,
    requirements: requirementsOf.get(finding.controlId) ?? [],
  };
}

/** The report from its counts, with an empty findings list (`findings` is its last member). */
export function reportWithoutFindings(
  framework: FrameworkId,
  controls: readonly Control[],
  tally: ReportTally,
  now: Date,
  options: BuildReportOptions = {},
): FrameworkReport {
  const disabled = new Set(options.disabledControls ?? []);
  const controlsByRequirement = new Map<string, Control[]>();
  for (const control of controls) {
    for (const ref of control.frameworks) {
      if (ref.framework !== framework) continue;
      const mapped = controlsByRequirement.get(ref.requirement) ?? [];
      if (!mapped.includes(control)) mapped.push(control);
      controlsByRequirement.set(ref.requirement, mapped);
    }
  }

  const requirements = [...controlsByRequirement.keys()].sort(compareRequirements).map((requirement): RequirementResult => {
    const reportControls = controlsByRequirement
      .get(requirement)!
      .map((control) => ({
        id: control.id,
        title: control.title,
        severity: control.severity,
        enabled: !disabled.has(control.id),
        ...(tally.byControl.get(control.id)?.counts ?? zero()),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const totals = reportControls.reduce(
      (sum, c) => ({ open: sum.open + c.open, suppressed: sum.suppressed + c.suppressed, resolved: sum.resolved + c.resolved }),
      zero(),
    );
    return { requirement, ...verdictOf(totals, reportControls), ...totals, controls: reportControls };
  });

  const mappedIds = new Set([...controlsByRequirement.values()].flat().map((control) => control.id));
  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const findingTotals = zero();
  for (const id of mappedIds) {
    const entry = tally.byControl.get(id);
    if (!entry) continue;
    for (const status of ['open', 'suppressed', 'resolved'] as const) findingTotals[status] += entry.counts[status];
    for (const severity of SEVERITIES) openBySeverity[severity] += entry.bySeverity.open[severity];
  }

  return {
    framework: { id: framework, name: FRAMEWORKS[framework] },
    generatedAt: now.toISOString(),
    summary: {
      requirements: requirements.length,
      failing: requirements.filter((r) => r.verdict === 'failing').length,
      passing: requirements.filter((r) => r.verdict === 'passing').length,
      notEvaluated: requirements.filter((r) => r.verdict === 'not-evaluated').length,
      controls: mappedIds.size,
      findings: findingTotals,
      openBySeverity,
    },
    requirements,
    findings: [],
  };
}

function verdictOf(totals: StatusCounts, controls: ReportControl[]): { verdict: Verdict; reason: string } {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (totals.open > 0) return { verdict: 'failing', reason: `${plural(totals.open, 'open finding')}` };
  const enabled = controls.filter((c) => c.enabled).length;
  if (enabled === 0) return { verdict: 'not-evaluated', reason: 'no enabled control' };
  if (totals.suppressed > 0) return { verdict: 'not-evaluated', reason: `${plural(totals.suppressed, 'finding')} suppressed by exemption` };
  return {
    verdict: 'passing',
    reason:
      totals.resolved > 0
        ? `no open finding; ${plural(totals.resolved, 'finding')} resolved`
        : `no finding from ${plural(enabled, 'enabled control')}`,
  };
}
