/**
 * Findings as events (the `publishFindingEvents` setting): the functions that notify (the area
 * functions and the maintenance sweep) also put each finding transition on the stack's
 * organization bus (shared/adapters/notify/eventbridge-notifier.ts).
 *
 * Which bus: the organization bus, because the stack owns it (created here, its ARN an output, so
 * the permission names one resource of the stack's) and it already gathers the organization's
 * security events; the account's default bus is shared with everything else in the account.
 * No area rule routes the `trailwarden` source (rules match AWS sources and the custom sources the
 * controls read), so a finding event never comes back to an area function.
 *
 * Permission: the functions' roles are in the bus's account, and for a principal of the same
 * account an identity-based policy allowing events:PutEvents on the bus suffices; the bus's
 * resource policy (event-rules.ts) is needed for other accounts only (Amazon EventBridge User
 * Guide, "Permissions for event buses in Amazon EventBridge" and "Example policy: Send events to
 * an event bus in the same account"). The statement also pins the source with the `events:source`
 * condition key (User Guide, "Using IAM policy conditions in Amazon EventBridge"), so the roles can
 * put trailwarden's events and nothing that would pass for another source's.
 */
import type { Settings } from '../core/settings/settings';
import { arnOf, type IamStatement, type Json } from './cloudformation';

/** The bus findings go to: the organization bus (event-rules.ts). */
export const FINDING_EVENTS_BUS = 'OrganizationEventBus';

/** The source of the events, as eventbridge-notifier.ts sets it. */
export const FINDING_EVENTS_SOURCE = 'trailwarden';

/** The environment that tells a notifying function where findings go: the bus's ARN, when enabled. */
export function findingEventsEnvironment(settings: Pick<Settings, 'publishFindingEvents'>): Record<string, Json> {
  return settings.publishFindingEvents ? { FINDINGS_EVENT_BUS: arnOf(FINDING_EVENTS_BUS) } : {};
}

/** events:PutEvents on the stack's bus, for trailwarden's source only, when enabled; none otherwise. */
export function findingEventsStatements(settings: Pick<Settings, 'publishFindingEvents'>): IamStatement[] {
  if (!settings.publishFindingEvents) return [];
  return [
    {
      Effect: 'Allow',
      Action: ['events:PutEvents'],
      Resource: [arnOf(FINDING_EVENTS_BUS)],
      Condition: { StringEquals: { 'events:source': FINDING_EVENTS_SOURCE } },
    },
  ];
}
