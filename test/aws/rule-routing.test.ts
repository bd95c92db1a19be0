/**
 * The EventBridge rules generated from the controls (rule-patterns.ts) select what the controls
 * read, and little else: within EventBridge's quotas, every event a control's pattern matches
 * reaches a rule of its area (state included), and on real CloudTrail traffic the rules pass few
 * events no control reads. These rules decide what invokes a function and, across accounts, what is
 * billed.
 */
import { ALL_CONTROLS } from '../../shared/core/controls';
import { compilePattern, matchesPattern } from '../../shared/core/matching';
import { AREAS, type Area } from '../../shared/core/model/area';
import type { Control, EventPattern } from '../../shared/core/model/control';
import { MAX_RULES_PER_BUS, MAX_WILDCARD_RULES_PER_BUS, ruleStateFor } from '../../shared/infra/event-rules';
import {
  alternativesOf,
  DEFAULT_MAX_PATTERN_CHARS,
  needsReadOnlyManagementEvents,
  rulePatternsFor,
} from '../../shared/infra/rule-patterns';
import { MAINTENANCE_SCHEDULES } from '../../shared/infra/schedules';
import { areaRules } from '../../shared/infra/stack';
import {
  bulkEvents,
  described,
  labelledEvents,
  ROUTING_CORPORA,
  type RoutedRule,
  routing,
  routingCorporaPresent,
} from '../support/routing';

const byArea = (area: Area): Control[] => ALL_CONTROLS.filter((control) => control.area === area);
const hasWildcard = (pattern: EventPattern) => JSON.stringify(pattern).includes('"wildcard"');
/** Every area's rules (the same on the default bus and on the organization bus). */
const rulesByArea = new Map(AREAS.map((area) => [area, areaRules(byArea(area))]));
/** The member template forwards what every control reads. */
const memberRules: RoutedRule[] = rulePatternsFor(ALL_CONTROLS).map((pattern) => ({ pattern, state: ruleStateFor(pattern) }));
const allAreaRules = [...rulesByArea.values()].flat();

describe('generated rules within EventBridge quotas', () => {
  it('keeps every pattern within the 2,048-character pattern quota and the $or limits PutRule enforces', () => {
    for (const [name, rules] of [...rulesByArea.entries(), ['member', memberRules] as const]) {
      for (const { pattern } of rules) {
        expect(`${name}: ${JSON.stringify(pattern).length}`).toMatch(/: \d+$/);
        expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(DEFAULT_MAX_PATTERN_CHARS);
        expect(() => compilePattern(pattern)).not.toThrow(); // at most 1000 $or combinations, every $or with 2+ alternatives
      }
    }
  });

  it('puts on each bus at most half the rules it may have, and far fewer wildcard rules than allowed', () => {
    // Rules per bus: 100 by default in af-south-1 and eu-south-1, 300 elsewhere (EventBridge User
    // Guide, "Amazon EventBridge quotas", Number of rules); half left to the account's own rules.
    const onOrganizationBus = allAreaRules.length;
    const onDefaultBus = allAreaRules.length + MAINTENANCE_SCHEDULES.length; // the schedules are rules of the default bus
    const onMemberBus = memberRules.length;
    const wildcard = {
      default: allAreaRules.filter((rule) => hasWildcard(rule.pattern)).length,
      member: memberRules.filter((rule) => hasWildcard(rule.pattern)).length,
    };
    console.log(
      `rules per bus: default ${onDefaultBus} (schedules included), organization ${onOrganizationBus}, member ${onMemberBus}; ` +
        `wildcard rules: stack buses ${wildcard.default} each, member ${wildcard.member}; longest pattern ` +
        `${Math.max(...[...allAreaRules, ...memberRules].map((rule) => JSON.stringify(rule.pattern).length))} characters`,
    );
    for (const count of [onDefaultBus, onOrganizationBus, onMemberBus]) expect(count).toBeLessThanOrEqual(MAX_RULES_PER_BUS / 2);
    for (const count of Object.values(wildcard)) expect(count).toBeLessThanOrEqual(MAX_WILDCARD_RULES_PER_BUS / 3);
  });
});

describe('rule states', () => {
  it('asks for read-only management events exactly when an $or alternative names one or names no event', () => {
    const write = { source: ['aws.iam'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['CreateUser'] } };
    const read = { source: ['aws.ssm'], detail: { eventName: ['GetParameter'] } };
    const anyCall = { detail: { errorCode: [{ prefix: 'AccessDenied' }] } };
    const service = { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] };
    expect(needsReadOnlyManagementEvents({ $or: [write, service] })).toBe(false);
    expect(needsReadOnlyManagementEvents({ 'detail-type': ['AWS API Call via CloudTrail'], $or: [write, read] })).toBe(true);
    expect(
      needsReadOnlyManagementEvents({ 'detail-type': ['AWS API Call via CloudTrail'], detail: { $or: [anyCall.detail, write.detail] } }),
    ).toBe(true);
    expect(alternativesOf({ source: ['a'], $or: [{ detail: { x: [1] } }, { detail: { y: [2] } }] })).toEqual([
      { source: ['a'], detail: { x: [1] } },
      { source: ['a'], detail: { y: [2] } },
    ]);
  });

  it('keeps plain ENABLED the rules that need no read-only event', () => {
    const states = allAreaRules.map((rule) => rule.state);
    expect(states).toContain('ENABLED');
    expect(states).toContain('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });
});

describe('rule pattern generation', () => {
  const control = (id: string, patterns: EventPattern[]): Control =>
    ({ ...byArea('iam')[0], id, patterns, resolution: undefined }) as Control;
  const call = (source: string, names: string[], extra: Record<string, unknown> = {}) => ({
    source: [`aws.${source}`],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: [`${source}.amazonaws.com`], eventName: names, errorCode: [{ exists: false }, ''], ...extra },
  });

  it('keeps the finer conditions of the controls: the caller type, the request fields', () => {
    const secretRead = call('secretsmanager', ['GetSecretValue'], { userIdentity: { type: ['IAMUser'] } });
    const [rule] = rulePatternsFor([control('a', [secretRead])]);
    const event = (type: string) => ({
      source: 'aws.secretsmanager',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', userIdentity: { type } },
    });
    expect(matchesPattern(rule, event('IAMUser'))).toBe(true);
    expect(matchesPattern(rule, event('AssumedRole'))).toBe(false);
  });

  it('merges patterns that differ in one field and drops patterns another covers', () => {
    const rules = rulePatternsFor([
      control('a', [call('ec2', ['RunInstances'])]),
      control('b', [call('ec2', ['TerminateInstances'])]),
      control('c', [call('ec2', ['RunInstances'], { requestParameters: { x: [{ exists: true }] } })]),
    ]);
    expect(rules).toEqual([
      {
        source: ['aws.ec2'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventName: ['RunInstances', 'TerminateInstances'], errorCode: ['', { exists: false }] },
      },
    ]);
  });

  it('splits what does not fit in one pattern, each part within the limit', () => {
    const names = Array.from({ length: 120 }, (_, i) => `CreateSomething${i}`);
    const rules = rulePatternsFor([control('a', [call('ec2', names)])], 600);
    expect(rules.length).toBeGreaterThan(1);
    for (const rule of rules) expect(JSON.stringify(rule).length).toBeLessThanOrEqual(600);
    const routed = names.filter((name) =>
      rules.some((rule) =>
        matchesPattern(rule, { source: 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: name } }),
      ),
    );
    expect(routed).toEqual(names);
  });
});

if (!routingCorporaPresent()) {
  describe('rule routing on the corpora', () => {
    it(`is not measured: the corpora are absent (${ROUTING_CORPORA})`, () => {
      console.warn(`corpora not found (${ROUTING_CORPORA}): routing not measured`);
      expect(routingCorporaPresent()).toBe(false);
    });
  });
} else {
  describe('rule routing on the corpora', () => {
    const labelled = labelledEvents();
    const bulk = bulkEvents();

    it('reads both corpora', () => {
      expect(labelled.length).toBeGreaterThan(500);
      expect(bulk.length).toBeGreaterThan(2800);
    });

    it('delivers to each area every event one of its controls reads (rule state included)', () => {
      for (const area of AREAS) {
        const result = routing(byArea(area), rulesByArea.get(area) ?? [], [...labelled, ...bulk]);
        expect(result.needed).toBeGreaterThan(0);
        expect(`${area}: ${result.missed.map(described).join('; ')}`).toBe(`${area}: `);
      }
    });

    it('forwards from member accounts every event a control reads', () => {
      const result = routing(ALL_CONTROLS, memberRules, [...labelled, ...bulk]);
      expect(result.missed.map(described)).toEqual([]);
    });

    it('passes, on real CloudTrail traffic, few events no control reads (at least 90% of what the rules pass is read)', () => {
      const stack = routing(ALL_CONTROLS, allAreaRules, bulk);
      const member = routing(ALL_CONTROLS, memberRules, bulk);
      const precision = (result: typeof stack) => result.needed / result.routed;
      console.log(
        `bulk sample (${bulk.length} events): controls read ${stack.needed}; the area rules pass ${stack.routed} ` +
          `(precision ${precision(stack).toFixed(3)}), the member rules forward ${member.routed} (precision ${precision(member).toFixed(3)})`,
      );
      expect(stack.needed).toBeGreaterThan(50);
      expect(precision(stack)).toBeGreaterThanOrEqual(0.9);
      expect(precision(member)).toBeGreaterThanOrEqual(0.9);
    });
  });
}
