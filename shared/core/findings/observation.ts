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

/**
 * Event time in full ISO form (`toISOString`, UTC): the CloudTrail record's eventTime when present,
 * else the envelope time. Read with the strict parser (RFC 3339 with a zone), so the stored instant
 * never depends on the machine's time zone; intake refuses events whose times it cannot read, and a
 * time only an event that skipped intake could carry is kept as written.
 */
export function eventTimeOf(event: EventBridgeEvent): string {
  const recorded = asString(asRecord(event.detail).eventTime) ?? event.time;
  const parsed = parseRfc3339(recorded);
  return parsed === undefined ? recorded : new Date(parsed).toISOString();
}

/**
 * What an observation takes from an event, as it is (nothing masked, hashed or copied yet): cheap to
 * take for every event, and made into evidence (`evidenceOfDraft`) only when it is kept.
 */
export interface EventDraft {
  eventId: string;
  eventTime: string;
  detailType: string;
  eventSource?: string;
  eventName?: string;
  sourceIp?: string;
  userAgent?: string;
  actor?: Actor;
}

/** The event's part of evidence, unmasked. */
export function draftOfEvent(event: EventBridgeEvent, eventTime = eventTimeOf(event)): EventDraft {
  const detail = asRecord(event.detail);
  const draft: EventDraft = { eventId: eventIdOf(event), eventTime, detailType: event['detail-type'] };
  const eventSource = asString(detail.eventSource);
  const eventName = asString(detail.eventName);
  const sourceIp = asString(detail.sourceIPAddress);
  const userAgent = asString(detail.userAgent);
  const actor = actorOf(event);
  if (eventSource) draft.eventSource = eventSource;
  if (eventName) draft.eventName = eventName;
  if (sourceIp) draft.sourceIp = sourceIp;
  if (userAgent) draft.userAgent = userAgent;
  if (actor) draft.actor = actor;
  return draft;
}

/** Evidence from a draft of its event and the request fields the control chose, secrets masked. */
export function evidenceOfDraft(draft: EventDraft, fields: Record<string, unknown>): Evidence {
  const evidence: Evidence = {
    eventId: draft.eventId,
    eventTime: draft.eventTime,
    detailType: draft.detailType,
    fields: maskSecrets(fields),
  };
  // Every string taken from the event is masked, not only the fields: a user agent or a session
  // name can carry a token as easily as a request parameter.
  const sourceIp = maskSecrets(draft.sourceIp);
  const userAgent = maskSecrets(draft.userAgent);
  const actor = maskSecrets(draft.actor);
  if (draft.eventSource) evidence.eventSource = draft.eventSource;
  if (draft.eventName) evidence.eventName = draft.eventName;
  if (actor) evidence.actor = actor;
  if (sourceIp) evidence.sourceIp = sourceIp;
  if (userAgent) evidence.userAgent = userAgent;
  return evidence;
}

/** `eventTime`: the event's time when the caller has it already (`eventTimeOf(event)`). */
export function evidenceOf(event: EventBridgeEvent, fields: Record<string, unknown>, eventTime = eventTimeOf(event)): Evidence {
  return evidenceOfDraft(draftOfEvent(event, eventTime), fields);
}

/**
 * A violation as found, with its control's names and its event's draft: what `observationOfDraft` makes
 * the observation of. Plain data. A stateful detection's signal carries one for the finding it may raise,
 * and the writer makes it an observation only when the window says it does: most signals raise nothing,
 * and masking and hashing for each of them cost more than evaluating the event.
 */
export interface ViolationDraft {
  controlId: string;
  area: Control['area'];
  title: string;
  /** False when the control never resolves its findings by event. */
  resolvable: boolean;
  account: string;
  region: string;
  violation: Violation & { severity: Severity };
  event: EventDraft;
}

export function draftViolation(
  event: EventBridgeEvent,
  control: Control,
  violation: Violation & { severity: Severity },
  eventTime = eventTimeOf(event),
  /** The event's draft when the caller has it already (one object shared by every draft of the event). */
  eventDraft = draftOfEvent(event, eventTime),
): ViolationDraft {
  return {
    controlId: control.id,
    area: control.area,
    title: control.title,
    resolvable: control.resolution !== undefined,
    account: event.account,
    region: event.region,
    violation,
    event: eventDraft,
  };
}

function keyOfDraft(draft: ViolationDraft): FindingKey {
  const { violation } = draft;
  return {
    controlId: draft.controlId,
    account: draft.account,
    region: draft.region,
    resourceId: violation.resourceId,
    ...(violation.qualifier !== undefined ? { qualifier: violation.qualifier } : {}),
  };
}

/** The id of the finding a draft's observation would be of. */
export function findingIdOfDraft(draft: ViolationDraft): string {
  return findingIdOf(keyOfDraft(draft));
}

export function observationOfDraft(draft: ViolationDraft): ViolationObservation {
  const { violation } = draft;
  const key = keyOfDraft(draft);
  return {
    ...key,
    findingId: findingIdOf(key),
    area: draft.area,
    title: draft.title,
    severity: violation.severity,
    resourceType: violation.resourceType,
    message: maskSecrets(violation.message),
    eventId: draft.event.eventId,
    eventTime: draft.event.eventTime,
    evidence: evidenceOfDraft(draft.event, violation.evidence),
    ...(draft.resolvable ? {} : { resolvable: false as const }),
  };
}

export function observeViolation(
  event: EventBridgeEvent,
  control: Control,
  violation: Violation & { severity: Severity },
): ViolationObservation {
  return observationOfDraft(draftViolation(event, control, violation));
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
