/**
 * Remediation deadlines: when an open finding must be fixed by, and the one escalation it gets
 * for missing it. Pure policy; the escalation itself is a transition (transitions.ts), run over the store by shared/app/jobs/deadlines.ts.
 *
 * - Patch-compliance findings (PATCH_CONTROL_IDS, the host area's Patch Manager control) follow
 *   the host-security rule: HIGH and CRITICAL are due 7 days after first seen, MEDIUM and LOW 30
 *   ("high/critical patches due within 7 days of release, others within 30 days"; first seen is
 *   the closest the findings get to the release).
 * - Every other control follows the `remediationDays` setting (severity → days after first seen;
 *   default CRITICAL 7, HIGH 30, MEDIUM 90, LOW 180). INFORMATIONAL findings never have one.
 * - The deadline counts from first seen with the finding's current severity. Past it, the
 *   finding's severity rises one level (capped at CRITICAL: a CRITICAL finding is notified again
 *   at CRITICAL), history `escalated` notes "past its remediation deadline of <deadline>", and it
 *   owes one `escalated` notification. `deadlineEscalation` records it, so it happens once in the
 *   finding's life: a finding that resolves and reopens keeps its first-seen date and is not
 *   escalated for its deadline again.
 * - During a snooze the escalation is recorded but notified only when it reaches CRITICAL (the
 *   lifecycle's `snoozeSilences`); the end of the snooze notifies the finding at its new severity.
 */
import type { RemediationDays } from '../settings/settings';
import { SEVERITIES, severityRank, type Severity } from '../model/severity';
import type { Finding } from './finding';

/** The patch-compliance controls (host area) that follow the host-security rule. */
export const PATCH_CONTROL_IDS: readonly string[] = ['host.patch-non-compliant'];

/** The host-security rule for patches: days after first seen, by severity. */
export const PATCH_REMEDIATION_DAYS: Readonly<RemediationDays> = Object.freeze({ CRITICAL: 7, HIGH: 7, MEDIUM: 30, LOW: 30 });

/** Who the sweep acts as. */
export const DEADLINE_SWEEP_ACTOR = 'trailwarden (deadline sweep)';

const DAY_MS = 86_400_000;

/** Days from first seen to the deadline of a finding of this control and severity; undefined: none. */
export function remediationDaysOf(finding: Pick<Finding, 'controlId' | 'severity'>, remediationDays: RemediationDays): number | undefined {
  if (finding.severity === 'INFORMATIONAL') return undefined;
  const table = PATCH_CONTROL_IDS.includes(finding.controlId) ? PATCH_REMEDIATION_DAYS : remediationDays;
  return table[finding.severity];
}

/** The finding's remediation deadline (ISO time), if it has one. */
export function remediationDeadlineOf(
  finding: Pick<Finding, 'controlId' | 'severity' | 'firstSeen'>,
  remediationDays: RemediationDays,
): string | undefined {
  const days = remediationDaysOf(finding, remediationDays);
  const first = Date.parse(finding.firstSeen);
  if (days === undefined || Number.isNaN(first)) return undefined;
  return new Date(first + days * DAY_MS).toISOString();
}

/** One level up, capped at CRITICAL. */
export function escalatedSeverity(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, severityRank(severity) + 1)]!;
}
