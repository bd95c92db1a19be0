/**
 * The EventBridge rules that deliver events to the area functions, on the account's default bus and
 * on the organization bus the member accounts forward to, with the bus itself and the policy that
 * admits the organization's accounts. The patterns come from the control registry (rule-patterns.ts).
 */
import type { Area } from '../core/model/area';
import type { Control, EventPattern } from '../core/model/control';
import { arnOf, capitalized, functionLogicalId, type Json, type Resource, ref, sub } from './cloudformation';
import { DEFAULT_MAX_PATTERN_CHARS, needsReadOnlyManagementEvents, rulePatternsFor } from './rule-patterns';

/** EventBridge: rules per event bus whose patterns may use `wildcard` filters (not adjustable). */
export const MAX_WILDCARD_RULES_PER_BUS = 30;
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

/** The organization bus, on which the accounts of the organization (the OrganizationId parameter) may put events. */
export function organizationBusResources(): Record<string, Resource> {
  return {
    OrganizationEventBus: { Type: 'AWS::Events::EventBus', Properties: { Name: sub('${AWS::StackName}-organization') } },
    OrganizationEventBusPolicy: {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: ref('OrganizationEventBus'),
        StatementId: 'OrganizationAccountsPutEvents',
        Statement: {
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: arnOf('OrganizationEventBus'),
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ref('OrganizationId') } },
        },
      },
    },
  };
}
