/**
 * The member-account template (what `npm run package` writes to dist/, pretty and minified): it fits
 * `create-stack-set --template-body` with room to spare, its optional S3 data-events trail is off
 * unless asked for, its forwarder role has the name the organization bus admits, and its rules
 * forward what the controls read.
 */
import { ALL_CONTROLS } from '../../shared/core/controls';
import { AREAS } from '../../shared/core/model/area';
import { buildMemberTemplate } from '../../shared/infra/member-template';
import { controlsByArea, minifiedFileFor } from '../../shared/infra/serverless-config';
import { minifiedJson, PRETTY_LINE_WIDTH, prettyJson } from '../../shared/infra/template-json';
import { bulkEvents, described, labelledEvents, routing, routingCorporaPresent } from '../support/routing';

// biome-ignore lint/suspicious/noExplicitAny: the template is walked as untyped JSON.
type Json = any;

/** `aws cloudformation create-stack-set --template-body`: at most 51,200 bytes (AWS CloudFormation API Reference, CreateStackSet, TemplateBody). */
const TEMPLATE_BODY_MAX_BYTES = 51_200;

const template: Json = buildMemberTemplate(controlsByArea());
const resources: Record<string, Json> = template.Resources;
const rules = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::Events::Rule');

/** Resolves the template's intrinsics the way CloudFormation would for these parameter values. */
function resolve(value: Json, parameters: Record<string, Json>): Json {
  if (Array.isArray(value)) return value.map((item) => resolve(item, parameters)).filter((item) => item !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  if ('Ref' in value) return value.Ref === 'AWS::NoValue' ? NO_VALUE : (parameters[value.Ref] ?? { Ref: value.Ref });
  if ('Fn::Equals' in value) {
    const [a, b] = value['Fn::Equals'].map((item: Json) => resolve(item, parameters));
    return JSON.stringify(a) === JSON.stringify(b);
  }
  if ('Fn::Not' in value) return !resolve(value['Fn::Not'][0], parameters);
  if ('Fn::If' in value) {
    const [condition, then, otherwise] = value['Fn::If'];
    return resolve(conditionHolds(condition, parameters) ? then : otherwise, parameters);
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner, parameters)]));
}
const NO_VALUE = Symbol('AWS::NoValue');
const conditionHolds = (name: string, parameters: Record<string, Json>): boolean => resolve(template.Conditions[name], parameters) === true;
const defaults = (): Record<string, Json> =>
  Object.fromEntries(Object.entries(template.Parameters as Record<string, Json>).map(([name, parameter]) => [name, parameter.Default]));
/** The resources CloudFormation creates for these parameter values, with their properties resolved. */
const created = (parameters: Record<string, Json>) =>
  Object.fromEntries(
    Object.entries(resources)
      .filter(([, resource]) => !resource.Condition || conditionHolds(resource.Condition, parameters))
      .map(([id, resource]) => [id, { ...resource, Properties: resolve(resource.Properties ?? {}, parameters) }]),
  );

describe('member-account template size', () => {
  it('fits create-stack-set --template-body with a fifth to spare, pretty and minified', () => {
    const pretty = Buffer.byteLength(prettyJson(template));
    const minified = Buffer.byteLength(minifiedJson(template));
    const naive = Buffer.byteLength(`${JSON.stringify(template, null, 2)}\n`);
    console.log(
      `member template: ${pretty} B pretty (${((100 * pretty) / TEMPLATE_BODY_MAX_BYTES).toFixed(1)}% of ${TEMPLATE_BODY_MAX_BYTES}), ` +
        `${minified} B minified (${((100 * minified) / TEMPLATE_BODY_MAX_BYTES).toFixed(1)}%); one value per line it would be ${naive} B`,
    );
    expect(pretty).toBeLessThanOrEqual(0.8 * TEMPLATE_BODY_MAX_BYTES);
    expect(minified).toBeLessThanOrEqual(0.8 * TEMPLATE_BODY_MAX_BYTES);
    expect(minified).toBeLessThan(pretty);
  });

  it('writes the same template both ways, the pretty one readable (indented, lines within the width)', () => {
    expect(JSON.parse(prettyJson(template))).toEqual(template);
    expect(JSON.parse(minifiedJson(template))).toEqual(template);
    const lines = prettyJson(template).trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    // A line passes the width only when it holds a single value too long to break (a long string).
    for (const line of lines.filter((l) => l.length > PRETTY_LINE_WIDTH)) expect(line.trim()).toMatch(/^("[^"]*": )?"[^"]*",?$/);
    expect(minifiedJson(template)).not.toMatch(/\n/);
    expect(minifiedFileFor('dist/member-account.template.json')).toBe('dist/member-account.template.min.json');
  });
});

describe('optional S3 data-events trail', () => {
  it('creates nothing beyond the forwarding with the default parameters', () => {
    expect(template.Parameters.S3DataEvents.Default).toBe('none');
    const types = Object.values(created(defaults())).map((resource: Json) => resource.Type);
    expect(types).not.toContain('AWS::CloudTrail::Trail');
    expect([...new Set(types)].sort()).toEqual(['AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy']);
  });

  it('creates, when asked, a trail logging the S3 object writes, for all buckets or the listed ones', () => {
    const trailOf = (parameters: Record<string, Json>) => {
      const trails = Object.values(created({ ...defaults(), S3DataEventsLogBucket: 'org-log-archive', ...parameters })).filter(
        (resource: Json) => resource.Type === 'AWS::CloudTrail::Trail',
      );
      expect(trails).toHaveLength(1);
      return (trails[0] as Json).Properties;
    };
    const all = trailOf({ S3DataEvents: 'all-buckets' });
    expect(all.S3BucketName).toBe('org-log-archive');
    expect(all.IsLogging).toBe(true);
    expect(all.AdvancedEventSelectors).toHaveLength(1);
    expect(all.AdvancedEventSelectors[0].FieldSelectors).toEqual([
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'readOnly', Equals: ['false'] },
    ]);
    const listed = trailOf({ S3DataEvents: 'listed-buckets', S3DataEventsBuckets: ['arn:aws:s3:::payroll/'] });
    expect(listed.AdvancedEventSelectors[0].FieldSelectors).toContainEqual({
      Field: 'resources.ARN',
      StartsWith: ['arn:aws:s3:::payroll/'],
    });
  });
});

describe('forwarder role', () => {
  it('has the fixed, region-suffixed name the organization bus admits, and may only put events on the central bus', () => {
    const role = resources.ForwarderRole.Properties;
    expect(role.RoleName).toEqual({ 'Fn::Sub': 'trailwarden-event-forwarder-${AWS::Region}' });
    expect(role.Policies.flatMap((policy: Json) => policy.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'CentralEventBusArn' } },
    ]);
    for (const [, rule] of rules) expect(rule.Properties.Targets[0].RoleArn).toEqual({ 'Fn::GetAtt': ['ForwarderRole', 'Arn'] });
  });
});

if (!routingCorporaPresent()) {
  describe('member rules on the corpora', () => {
    it('are not measured: the corpora are absent (see test/support/routing.ts)', () => expect(routingCorporaPresent()).toBe(false));
  });
} else {
  describe('member rules on the corpora', () => {
    it('forward every event a control of any area reads', () => {
      const routed = rules.map(([, rule]) => ({ pattern: rule.Properties.EventPattern, state: rule.Properties.State }));
      const result = routing(ALL_CONTROLS, routed, [...labelledEvents(), ...bulkEvents()]);
      expect(result.needed).toBeGreaterThan(AREAS.length);
      expect(result.missed.map(described)).toEqual([]);
    });
  });
}
