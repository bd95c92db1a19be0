/** What a notification says about one finding transition, for people and for machines. */
import type { Control } from '../model/control';
import type { Finding, Transition } from '../findings/finding';

/** Transitions worth telling someone about: never a repeat. */
export type NotifiableTransition = Exclude<Transition, 'repeated'>;

export function isNotifiable(transition: Transition): transition is NotifiableTransition {
  return transition !== 'repeated';
}

export interface Notification {
  /** Stable per finding: pagers dedupe and auto-resolve on it. */
  dedupKey: string;
  transition: NotifiableTransition;
  subject: string;
  finding: Finding;
  control: Pick<Control, 'id' | 'area' | 'title' | 'rationale' | 'runbook' | 'frameworks'>;
}

/** SNS subjects must stay under 100 characters, on one line, without control characters. */
export const MAX_SUBJECT_LENGTH = 99;

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `[CRITICAL] network: <title> on <resource> (<account>/<region>)`, shortened to fit. */
export function subjectOf(transition: NotifiableTransition, finding: Finding): string {
  const label = transition === 'resolved' ? 'RESOLVED' : finding.severity;
  const head = oneLine(`[${label}] ${finding.area}: ${finding.title}`);
  const where = ` ${oneLine(`(${finding.account}/${finding.region})`)}`;
  const resource = oneLine(finding.resourceId);
  const room = MAX_SUBJECT_LENGTH - head.length - where.length - ' on '.length;
  if (room >= 12) return `${head} on ${truncate(resource, room)}${where}`;
  return truncate(`${head}${where}`, MAX_SUBJECT_LENGTH);
}

export function notificationOf(transition: NotifiableTransition, finding: Finding, control: Control): Notification {
  return {
    dedupKey: finding.id,
    transition,
    subject: subjectOf(transition, finding),
    finding,
    control: {
      id: control.id,
      area: control.area,
      title: control.title,
      rationale: control.rationale,
      runbook: control.runbook,
      frameworks: control.frameworks,
    },
  };
}

/** A plain-text body for people (console, email). */
export function textOf(notification: Notification): string {
  const { finding, control } = notification;
  const e = finding.evidence;
  const lines = [
    notification.subject,
    '',
    `${notification.transition.toUpperCase()}: ${finding.message}`,
    `Who:   ${e.actor?.arn ?? e.actor?.principalId ?? 'unknown'}${e.sourceIp ? ` from ${e.sourceIp}` : ''}${e.userAgent ? ` (${e.userAgent})` : ''}`,
    `Where: account ${finding.account}, region ${finding.region}, ${finding.resourceType} ${finding.resourceId}`,
    `When:  ${notification.transition === 'resolved' ? finding.resolvedAt : finding.lastSeen} (event ${notification.transition === 'resolved' ? finding.resolvedBy?.eventId : e.eventId})`,
    `Why:   ${control.rationale}`,
    'What to do:',
    ...control.runbook.map((step, i) => `  ${i + 1}. ${step}`),
  ];
  if (control.frameworks.length > 0) {
    lines.push(`Frameworks: ${control.frameworks.map((f) => `${f.framework} ${f.requirement}`).join(', ')}`);
  }
  lines.push(`Finding: ${finding.id} (control ${control.id}, seen ${finding.count}×)`);
  return lines.join('\n');
}

/** The structured message for machines (webhooks, JSON Lines). */
export function jsonOf(notification: Notification): Record<string, unknown> {
  const { finding, control } = notification;
  return {
    dedupKey: notification.dedupKey,
    transition: notification.transition,
    subject: notification.subject,
    findingId: finding.id,
    controlId: control.id,
    title: control.title,
    area: finding.area,
    severity: finding.severity,
    status: finding.status,
    account: finding.account,
    region: finding.region,
    resourceType: finding.resourceType,
    resourceId: finding.resourceId,
    message: finding.message,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    count: finding.count,
    ...(finding.resolvedAt ? { resolvedAt: finding.resolvedAt } : {}),
    actor: finding.evidence.actor,
    sourceIp: finding.evidence.sourceIp,
    eventId: notification.transition === 'resolved' ? finding.resolvedBy?.eventId : finding.evidence.eventId,
    rationale: control.rationale,
    runbook: control.runbook,
    frameworks: control.frameworks,
  };
}
