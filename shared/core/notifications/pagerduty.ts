/**
 * PagerDuty Events API v2 (`POST https://events.pagerduty.com/v2/enqueue`) for a notification:
 * `trigger` on opened / reopened / escalated (and an openings roll-up), `resolve` on RESOLVED, with
 * `dedup_key` = the finding id, so the RESOLVED message closes the incident the opening created.
 * Pure: a small subscriber (a Lambda on the SQS or Lambda protocol, filtered with
 * PAGE_ON_CRITICAL_AND_HIGH) maps each JSON message with it and posts the result; the routing key
 * is the integration key of a PagerDuty service's "Events API v2" integration.
 */
import type { Severity } from '../model/severity';
import type { Notification } from './notification';
import { inertText } from '../model/text';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export const PAGERDUTY_SEVERITY: Readonly<Record<Severity, PagerDutySeverity>> = Object.freeze({
  CRITICAL: 'critical',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'info',
  INFORMATIONAL: 'info',
});

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
  links?: Array<{ href: string; text: string }>;
}

/** PagerDuty's limits: summary 1024 characters, dedup_key 255. */
const SUMMARY_MAX = 1024;
const DEDUP_KEY_MAX = 255;

/** One line a responder reads in PagerDuty: controls, bidi and invisible characters escaped (`\x1b`, `\u202e`). */
const shown = (text: string): string => inertText(text);

/** A string the incident shows, inert; anything else as it is (absent fields stay absent). */
function shownValue(value: unknown): unknown {
  if (typeof value === 'string') return shown(value);
  if (Array.isArray(value)) return value.map(shownValue);
  return value;
}

export function pagerDutyEventOf(notification: Notification, routingKey: string): PagerDutyEvent {
  const { finding, control, rollup } = notification;
  const dedupKey = notification.dedupKey.slice(0, DEDUP_KEY_MAX);
  if (notification.transition === 'resolved' || rollup?.kind === 'resolved') {
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  }
  const summary = shown(`${notification.subject} — ${finding.message}`);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: summary.length <= SUMMARY_MAX ? summary : `${summary.slice(0, SUMMARY_MAX - 1)}…`,
      source: shown(`aws:${finding.account}:${finding.region}`),
      severity: PAGERDUTY_SEVERITY[finding.severity],
      timestamp: finding.lastSeen,
      component: shown(finding.resourceId),
      group: finding.area,
      class: control.id,
      // Shown on the incident as they are: every text value inert.
      custom_details: Object.fromEntries(
        Object.entries({
          transition: notification.transition,
          controlId: control.id,
          resourceType: finding.resourceType,
          ...(rollup
            ? { count: rollup.count, resources: rollup.items.slice(0, 25).map((item) => item.resourceId) }
            : { findingId: finding.id, actor: finding.evidence.actor?.arn, sourceIp: finding.evidence.sourceIp }),
          runbook: control.runbook,
        }).map(([key, value]) => [key, shownValue(value)]),
      ),
    },
    client: 'trailwarden',
    ...(notification.link
      ? {
          client_url: notification.link,
          links: [{ href: notification.link, text: rollup ? 'trailwarden findings' : 'The finding in trailwarden' }],
        }
      : {}),
  };
}
