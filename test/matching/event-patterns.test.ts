/**
 * Structure of event patterns, from the Amazon EventBridge User Guide pages "Creating event
 * patterns" / "Amazon EventBridge event patterns", "Matching null values and empty strings" and
 * "Arrays in Amazon EventBridge event patterns". Events and patterns are the documentation's own
 * examples where it gives them; the top level of every event is the whole EventBridge envelope.
 */
import { compilePattern, matchesPattern } from '../../shared/core/matching';

// "Amazon EventBridge event patterns": the example event from Amazon EC2.
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

// "Amazon EventBridge event patterns" — the instance-termination pattern and "Create event patterns".
describe('event patterns: the EC2 instance-termination example', () => {
  const pattern = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  test.each([
    ['the documented event', ec2Event, true],
    ['another state', withDetail({ 'instance-id': 'i-1', state: 'running' }), false],
    ['another source', { ...ec2Event, source: 'aws.fargate' }, false],
    ['another detail-type', { ...ec2Event, 'detail-type': 'EC2 Spot Instance Interruption Warning' }, false],
    ['state missing', withDetail({ 'instance-id': 'i-1' }), false],
    ['detail missing', { ...ec2Event, detail: undefined }, false],
    ['state at the wrong nesting level', { ...ec2Event, state: 'terminated', detail: {} }, false],
    ['extra fields are ignored ("*": "*")', { ...ec2Event, extra: { deep: [1, 2] }, detail: { ...ec2Event.detail, more: 'x' } }, true],
  ])('%s', (_name, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  test('field names are case-sensitive', () => {
    expect(matchesPattern({ Source: ['aws.ec2'] }, ec2Event)).toBe(false);
  });

  test('strings match character by character, without case folding', () => {
    expect(matchesPattern({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
    expect(matchesPattern({ source: ['aws.ec2 '] }, ec2Event)).toBe(false);
  });
});

// "Create event patterns" > "Match Values": multiple values in the array are OR.
describe('match values: several values in one array are alternatives', () => {
  const pattern = { source: ['aws.ec2', 'aws.fargate'] };
  test.each([
    ['aws.ec2', true],
    ['aws.fargate', true],
    ['aws.s3', false],
  ])('source %s', (source, expected) => {
    expect(matchesPattern(pattern, { ...ec2Event, source })).toBe(expected);
  });
});

// "Comparison operators" table: And — `"Location": ["New York"], "Day": ["Monday"]`.
describe('And: every field of the pattern must match', () => {
  const pattern = { detail: { Location: ['New York'], Day: ['Monday'] } };
  test.each([
    [{ Location: 'New York', Day: 'Monday' }, true],
    [{ Location: 'New York', Day: 'Tuesday' }, false],
    [{ Location: 'Boston', Day: 'Monday' }, false],
    [{ Location: 'New York' }, false],
  ])('%j', (detail, expected) => {
    expect(matchesPattern(pattern, withDetail(detail))).toBe(expected);
  });
});

// "Example events and event patterns" > "Value matching": the Macie alert (risk-score 80, trigger.risk 8).
describe('value matching: numbers and nested objects (Macie alert example)', () => {
  const macie = {
    version: '0',
    id: '3e355723-fca9-4de3-9fd7-154c289d6b59',
    'detail-type': 'Macie Alert',
    source: 'aws.macie',
    account: '123456789012',
    time: '2017-04-24T22:28:49Z',
    region: 'us-east-1',
    resources: [
      'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id',
      'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
    ],
    detail: {
      'notification-type': 'ALERT_CREATED',
      name: 'Scanning bucket policies',
      tags: ['Custom_Alert', 'Insider'],
      'risk-score': 80,
      trigger: { 'alert-type': 'basic', risk: 8 },
    },
  };
  const pattern = {
    source: ['aws.macie'],
    'detail-type': ['Macie Alert'],
    detail: { 'risk-score': [80], trigger: { risk: [8] } },
  };

  test('the documented pattern matches', () => {
    expect(matchesPattern(pattern, macie)).toBe(true);
  });
  test('a different nested number does not', () => {
    expect(matchesPattern(pattern, { ...macie, detail: { ...macie.detail, trigger: { risk: 9 } } })).toBe(false);
  });
  test('a number pattern does not match the same digits as a string (values follow JSON rules)', () => {
    expect(matchesPattern({ detail: { 'risk-score': ['80'] } }, macie)).toBe(false);
    expect(matchesPattern({ detail: { 'risk-score': [80] } }, { ...macie, detail: { 'risk-score': '80' } })).toBe(false);
  });
  test('a string array in the event matches a string in the pattern (tags)', () => {
    expect(matchesPattern({ detail: { tags: ['Insider'] } }, macie)).toBe(true);
  });
});

// "Create event patterns": true, false and null are JSON keywords, matched by type.
describe('booleans and type sensitivity', () => {
  test.each([
    [[true], true, true],
    [[true], false, false],
    [[false], false, true],
    [[true], 'true', false],
    [['true'], true, false],
    [[5], '5', false],
    [[5], 5, true],
    [[0], false, false],
    [[null], 0, false],
  ])('pattern %j vs event value %j', (values, value, expected) => {
    expect(matchesPattern({ detail: { flag: values } }, withDetail({ flag: value }))).toBe(expected);
  });

  // "For numbers, EventBridge uses string representation": once JSON is parsed, 300 and 300.0 are
  // the same JavaScript number, so they compare equal here (see the module notes).
  test('numbers compare by value after JSON parsing (300 and 300.0 parse alike)', () => {
    expect(matchesPattern({ detail: { n: [300] } }, JSON.parse('{"detail":{"n":300.0}}'))).toBe(true);
    expect(matchesPattern({ detail: { n: [300] } }, withDetail({ n: 301 }))).toBe(false);
  });
});

// "Matching null values and empty strings": the Auto Scaling example event.
describe('null values and empty strings', () => {
  const autoscaling = {
    version: '0',
    id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    account: '123456789012',
    time: '2015-11-11T21:31:47Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  test('[""] matches an empty string', () => {
    expect(matchesPattern({ detail: { eventVersion: [''] } }, autoscaling)).toBe(true);
  });
  test('[null] matches a null value', () => {
    expect(matchesPattern({ detail: { responseElements: [null] } }, autoscaling)).toBe(true);
  });
  test('null and empty strings are not interchangeable', () => {
    expect(matchesPattern({ detail: { responseElements: [''] } }, autoscaling)).toBe(false);
    expect(matchesPattern({ detail: { eventVersion: [null] } }, autoscaling)).toBe(false);
  });
  test('[null] does not match a missing field', () => {
    expect(matchesPattern({ detail: { missing: [null] } }, autoscaling)).toBe(false);
  });
  test('[null] does not match an empty array', () => {
    expect(matchesPattern({ resources: [null] }, autoscaling)).toBe(false);
  });
  test('the full documented field-matching pattern', () => {
    const pattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };
    expect(matchesPattern(pattern, autoscaling)).toBe(true);
  });
});

// "Arrays in Amazon EventBridge event patterns".
describe('arrays: the pattern matches when the event array and the pattern array intersect', () => {
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  test('the documented event (second item matches the first pattern item)', () => {
    const event = {
      ...ec2Event,
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesPattern(pattern, event)).toBe(true);
  });
  test('no common item', () => {
    expect(matchesPattern(pattern, { ...ec2Event, resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] })).toBe(false);
  });
  test('an empty event array matches no value', () => {
    expect(matchesPattern(pattern, { ...ec2Event, resources: [] })).toBe(false);
  });
  test('operators apply to each element of an event array', () => {
    expect(matchesPattern({ resources: [{ prefix: 'arn:aws:ec2:' }] }, ec2Event)).toBe(true);
    expect(matchesPattern({ resources: [{ prefix: 'arn:aws:s3:' }] }, ec2Event)).toBe(false);
  });
  test('nested fields reach into arrays of objects', () => {
    const event = withDetail({ items: [{ name: 'a' }, { name: 'b' }] });
    expect(matchesPattern({ detail: { items: { name: ['b'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { items: { name: ['c'] } } }, event)).toBe(false);
  });
  test('fields of one nested pattern object must come from the same array element', () => {
    const event = withDetail({
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    });
    expect(matchesPattern({ detail: { employees: { firstName: ['Anna'], lastName: ['Smith'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } }, event)).toBe(false);
  });
});

// "Considerations when creating event patterns": keys are joined with dots when patterns compile,
// so {"detail": {"state": ...}} and {"detail.state": ...} are treated as identical.
describe('dot-joined keys', () => {
  test('a dotted pattern key matches a nested event field', () => {
    expect(matchesPattern({ 'detail.state': ['terminated'] }, ec2Event)).toBe(true);
    expect(matchesPattern({ 'detail.state': ['running'] }, ec2Event)).toBe(false);
  });
  test('a nested pattern matches a dotted event key', () => {
    const event = { ...ec2Event, detail: { 'state.status': 'running' } };
    expect(matchesPattern({ detail: { state: { status: ['running'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: { status: ['stopped'] } } }, event)).toBe(false);
  });
  test('dotted and nested spellings of different fields combine', () => {
    expect(matchesPattern({ 'detail.state': ['terminated'], detail: { 'instance-id': ['i-1234567890abcdef0'] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ 'detail.state': ['terminated'], detail: { 'instance-id': ['i-other'] } }, ec2Event)).toBe(false);
  });
});

describe('events that are not JSON objects match nothing', () => {
  const compiled = compilePattern({ detail: { state: [{ exists: false }] } });
  test.each([[null], [undefined], ['{"detail":{}}'], [42], [[ec2Event]]])('%j', (event) => {
    expect(compiled.matches(event)).toBe(false);
  });
  test('while an object event without the field does match exists:false', () => {
    expect(compiled.matches({ source: 'x' })).toBe(true);
  });
});

describe('inherited property names are not event fields', () => {
  test.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('%s', (name) => {
    expect(matchesPattern({ detail: { [name]: [{ exists: true }] } }, withDetail({}))).toBe(false);
    expect(matchesPattern({ detail: { [name]: [{ exists: false }] } }, withDetail({}))).toBe(true);
  });
  test('an own field with such a name is read', () => {
    expect(matchesPattern({ detail: { constructor: ['x'] } }, JSON.parse('{"detail":{"constructor":"x"}}'))).toBe(true);
  });
});
