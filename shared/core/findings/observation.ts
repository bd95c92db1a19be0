/**
 * Turns an evaluation into observations the store applies: a violation with its evidence, or a
 * resolution. Evidence keeps the triggering event's id, time, actor, source IP and the request
 * fields the control chose, with secret-looking values masked.
 */
import type { Control, Resolution, Violation } from '../model/control';
import { eventIdOf, type EventBridgeEvent } from '../model/event';
import type { Severity } from '../model/severity';
import { maskSecrets } from './mask';
import type { Actor, Evidence, FindingKey, SuppressedBy } from './finding';
import { findingIdOf } from './finding-id';
import { asRecord, asString } from '../kernel/values';
import { parseRfc3339 } from '../model/time';
import { remembered } from '../kernel/remembered';

/** From which severity transitions owe a notification; `never`: none does. */
export type NotifyFrom = Severity | 'never';

export interface ViolationObservation extends FindingKey {
  findingId: string;
  area: Control['area'];
  title: string;
  severity: Severity;
  resourceType: string;
  message: string;
  eventId: string;
  eventTime: string;
  evidence: Evidence;
  /**
   * The active exemption covering this violation, when the caller knows of one (the pipeline looks
   * it up): a new or reoccurring finding is then recorded suppressed, and notifies no one.
   */
  exemption?: SuppressedBy;
  /**
   * False when the control never resolves its findings by event (it has no resolution patterns):
   * a store need not list the finding where resolutions look for it. Absent: it may be resolved.
   */
  resolvable?: false;
  /**
   * The lowest severity that is ever notified (the organization's notifyMinSeverity): below it, a
   * transition owes nothing. `never`: nothing is sent anywhere (a replay without sinks), so nothing is owed.
   */
  notifyFrom?: NotifyFrom;
}

export interface ResolutionObservation {
  controlId: string;
  account: string;
  region: string;
  resourceId: string;
  qualifier?: string;
  eventId: string;
  eventTime: string;
  message: string;
  actor?: Actor;
  /** As ViolationObservation's: below it, the resolution of a finding owes nothing. */
  notifyFrom?: NotifyFrom;
}

export function actorOf(event: EventBridgeEvent): Actor | undefined {
  const identity = asRecord(asRecord(event.detail).userIdentity);
  if (Object.keys(identity).length === 0) return undefined;
  const actor: Actor = {};
  for (const key of ['type', 'arn', 'accountId', 'principalId', 'userName', 'invokedBy'] as const) {
    const value = asString(identity[key]);
    if (value !== undefined) actor[key] = value;
  }
  return actor;
}

const READ_TIMES_KEPT = 4096;

/** An event time as toISOString writes it, remembered (a second of CloudTrail holds many events, and every violation and signal reads its event's time). */
const canonicalTime = remembered(READ_TIMES_KEPT, (recorded) => {
  const parsed = parseRfc3339(recorded);
  return parsed === undefined ? recorded : new Date(parsed).toISOString();
});

/**
 * Event time in full ISO form (`toISOString`, UTC): the CloudTrail record's eventTime when present,
 * else the envelope time. Read with the strict parser (RFC 3339 with a zone), so the stored instant
 * never depends on the machine's time zone; intake refuses events whose times it cannot read, and a
 * time only an event that skipped intake could carry is kept as written.
 */
export function eventTimeOf(event: EventBridgeEvent): string {
  return canonicalTime(asString(asRecord(event.detail).eventTime) ?? event.time);
}

/** `eventTime`: the event's time when the caller has it already (`eventTimeOf(event)`). */
export function evidenceOf(event: EventBridgeEvent, fields: Record<string, unknown>, eventTime = eventTimeOf(event)): Evidence {
  const detail = asRecord(event.detail);
  const evidence: Evidence = {
    eventId: eventIdOf(event),
    eventTime,
    detailType: event['detail-type'],
    fields: maskSecrets(fields),
  };
  const eventSource = asString(detail.eventSource);
  const eventName = asString(detail.eventName);
  // Every string taken from the event is masked, not only the fields: a user agent or a session
  // name can carry a token as easily as a request parameter.
  const sourceIp = maskSecrets(asString(detail.sourceIPAddress));
  const userAgent = maskSecrets(asString(detail.userAgent));
  const actor = maskSecrets(actorOf(event));
  if (eventSource) evidence.eventSource = eventSource;
  if (eventName) evidence.eventName = eventName;
  if (actor) evidence.actor = actor;
  if (sourceIp) evidence.sourceIp = sourceIp;
  if (userAgent) evidence.userAgent = userAgent;
  return evidence;
}

export function observeViolation(
  event: EventBridgeEvent,
  control: Control,
  violation: Violation & { severity: Severity },
): ViolationObservation {
  // Built field by field: V8 (Node 20) adds each new property to a spread copy through a slow path (about
  // half a microsecond each), and every violation of a replay is observed here.
  const key: FindingKey = { controlId: control.id, account: event.account, region: event.region, resourceId: violation.resourceId };
  if (violation.qualifier !== undefined) key.qualifier = violation.qualifier;
  const eventTime = eventTimeOf(event);
  const observation: ViolationObservation = {
    controlId: key.controlId,
    account: key.account,
    region: key.region,
    resourceId: key.resourceId,
    findingId: findingIdOf(key),
    area: control.area,
    title: control.title,
    severity: violation.severity,
    resourceType: violation.resourceType,
    message: maskSecrets(violation.message),
    eventId: eventIdOf(event),
    eventTime,
    evidence: evidenceOf(event, violation.evidence, eventTime),
  };
  if (key.qualifier !== undefined) observation.qualifier = key.qualifier;
  if (!control.resolution) observation.resolvable = false;
  return observation;
}

export function observeResolution(event: EventBridgeEvent, control: Control, resolution: Resolution): ResolutionObservation {
  const actor = maskSecrets(actorOf(event));
  return {
    controlId: control.id,
    account: event.account,
    region: event.region,
    resourceId: resolution.resourceId,
    ...(resolution.qualifier !== undefined ? { qualifier: resolution.qualifier } : {}),
    eventId: eventIdOf(event),
    eventTime: eventTimeOf(event),
    message: maskSecrets(resolution.message),
    ...(actor ? { actor } : {}),
  };
}
