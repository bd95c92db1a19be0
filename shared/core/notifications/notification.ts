/** What a notification says about one finding transition, for people and for machines. */
import type { Control } from '../model/control';
import { controlSummaryOf, type ControlSummary } from '../model/control-metadata';
import type { Finding, Transition } from '../findings/finding';
import type { Severity } from '../model/severity';
import type { HeldNotification, RollupWindow } from './rollup';
import { maskSecrets } from '../findings/mask';
import { inertText } from '../model/text';

/** Transitions worth telling someone about: never a repeat. */
export type NotifiableTransition = Exclude<Transition, 'repeated'>;

export function isNotifiable(transition: Transition): transition is NotifiableTransition {
  return transition !== 'repeated';
}

/** What a roll-up summarizes: the notifications held in one window. */
export interface RollupContent {
  /** Openings, or resolutions of findings that were rolled up. */
  kind: 'opened' | 'resolved';
  windowStart: string;
  windowEnd: string;
  /** Notifications held (all of them, listed or not). */
  count: number;
  /** Sent one by one before the rest were held. */
  sentIndividually: number;
  /** The held notifications listed (at most ROLLUP_ITEMS_KEPT). */
  items: HeldNotification[];
}

export interface Notification {
  /** Stable per finding (per window for a roll-up): pagers dedupe and auto-resolve on it. */
  dedupKey: string;
  /** `rollup` for a roll-up of held notifications. */
  transition: NotifiableTransition | 'rollup';
  subject: string;
  /**
   * The finding. For a roll-up, a summary of the group: id = the dedup key, severity = the highest
   * held, resourceId = how many resources, region = theirs when they share one, else `multiple`.
   */
  finding: Finding;
  control: ControlSummary;
  /** `${findingsUrl}/#finding=<id>` when the findingsUrl setting is set (the dashboard's address for a roll-up). */
  link?: string;
  /** Present on roll-ups only. */
  rollup?: RollupContent;
}

/** SNS subjects must stay under 100 characters, on one line, without control characters (they are escaped: `\x1b`). */
export const MAX_SUBJECT_LENGTH = 99;

/** Resources a roll-up lists by name before "and N more". */
export const ROLLUP_RESOURCES_SHOWN = 25;

/** One line for a subject: controls, bidi and invisible characters escaped (`\x1b`, `\u202e`), runs of spaces made one. */
function oneLine(text: string): string {
  return inertText(text).replace(/\s+/g, ' ').trim();
}

/**
 * A body for people: each line inert on its own (a line break inside a value from an event is
 * shown as `\n`, so it cannot forge a line of the message), the lines joined with LF.
 */
function bodyOf(lines: readonly string[]): string {
  return lines.map((line) => inertText(line)).join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `[CRITICAL] network: <title> on <resource> (<account>/<region>)`, shortened to fit. */
export function subjectOf(transition: NotifiableTransition, finding: Finding): string {
  return subjectFor(transition === 'resolved' ? 'RESOLVED' : finding.severity, finding, oneLine(finding.resourceId));
}

function subjectFor(label: string, finding: Pick<Finding, 'area' | 'title' | 'account' | 'region'>, resource: string): string {
  const prefix = `${oneLine(`[${label}] ${finding.area}:`)} `;
  const title = oneLine(finding.title);
  const where = ` ${oneLine(`(${finding.account}/${finding.region})`)}`;
  // What the title, ' on ' and the resource share; the label, area, account and region are never cut.
  const budget = MAX_SUBJECT_LENGTH - prefix.length - where.length;
  if (title.length + 4 + resource.length <= budget) return `${prefix}${title} on ${resource}${where}`;
  // A resource id up to 24 characters (sg-…, i-…, a bucket) stays whole: it is what the on-call acts on.
  const resourceRoom = resource.length <= 24 ? resource.length : Math.max(12, budget - 4 - title.length);
  const titleRoom = budget - 4 - resourceRoom;
  if (titleRoom >= 16) return `${prefix}${truncate(title, titleRoom)} on ${truncate(resource, resourceRoom)}${where}`;
  return `${truncate(`${prefix}${title}`, MAX_SUBJECT_LENGTH - where.length)}${where}`;
}

/** `[HIGH] network: 995 more: <title> (<account>/<region>)`: the title is shortened, never the count. */
function rollupSubjectOf(label: string, finding: Pick<Finding, 'area' | 'title' | 'account' | 'region'>, count: number): string {
  const head = oneLine(`[${label}] ${finding.area}: ${count} more:`);
  const where = ` ${oneLine(`(${finding.account}/${finding.region})`)}`;
  const room = MAX_SUBJECT_LENGTH - head.length - where.length - 1;
  return room >= 8 ? `${head} ${truncate(oneLine(finding.title), room)}${where}` : truncate(`${head}${where}`, MAX_SUBJECT_LENGTH);
}

/** The dashboard link of a finding: `${findingsUrl}/#finding=<id>`. */
export function findingLinkOf(findingsUrl: string, findingId: string): string {
  return `${findingsUrl.replace(/\/+$/, '')}/#finding=${encodeURIComponent(findingId)}`;
}

export interface NotificationOptions {
  /** The findingsUrl setting: the message links to the finding there. */
  findingsUrl?: string | undefined;
}

export function notificationOf(
  transition: NotifiableTransition,
  unmasked: Finding,
  control: Control | ControlSummary,
  options: NotificationOptions = {},
): Notification {
  // Evidence fields are masked when recorded; the rest of what an event put in the finding (user
  // agent, message, resource, actor) is masked here, so no sink ever gets a secret-looking value.
  const finding = maskSecrets(unmasked);
  return {
    dedupKey: finding.id,
    transition,
    subject: subjectOf(transition, finding),
    finding,
    control: controlSummaryOf(control),
    ...(options.findingsUrl ? { link: findingLinkOf(options.findingsUrl, finding.id) } : {}),
  };
}

/** The roll-up of a closed window: one message with the count and the (capped) list of resources. */
export function rollupNotificationOf(unmasked: RollupWindow, options: NotificationOptions = {}): Notification {
  const window = maskSecrets(unmasked);
  const regions = [...new Set(window.items.map((item) => item.region))];
  const region = regions.length === 1 ? regions[0]! : 'multiple';
  const severity: Severity = window.severity ?? 'INFORMATIONAL';
  const first = window.items[0];
  const resolved = window.kind === 'resolved';
  const resources = `${window.held} more resource${window.held === 1 ? '' : 's'}`;
  const finding: Finding = {
    id: window.id,
    controlId: window.controlId,
    area: window.area,
    title: window.control.title,
    severity,
    status: resolved ? 'resolved' : 'open',
    account: window.account,
    region,
    resourceId: resources,
    resourceType: first?.resourceType ?? 'resources',
    message: `${window.held} more finding${window.held === 1 ? '' : 's'} of ${window.controlId} ${resolved ? 'resolved' : 'opened'} in account ${window.account} between ${window.windowStart} and ${window.windowEnd}`,
    firstSeen: window.windowStart,
    lastSeen: window.windowEnd,
    count: window.held,
    evidence: { eventId: window.id, eventTime: window.windowEnd, detailType: 'trailwarden roll-up', fields: {} },
    ...(resolved ? { resolvedAt: window.windowEnd } : {}),
    version: 1,
  };
  return {
    dedupKey: window.id,
    transition: 'rollup',
    subject: rollupSubjectOf(resolved ? 'RESOLVED' : severity, finding, window.held),
    finding,
    control: controlSummaryOf(window.control),
    ...(options.findingsUrl ? { link: `${options.findingsUrl.replace(/\/+$/, '')}/` } : {}),
    rollup: {
      kind: window.kind,
      windowStart: window.windowStart,
      windowEnd: window.windowEnd,
      count: window.held,
      sentIndividually: Math.max(0, window.claimed - window.held),
      items: window.items,
    },
  };
}

/** The notification's status label: RESOLVED, or the severity. */
function labelOf(notification: Notification): string {
  const resolved = notification.transition === 'resolved' || notification.rollup?.kind === 'resolved';
  return resolved ? 'RESOLVED' : notification.finding.severity;
}

/** A plain-text body for people (console, email). */
export function textOf(notification: Notification): string {
  if (notification.rollup) return rollupTextOf(notification, notification.rollup);
  const { finding, control } = notification;
  const e = finding.evidence;
  const resolved = notification.transition === 'resolved';
  const lines = [
    notification.subject,
    '',
    `${notification.transition.toUpperCase()}: ${resolved ? (finding.resolvedBy?.message ?? finding.message) : finding.message}`,
    `Severity: ${finding.severity} (${labelOf(notification) === 'RESOLVED' ? 'resolved' : finding.status})`,
    `Control: ${control.id}: ${control.title}`,
    `Who:   ${actorText(e.actor)}${e.sourceIp ? ` from ${e.sourceIp}` : ''}${e.userAgent ? ` (${e.userAgent})` : ''}`,
  ];
  if (resolved && finding.resolvedBy) lines.push(`Resolved by: ${actorText(finding.resolvedBy.actor)}`);
  lines.push(
    `Where: account ${finding.account}, region ${finding.region}, ${finding.resourceType} ${finding.resourceId}`,
    `When:  ${resolved ? finding.resolvedAt : finding.lastSeen} (event ${resolved ? finding.resolvedBy?.eventId : e.eventId}); first seen ${finding.firstSeen}, seen ${finding.count}×`,
    `Why:   ${control.rationale}`,
    'What to do:',
    ...control.runbook.map((step, i) => `  ${i + 1}. ${step}`),
  );
  if (control.frameworks.length > 0) lines.push(`Frameworks: ${frameworksText(control)}`);
  if (notification.link) lines.push(`Link:  ${notification.link}`);
  lines.push(`Finding: ${finding.id}`);
  return bodyOf(lines);
}

function actorText(actor: Finding['evidence']['actor']): string {
  return actor?.arn ?? actor?.principalId ?? actor?.invokedBy ?? 'unknown';
}

function frameworksText(control: ControlSummary): string {
  return control.frameworks.map((f) => `${f.framework} ${f.requirement}`).join(', ');
}

function rollupTextOf(notification: Notification, rollup: RollupContent): string {
  const { finding, control } = notification;
  const verb = rollup.kind === 'resolved' ? 'resolved' : 'opened';
  const shown = rollup.items.slice(0, ROLLUP_RESOURCES_SHOWN);
  const lines = [
    notification.subject,
    '',
    `ROLL-UP: ${rollup.count} more finding${rollup.count === 1 ? '' : 's'} of this control ${verb} in account ${finding.account} between ${rollup.windowStart} and ${rollup.windowEnd}` +
      ` (${rollup.sentIndividually} sent one by one before; the rest are summarized here, not sent on their own).`,
    `Severity: up to ${finding.severity}`,
    `Control: ${control.id}: ${control.title}`,
    `Where: account ${finding.account}, region ${finding.region}`,
    `Resources (${shown.length} of ${rollup.count}):`,
    ...shown.map((item) => `  - ${oneLine(item.resourceId)} (${item.region}, ${item.severity}) finding ${item.findingId}`),
  ];
  if (rollup.count > shown.length) lines.push(`  … and ${rollup.count - shown.length} more`);
  lines.push(`Why:   ${control.rationale}`, 'What to do:', ...control.runbook.map((step, i) => `  ${i + 1}. ${step}`));
  if (control.frameworks.length > 0) lines.push(`Frameworks: ${frameworksText(control)}`);
  if (notification.link) lines.push(`Link:  ${notification.link}`);
  lines.push(`Roll-up: ${notification.dedupKey}`);
  return bodyOf(lines);
}

/** The fields a transition's and a roll-up's JSON share, in their place in both: what and where. */
function subjectFields({ finding, control }: Notification): Record<string, unknown> {
  return {
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
  };
}

/** The closing fields of both: why, what to do, the frameworks, the link. */
function guidanceFields({ control, link }: Notification): Record<string, unknown> {
  return { rationale: control.rationale, runbook: control.runbook, frameworks: control.frameworks, ...(link ? { link } : {}) };
}

/** The structured message for machines (webhooks, JSON Lines, SQS, Lambda, HTTPS). */
export function jsonOf(notification: Notification): Record<string, unknown> {
  const { finding } = notification;
  if (notification.rollup) {
    const { rollup } = notification;
    return {
      dedupKey: notification.dedupKey,
      transition: 'rollup',
      rollupOf: rollup.kind,
      subject: notification.subject,
      ...subjectFields(notification),
      windowStart: rollup.windowStart,
      windowEnd: rollup.windowEnd,
      count: rollup.count,
      sentIndividually: rollup.sentIndividually,
      resources: rollup.items.map((item) => ({
        findingId: item.findingId,
        resourceId: item.resourceId,
        region: item.region,
        severity: item.severity,
      })),
      moreResources: rollup.count - rollup.items.length,
      ...guidanceFields(notification),
    };
  }
  const resolved = notification.transition === 'resolved';
  return {
    dedupKey: notification.dedupKey,
    transition: notification.transition,
    subject: notification.subject,
    findingId: finding.id,
    ...subjectFields(notification),
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    count: finding.count,
    ...(finding.resolvedAt ? { resolvedAt: finding.resolvedAt } : {}),
    ...(resolved && finding.resolvedBy
      ? { resolvedBy: { message: finding.resolvedBy.message, ...(finding.resolvedBy.actor ? { actor: finding.resolvedBy.actor } : {}) } }
      : {}),
    actor: finding.evidence.actor,
    sourceIp: finding.evidence.sourceIp,
    userAgent: finding.evidence.userAgent,
    eventId: resolved ? finding.resolvedBy?.eventId : finding.evidence.eventId,
    ...guidanceFields(notification),
  };
}
