/**
 * The EventBridge rules that deliver events to the area functions, on the account's default bus and
 * on the organization bus the member accounts forward to, with the bus itself and the policy that
 * admits the member accounts' forwarders. The patterns come from the control registry (rule-patterns.ts).
 */
import type { Area } from '../core/model/area';
import type { Control, EventPattern } from '../core/model/control';
import { arnOf, capitalized, functionLogicalId, type Json, type Resource, ref, sub } from './cloudformation';
import type { Settings } from '../core/settings/settings';
import { alternativesOf, DEFAULT_MAX_PATTERN_CHARS, needsReadOnlyManagementEvents, rulePatternsFor } from './rule-patterns';

/**
 * EventBridge: rules an account may have per event bus, by default: 300 in most regions, 100 in
 * af-south-1 and eu-south-1 (adjustable; Amazon EventBridge User Guide, "Amazon EventBridge quotas",
 * Number of rules). The lowest, since the stack and the member template may go to any region.
 */
export const MAX_RULES_PER_BUS = 100;
/**
 * EventBridge: rules per event bus whose patterns may use `wildcard` filters (not adjustable;
 * Amazon EventBridge User Guide, "Amazon EventBridge quotas", Rules containing wildcards).
 */
export const MAX_WILDCARD_RULES_PER_BUS = 30;
/**
 * The name of the member template's forwarder role, before its region suffix. IAM role names are
 * global to an account, and a StackSet deploys the member template to several regions of each
 * account: each region's stack names its role `trailwarden-event-forwarder-<region>` (42
 * characters at most, within IAM's 64). The organization bus admits AWS events from these roles.
 */
export const FORWARDER_ROLE_PREFIX = 'trailwarden-event-forwarder-';

/** EventBridge target retry policy: its defaults, written out (24 hours, 185 attempts). */
export const RULE_RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } as const;

/** The buses the area rules listen on: the account's default bus and the organization's central bus. */
export const BUSES = [
  { key: 'Default', busName: undefined as Json },
  { key: 'Organization', busName: ref('OrganizationEventBus') },
] as const;

/**
 * The state of a rule with this pattern: ENABLED, or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 * when it needs read-only management events (Get, Describe, List) that plain ENABLED withholds.
 */
export function ruleStateFor(pattern: EventPattern): string {
  return needsReadOnlyManagementEvents(pattern) ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED';
}

/** The rules of one area on one bus, one per pattern. */
export function areaRules(
  controls: readonly Control[],
  maxPatternChars = DEFAULT_MAX_PATTERN_CHARS,
): Array<{ pattern: EventPattern; state: string }> {
  return rulePatternsFor(controls, maxPatternChars).map((pattern) => ({ pattern, state: ruleStateFor(pattern) }));
}

/** An area's rules on both buses, each with the permission to invoke the area function; `ruleIds` in template order. */
export function areaRuleResources(
  area: Area,
  controls: readonly Control[],
  maxPatternChars = DEFAULT_MAX_PATTERN_CHARS,
): { resources: Record<string, Resource>; ruleIds: string[] } {
  const fn = functionLogicalId(area);
  const rules = areaRules(controls, maxPatternChars);
  const resources: Record<string, Resource> = {};
  const ruleIds: string[] = [];
  for (const bus of BUSES) {
    rules.forEach(({ pattern, state }, index) => {
      const ruleId = `${capitalized(area)}${bus.key}Rule${index + 1}`;
      ruleIds.push(ruleId);
      resources[ruleId] = {
        Type: 'AWS::Events::Rule',
        Properties: {
          Description: `trailwarden ${area} controls (${index + 1}/${rules.length}), generated from the control registry`,
          ...(bus.busName !== undefined ? { EventBusName: bus.busName } : {}),
          EventPattern: pattern,
          State: state,
          Targets: [
            {
              Id: `trailwarden-${area}`,
              Arn: arnOf(fn),
              RetryPolicy: { ...RULE_RETRY_POLICY },
              DeadLetterConfig: { Arn: arnOf('RuleDeadLetterQueue') },
            },
          ],
        },
      };
      resources[`${ruleId}Permission`] = {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: arnOf(fn),
          Principal: 'events.amazonaws.com',
          SourceArn: arnOf(ruleId),
        },
      };
    });
  }
  return { resources, ruleIds };
}

/**
 * The non-AWS event sources the controls read, as `events:source` StringLike values (a `prefix`
 * filter `falco` is `falco*`): what allow-listed publishers may put on the organization bus.
 */
export function customEventSources(controls: readonly Control[]): string[] {
  const found = new Set<string>();
  for (const control of controls) {
    for (const pattern of [...control.patterns, ...(control.resolution?.patterns ?? [])]) {
      for (const alternative of alternativesOf(pattern)) {
        const sources = alternative.source;
        if (!Array.isArray(sources)) continue;
        for (const source of sources) {
          if (typeof source === 'string' && !source.startsWith('aws.')) found.add(source);
          const prefix = (source as { prefix?: unknown } | null)?.prefix;
          if (typeof prefix === 'string' && !prefix.startsWith('aws.')) found.add(`${prefix}*`);
        }
      }
    }
  }
  return [...found].sort();
}

/**
 * The organization bus and its policy (AWS::Events::EventBusPolicy takes one statement per
 * resource). PutEvents is admitted from:
 * - the member template's forwarder roles (`trailwarden-event-forwarder-<region>`, see
 *   member-template.ts) of the organization's accounts (`aws:PrincipalOrgID`, `aws:PrincipalArn`),
 *   for events whose source is an AWS service (`events:source` `aws.*`): what the member rules forward;
 * - when `customEventPublishers` lists principals, those principals, for the non-AWS sources the
 *   controls read (Falco's `falco*`).
 * Condition keys: IAM User Guide, "AWS global condition context keys" (aws:PrincipalOrgID,
 * aws:PrincipalArn); Amazon EventBridge User Guide, "Using IAM policy conditions in Amazon
 * EventBridge" (events:source).
 */
export function organizationBusResources(
  settings: Pick<Settings, 'customEventPublishers'>,
  controls: readonly Control[],
): Record<string, Resource> {
  const resources: Record<string, Resource> = {
    OrganizationEventBus: { Type: 'AWS::Events::EventBus', Properties: { Name: sub('${AWS::StackName}-organization') } },
    OrganizationEventBusPolicy: putEventsPolicy('OrganizationForwardersPutAwsEvents', {
      StringEquals: { 'aws:PrincipalOrgID': ref('OrganizationId') },
      ArnLike: { 'aws:PrincipalArn': sub(`arn:\${AWS::Partition}:iam::*:role/${FORWARDER_ROLE_PREFIX}*`) },
      StringLike: { 'events:source': 'aws.*' },
    }),
  };
  const sources = customEventSources(controls);
  if (settings.customEventPublishers.length > 0 && sources.length > 0) {
    // aws:PrincipalArn rather than a Principal element: no principal must exist when the policy is
    // written, and a role deleted and created again keeps its access.
    resources.CustomEventPublishersBusPolicy = putEventsPolicy('CustomEventPublishersPutEvents', {
      ArnEquals: { 'aws:PrincipalArn': [...settings.customEventPublishers] },
      StringLike: { 'events:source': sources },
    });
  }
  return resources;
}

/** A statement of the organization bus policy: PutEvents on the bus, for whom the condition admits. */
function putEventsPolicy(statementId: string, condition: Record<string, Json>): Resource {
  return {
    Type: 'AWS::Events::EventBusPolicy',
    Properties: {
      EventBusName: ref('OrganizationEventBus'),
      StatementId: statementId,
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: arnOf('OrganizationEventBus'),
        Condition: condition,
      },
    },
  };
}
