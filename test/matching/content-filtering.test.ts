/**
 * Comparison operators, from the Amazon EventBridge User Guide pages "Content filtering in Amazon
 * EventBridge event patterns" (filter types: prefix, suffix, anything-but, numeric, IP address,
 * exists, equals-ignore-case, wildcard, complex example) and "Comparison operators for use in
 * event patterns" (the summary table). Each describe names its section.
 */
import { compilePattern, matchesPattern } from '../../shared/core/matching';

const envelope = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2017-10-02T18:43:48Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: {} as Record<string, unknown>,
};
const withDetail = (detail: Record<string, unknown>) => ({ ...envelope, detail });

/** Table row: a detail field's value, or `absent` to leave the field out. */
const absent = Symbol('absent');
function eventWith(field: string, value: unknown) {
  return withDetail(value === absent ? { other: 1 } : { [field]: value });
}

// "Prefix matching": {"time": [{"prefix": "2017-10-02"}]}; prefix matching is for string values.
describe('prefix', () => {
  const pattern = { time: [{ prefix: '2017-10-02' }] };
  test.each([
    ['2017-10-02T18:43:48Z', true],
    ['2017-10-02', true],
    ['2017-10-03T18:43:48Z', false],
    ['x2017-10-02', false],
  ])('time %s', (time, expected) => {
    expect(matchesPattern(pattern, { ...envelope, time })).toBe(expected);
  });
  test('does not match numbers', () => {
    expect(matchesPattern({ detail: { n: [{ prefix: '12' }] } }, withDetail({ n: 123 }))).toBe(false);
  });
  // Comparison operators table: Begins with — "Region": [{"prefix": "us-"}].
  test('Region is in the US', () => {
    expect(matchesPattern({ region: [{ prefix: 'us-' }] }, envelope)).toBe(true);
    expect(matchesPattern({ region: [{ prefix: 'us-' }] }, { ...envelope, region: 'eu-west-1' })).toBe(false);
  });
  test('an empty prefix matches every string but not other types', () => {
    expect(matchesPattern({ source: [{ prefix: '' }] }, envelope)).toBe(true);
    expect(matchesPattern({ detail: { n: [{ prefix: '' }] } }, withDetail({ n: 1 }))).toBe(false);
  });
});

// "Prefix matching while ignoring case": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}.
describe('prefix with equals-ignore-case', () => {
  const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
  test.each([
    ['EventBridge', true],
    ['EVENTBRIDGE', true],
    ['eventb', true],
    ['eVeNtBus', true],
    ['Event', false],
    ['xEventB', false],
  ])('service %s', (service, expected) => {
    expect(matchesPattern(pattern, withDetail({ service }))).toBe(expected);
  });
});

// "Suffix matching": {"FileName": [{"suffix": ".png"}]}.
describe('suffix', () => {
  const pattern = { detail: { FileName: [{ suffix: '.png' }] } };
  test.each([
    ['image.png', true],
    ['.png', true],
    ['image.PNG', false],
    ['image.png.bak', false],
  ])('FileName %s', (FileName, expected) => {
    expect(matchesPattern(pattern, withDetail({ FileName }))).toBe(expected);
  });
});

// "Suffix matching while ignoring case": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]};
// summary table: service name ends with "tbridge" in any casing.
describe('suffix with equals-ignore-case', () => {
  test.each([
    ['image.png', true],
    ['image.PNG', true],
    ['image.Png', true],
    ['image.jpg', false],
  ])('FileName %s', (FileName, expected) => {
    expect(matchesPattern({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName }))).toBe(
      expected,
    );
  });
  test('service ends with tbridge, any casing', () => {
    const pattern = { detail: { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] } };
    expect(matchesPattern(pattern, withDetail({ service: 'EVENTBRIDGE' }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ service: 'EventBus' }))).toBe(false);
  });
});

// "Equals-ignore-case matching": {"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]}.
describe('equals-ignore-case', () => {
  const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
  test.each([
    ['EC2 Instance State-change Notification', true],
    ['ec2 instance state-change notification', true],
    ['EC2 INSTANCE STATE-CHANGE NOTIFICATION', true],
    ['EC2 Instance State-change Notification.', false],
    ['EC2 Instance', false],
  ])('detail-type %s', (detailType, expected) => {
    expect(matchesPattern(pattern, { ...envelope, 'detail-type': detailType })).toBe(expected);
  });
  // Summary table: Equals (ignore case) — "Name": [{"equals-ignore-case": "alice"}].
  test('Name is "Alice"', () => {
    expect(matchesPattern({ detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, withDetail({ Name: 'Alice' }))).toBe(true);
  });
  test('regular-expression characters in the value are literal', () => {
    const pattern = { detail: { v: [{ 'equals-ignore-case': 'a.c' }] } };
    expect(matchesPattern(pattern, withDetail({ v: 'A.C' }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ v: 'abc' }))).toBe(false);
  });
});

// "Anything-but matching": strings, numbers, and lists of only strings or only numbers.
describe('anything-but with values', () => {
  test.each([
    // {"detail": {"state": [{"anything-but": "initializing"}]}}
    ['state', 'initializing', 'running', true],
    ['state', 'initializing', 'initializing', false],
    ['state', 'initializing', absent, false],
    ['state', 'initializing', null, true],
    ['state', 'initializing', 12, true],
    ['state', 'initializing', ['initializing', 'running'], true],
    ['state', 'initializing', ['initializing'], false],
    // {"detail": {"x-limit": [{"anything-but": 123}]}}
    ['x-limit', 123, 124, true],
    ['x-limit', 123, 123, false],
    ['x-limit', 123, '123', true],
    // {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}
    ['state', ['stopped', 'overloaded'], 'running', true],
    ['state', ['stopped', 'overloaded'], 'overloaded', false],
    // {"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}
    ['x-limit', [100, 200, 300], 301.8, true],
    ['x-limit', [100, 200, 300], 200, false],
  ])('%s anything-but %j, event value %j', (field, operand, value, expected) => {
    expect(matchesPattern({ detail: { [field]: [{ 'anything-but': operand }] } }, eventWith(field, value))).toBe(expected);
  });
  // Summary table: Not — "Weather": [{"anything-but": ["Raining"]}].
  test('Weather is anything but "Raining"', () => {
    expect(matchesPattern({ detail: { Weather: [{ 'anything-but': ['Raining'] }] } }, withDetail({ Weather: 'Sunny' }))).toBe(true);
    expect(matchesPattern({ detail: { Weather: [{ 'anything-but': ['Raining'] }] } }, withDetail({ Weather: 'Raining' }))).toBe(false);
  });
});

// "Anything-but matching" on a prefix / suffix / ignoring case / using wildcards.
describe('anything-but with an operator', () => {
  test.each([
    // {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}
    ['state', { prefix: 'init' }, 'running', true],
    ['state', { prefix: 'init' }, 'initializing', false],
    ['state', { prefix: 'init' }, 12, true],
    ['state', { prefix: 'init' }, absent, false],
    ['state', { prefix: ['init', 'test'] }, 'post-init', true],
    ['state', { prefix: ['init', 'test'] }, 'testing', false],
    // Summary table: Region is not in the US.
    ['Region', { prefix: 'us-' }, 'eu-west-1', true],
    ['Region', { prefix: 'us-' }, 'us-east-1', false],
    // {"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}}
    ['FileName', { suffix: '.txt' }, 'file.txt.bak', true],
    ['FileName', { suffix: '.txt' }, 'file.txt', false],
    ['FileName', { suffix: ['.txt', '.png'] }, 'file.png', false],
    // {"detail": {"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}}
    ['state', { 'equals-ignore-case': 'initializing' }, 'INITIALIZING', false],
    ['state', { 'equals-ignore-case': 'initializing' }, 'running', true],
    ['state', { 'equals-ignore-case': ['initializing', 'stopped'] }, 'Stopped', false],
    ['state', { 'equals-ignore-case': ['initializing', 'stopped'] }, 'pending', true],
    // {"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}}
    ['FilePath', { wildcard: '*/lib/*' }, '/usr/lib/libc.so', false],
    ['FilePath', { wildcard: '*/lib/*' }, '/usr/bin/env', true],
    ['FilePath', { wildcard: ['*/lib/*', '*/bin/*'] }, '/usr/bin/env', false],
    ['FilePath', { wildcard: ['*/lib/*', '*/bin/*'] }, '/etc/hosts', true],
    ['FilePath', { wildcard: '' }, 'dir/init/file', true],
  ])('%s anything-but %j, event value %j', (field, operand, value, expected) => {
    expect(matchesPattern({ detail: { [field]: [{ 'anything-but': operand }] } }, eventWith(field, value))).toBe(expected);
  });
});

// "Numeric matching": only JSON numbers; ranges; "=" with 3.018e2.
describe('numeric', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };
  test.each([
    [{ 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }, true],
    [{ 'c-count': 0, 'd-count': 3, 'x-limit': 301.8 }, false],
    [{ 'c-count': 6, 'd-count': 3, 'x-limit': 301.8 }, false],
    [{ 'c-count': 0.5, 'd-count': 9.999, 'x-limit': 301.8 }, true],
    [{ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }, false],
    [{ 'c-count': 5, 'd-count': 3, 'x-limit': 301.9 }, false],
    [{ 'c-count': '5', 'd-count': 3, 'x-limit': 301.8 }, false],
    [{ 'c-count': null, 'd-count': 3, 'x-limit': 301.8 }, false],
    [{ 'd-count': 3, 'x-limit': 301.8 }, false],
  ])('detail %j', (detail, expected) => {
    expect(matchesPattern(pattern, withDetail(detail))).toBe(expected);
  });
  test.each([
    // Summary table: Price is 100; more than 10 and at most 20.
    [['=', 100], 100, true],
    [['=', 100], 100.5, false],
    [['>', 10, '<=', 20], 20, true],
    [['>', 10, '<=', 20], 10, false],
    [['>=', 10, '<', 20], 10, true],
    [['>=', 10, '<', 20], 20, false],
    [['>=', -5, '<', 5], -5, true],
    [['>', 5e9 - 1], 5e9, true],
    // Six digits to the right of the decimal point.
    [['=', 0.000001], 0.000001, true],
    [['=', 0.000001], 0.0000012, true],
    [['<', 0.000001], 0.0000005, false],
  ])('Price %j vs %j', (spec, price, expected) => {
    expect(matchesPattern({ detail: { Price: [{ numeric: spec }] } }, withDetail({ Price: price }))).toBe(expected);
  });
  test('an event array matches if any number is in range', () => {
    expect(matchesPattern({ detail: { n: [{ numeric: ['>', 100] }] } }, withDetail({ n: [1, 2, 150] }))).toBe(true);
    expect(matchesPattern({ detail: { n: [{ numeric: ['>', 100] }] } }, withDetail({ n: [1, 2, 50] }))).toBe(false);
  });
});

// "IP address matching": IPv4 and IPv6; {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}.
describe('cidr', () => {
  test.each([
    ['10.0.0.0/24', '10.0.0.0', true],
    ['10.0.0.0/24', '10.0.0.255', true],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.0/24', '10.0.0.256', false],
    ['10.0.0.0/24', '10.0.0.01', false],
    ['10.0.0.0/24', 'not an ip', false],
    ['10.0.0.0/24', '2001:db8::1', false],
    ['10.0.0.0/8', '10.255.1.2', true],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['192.0.2.7/32', '192.0.2.7', true],
    ['192.0.2.7/32', '192.0.2.8', false],
    ['2001:db8::/64', '2001:db8::1', true],
    ['2001:db8::/64', '2001:db8:0:0:ffff::1', true],
    ['2001:db8::/64', '2001:db8:0:1::1', false],
    ['2001:db8:1234:1a00::/64', '2001:0db8:1234:1a00:0000:0000:0000:0000', true],
    ['2001:db8:1234:1a00::/64', '2001:DB8:1234:1A00::ABCD', true],
    ['2001:db8:1234:1a00::/56', '2001:db8:1234:1aff::', true],
    ['2001:db8:1234:1a00::/56', '2001:db8:1234:1b00::', false],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
    ['2001:db8::/64', '10.0.0.1', false],
    ['2001:db8::/64', '2001:db8::1%eth0', false],
    ['2001:db8::/64', '2001:db8:::1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(matchesPattern({ detail: { sourceIPAddress: [{ cidr }] } }, withDetail({ sourceIPAddress: ip }))).toBe(expected);
  });
  test('does not match a number', () => {
    expect(matchesPattern({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, withDetail({ sourceIPAddress: 123 }))).toBe(false);
  });
});

// "Exists matching": presence or absence of a field; only works on leaf nodes.
describe('exists', () => {
  // The documented event for {"detail": {"state": [{"exists": true}]}}.
  const documentedEvent = {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '123456789012',
    time: '2015-11-11T21:29:54Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
    detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
  };
  // ... and the documented event that does NOT match (no detail.state; c-count is an object).
  const withoutState = {
    'detail-type': ['EC2 Instance State-change Notification'],
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
    detail: { 'c-count': { c1: 100 } },
  };

  test('exists: true matches the documented event', () => {
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, documentedEvent)).toBe(true);
  });
  test('exists: true does not match the event without detail.state', () => {
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, withoutState)).toBe(false);
  });
  test('exists: false matches an event without the field', () => {
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, withoutState)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, documentedEvent)).toBe(false);
  });
  test('exists: false matches when the field is an object, which is not a leaf node', () => {
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, withoutState)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, withoutState)).toBe(false);
  });
  test('exists: false matches when an intermediate object is missing', () => {
    expect(
      matchesPattern({ detail: { level1: { level2: { level3: [{ exists: false }] } } } }, withDetail({ level1: { level2: 'l2 value' } })),
    ).toBe(true);
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, { source: 'aws.ec2' })).toBe(true);
  });
  test.each([
    ['null', null, true],
    ['empty string', '', true],
    ['false', false, true],
    ['zero', 0, true],
    ['empty array', [], false],
    ['array of objects', [{ a: 1 }], false],
    ['array with a value', ['x'], true],
  ])('exists: true with a %s value', (_name, value, expected) => {
    expect(matchesPattern({ detail: { f: [{ exists: true }] } }, withDetail({ f: value }))).toBe(expected);
    expect(matchesPattern({ detail: { f: [{ exists: false }] } }, withDetail({ f: value }))).toBe(!expected);
  });
  test('inside an array of objects, exists: true needs one element with the field', () => {
    const event = withDetail({ automations: [{ key1: 'value1' }, { id: 'match-does-exist' }, { key2: 'value2' }] });
    expect(matchesPattern({ detail: { automations: { id: [{ exists: true }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { automations: { nope: [{ exists: true }] } } }, event)).toBe(false);
  });
  test('exists: false fails when the field exists in any element of an event array', () => {
    const event = withDetail({ automations: [{ key1: 'value1' }, { id: 'x' }] });
    expect(matchesPattern({ detail: { automations: { id: [{ exists: false }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { automations: { nope: [{ exists: false }] } } }, event)).toBe(true);
  });
  test('exists: false matches below an empty array or an array of non-objects', () => {
    const pattern = { detail: { items: { name: [{ exists: false }] } } };
    expect(matchesPattern(pattern, withDetail({ items: [] }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ items: ['plain'] }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ items: [{ name: 'n' }] }))).toBe(false);
  });
  test('exists: false in the same array as another value is an alternative', () => {
    const pattern = { detail: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } };
    expect(matchesPattern(pattern, withDetail({ homemade: { N: '789' } }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ homemade: { S: 'tulips' } }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ homemade: { S: 'roses' } }))).toBe(false);
  });
});

// "Matching using wildcards": * matches zero or more characters; \* and \\ are literal.
describe('wildcard', () => {
  test.each([
    ['arn:aws:events:us-east-1:*:event-bus/*', 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus', true],
    ['arn:aws:events:us-east-1:*:event-bus/*', 'arn:aws:events:us-west-2:123456789012:event-bus/myEventBus', false],
    ['dir/*.png', 'dir/bar/foo.png', true],
    ['dir/*.png', 'dir/foo.jpg', false],
    ['*.png', '.png', true],
    ['Simple*Service', 'SimpleNotificationService', true],
    ['Simple*Service', 'SimpleService', true],
    ['Simple*Service', 'SimpleServices', false],
    ['/Users/*/dir/dir/dir/dir/dir/doc.txt', '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*ab', 'aab', true],
    ['ab*ba', 'aba', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['no-star', 'no-star', true],
    ['no-star', 'NO-STAR', false],
    ['2\\*3=6', '2*3=6', true],
    ['2\\*3=6', '2x3=6', false],
    ['C:\\\\*', 'C:\\Windows', true],
    ['\\**', '*anything', true],
    ['\\**', 'anything', false],
  ])('%s vs %s', (wildcard, value, expected) => {
    expect(matchesPattern({ detail: { v: [{ wildcard }] } }, withDetail({ v: value }))).toBe(expected);
  });
  test('does not match numbers', () => {
    expect(matchesPattern({ detail: { v: [{ wildcard: '1*' }] } }, withDetail({ v: 12 }))).toBe(false);
  });
});

// "Complex example with multiple matching".
describe('complex example with multiple matching', () => {
  const pattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
    },
  };
  const detail = { state: 'running', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33' };
  test('all conditions hold', () => {
    expect(matchesPattern(pattern, withDetail(detail))).toBe(true);
  });
  test.each([
    ['time', { ...envelope, time: '2017-10-03T00:00:00Z', detail }],
    ['state', withDetail({ ...detail, state: 'initializing' })],
    ['c-count', withDetail({ ...detail, 'c-count': 6 })],
    ['x-limit', withDetail({ ...detail, 'x-limit': 300 })],
  ])('fails when %s does not hold', (_field, event) => {
    expect(matchesPattern(pattern, event)).toBe(false);
  });
});

// "Comparison operators" summary table: Empty, Equals, Null, Or.
describe('summary table: plain values', () => {
  test('LastName is empty', () => {
    expect(matchesPattern({ detail: { LastName: [''] } }, withDetail({ LastName: '' }))).toBe(true);
    expect(matchesPattern({ detail: { LastName: [''] } }, withDetail({ LastName: 'Doe' }))).toBe(false);
  });
  test('UserID is null', () => {
    expect(matchesPattern({ detail: { UserID: [null] } }, withDetail({ UserID: null }))).toBe(true);
    expect(matchesPattern({ detail: { UserID: [null] } }, withDetail({ UserID: 'u' }))).toBe(false);
  });
  test('PaymentType is "Credit" or "Debit"', () => {
    const pattern = { detail: { PaymentType: ['Credit', 'Debit'] } };
    expect(matchesPattern(pattern, withDetail({ PaymentType: 'Debit' }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ PaymentType: 'Cash' }))).toBe(false);
  });
  test('operators and plain values mix in one array', () => {
    const compiled = compilePattern({ detail: { v: ['exact', { prefix: 'pre-' }, { numeric: ['>', 10] }, null] } });
    expect(['exact', 'pre-x', 11, null, 'other', 10].map((v) => compiled.matches(withDetail({ v })))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
