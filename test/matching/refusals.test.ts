/**
 * Patterns EventBridge refuses (PutRule / TestEventPattern answer InvalidEventPatternException),
 * from the Amazon EventBridge User Guide: "Creating event patterns" (a pattern is JSON; values to
 * match are in JSON arrays), "Arrays in Amazon EventBridge event patterns" (each field holds an
 * array of one or more values), "Content filtering in Amazon EventBridge event patterns" and
 * "Comparison operators for use in event patterns" (operand types per operator; wildcard escapes;
 * anything-but lists of only strings or only numbers; numeric ranges; CIDR; `$or`).
 * Every refusal must name the key path of the offending part.
 */
import { compilePattern, InvalidPatternError } from '../../shared/core/matching';

function refusal(pattern: unknown): InvalidPatternError {
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidPatternError) return error;
    throw error;
  }
  throw new Error(`pattern was accepted: ${JSON.stringify(pattern)}`);
}

type Case = [name: string, pattern: unknown, path: string, reason: RegExp];

function check(cases: Case[]): void {
  test.each(cases)('%s', (_name, pattern, path, reason) => {
    const error = refusal(pattern);
    expect(error.name).toBe('InvalidPatternError');
    expect(error.path).toBe(path);
    expect(error.message).toBe(`${path}: ${error.reason}`);
    expect(error.reason).toMatch(reason);
  });
}

// "Creating event patterns": an event pattern is a JSON object.
describe('the pattern itself', () => {
  check([
    ['null', null, '(root)', /must be a JSON object/],
    ['an array', ['not', 'a', 'dict'], '(root)', /must be a JSON object/],
    ['a string', '{"source": ["aws.ec2"]}', '(root)', /must be a JSON object/],
    ['a number', 42, '(root)', /must be a JSON object/],
    ['a Date', new Date(0), '(root)', /must be a JSON object/],
    ['an empty object', {}, '(root)', /at least one field/],
  ]);
});

// "Match values": the value to match is in a JSON array; otherwise the field holds nested fields.
describe('field values', () => {
  check([
    ['a bare number', { int: 42 }, 'int', /must be an object or an array/],
    ['a bare string', { string: 'my-value' }, 'string', /must be an object or an array/],
    ['a bare string, nested', { detail: { eventName: 'CreateUser' } }, 'detail.eventName', /must be an object or an array/],
    ['null', { detail: { x: null } }, 'detail.x', /must be an object or an array, not null/],
    ['a boolean', { detail: { x: true } }, 'detail.x', /must be an object or an array/],
    ['undefined', { detail: { x: undefined } }, 'detail.x', /must be an object or an array/],
    ['an empty array', { resources: [] }, 'resources', /empty arrays are not allowed/],
    ['an empty array, nested', { detail: { eventName: [] } }, 'detail.eventName', /empty arrays are not allowed/],
    ['an empty nested object', { source: ['aws.ec2'], detail: {} }, 'detail', /at least one field/],
    ['a nested array value', { detail: { x: [['a']] } }, 'detail.x[0]', /string, number, true, false, null or an operator object/],
    ['NaN', { detail: { x: [Number.NaN] } }, 'detail.x[0]', /not a JSON number/],
    ['Infinity', { detail: { x: [Infinity] } }, 'detail.x[0]', /not a JSON number/],
    ['an unknown operator', { detail: { x: [{ contains: 'a' }] } }, 'detail.x[0].contains', /unrecognized match type "contains"/],
    ['operator names are case-sensitive', { my_key: [{ EXISTS: true }] }, 'my_key[0].EXISTS', /unrecognized match type "EXISTS"/],
    ['NUMERIC', { detail: { equal: [{ NUMERIC: ['=', 5] }] } }, 'detail.equal[0].NUMERIC', /unrecognized match type/],
    ['two operators in one object', { x: [{ prefix: 'a', suffix: 'b' }] }, 'x[0]', /exactly one operator, found 2/],
    ['an empty operator object', { x: [{}] }, 'x[0]', /exactly one operator, found 0/],
    ['a second entry is checked too', { x: ['ok', { prefix: 1 }] }, 'x[1].prefix', /prefix match pattern must be a string/],
  ]);
});

// "Prefix matching" / "Suffix matching" / "Equals-ignore-case matching": string operands.
describe('prefix, suffix, equals-ignore-case', () => {
  check([
    [
      'prefix with a number',
      { detail: { eventName: [{ prefix: 5 }] } },
      'detail.eventName[0].prefix',
      /prefix match pattern must be a string/,
    ],
    ['prefix with a list', { time: [{ prefix: ['2022-07-13'] }] }, 'time[0].prefix', /prefix match pattern must be a string/],
    ['prefix with another operator', { time: [{ prefix: { wildcard: '2022*' } }] }, 'time[0].prefix', /prefix match pattern/],
    [
      'prefix ignore-case with a number',
      { s: [{ prefix: { 'equals-ignore-case': 1 } }] },
      's[0].prefix.equals-ignore-case',
      /must be a string/,
    ],
    ['suffix with a number', { FileName: [{ suffix: 123 }] }, 'FileName[0].suffix', /suffix match pattern must be a string/],
    ['suffix with a list', { FileName: [{ suffix: ['.png'] }] }, 'FileName[0].suffix', /suffix match pattern must be a string/],
    [
      'equals-ignore-case with a list',
      { 'detail-type': [{ 'equals-ignore-case': ['ec2'] }] },
      'detail-type[0].equals-ignore-case',
      /equals-ignore-case match pattern must be a string/,
    ],
    [
      'equals-ignore-case with an object',
      { 'detail-type': [{ 'equals-ignore-case': { prefix: 'ec2' } }] },
      'detail-type[0].equals-ignore-case',
      /must be a string/,
    ],
    ['equals-ignore-case with null', { x: [{ 'equals-ignore-case': null }] }, 'x[0].equals-ignore-case', /must be a string, not null/],
  ]);
});

// "Matching using wildcards": string only; \ escapes only * and \; no consecutive wildcards.
describe('wildcard', () => {
  check([
    ['a number', { EventBusArn: [{ wildcard: 123 }] }, 'EventBusArn[0].wildcard', /wildcard match pattern must be a string/],
    ['a list', { EventBusArn: [{ wildcard: ['*'] }] }, 'EventBusArn[0].wildcard', /wildcard match pattern must be a string/],
    [
      'consecutive wildcards',
      { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] },
      'EventBusArn[0].wildcard',
      /consecutive wildcard characters at position 26/,
    ],
    ['a backslash before another character', { p: [{ wildcard: 'a\\b*' }] }, 'p[0].wildcard', /may only escape \* or \\/],
    ['a trailing backslash', { p: [{ wildcard: 'abc\\' }] }, 'p[0].wildcard', /lone backslash/],
  ]);
});

// "Anything-but matching": strings or numbers, lists of only strings or only numbers, or an
// object with prefix / suffix / equals-ignore-case / wildcard.
describe('anything-but', () => {
  check([
    ['null', { state: [{ 'anything-but': null }] }, 'state[0].anything-but', /anything-but must be/],
    ['a boolean', { state: [{ 'anything-but': true }] }, 'state[0].anything-but', /anything-but must be/],
    ['an empty list', { state: [{ 'anything-but': [] }] }, 'state[0].anything-but', /empty arrays are not allowed/],
    ['a mixed list', { state: [{ 'anything-but': ['stopped', 1] }] }, 'state[0].anything-but', /only strings or only numbers/],
    ['a list with null', { state: [{ 'anything-but': ['stopped', null] }] }, 'state[0].anything-but', /only strings or only numbers/],
    ['an unknown inner operator', { state: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'state[0].anything-but', /anything-but must be/],
    ['two inner operators', { state: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] }, 'state[0].anything-but', /anything-but must be/],
    ['an empty prefix', { FileName: [{ 'anything-but': { prefix: '' } }] }, 'FileName[0].anything-but.prefix', /must not be empty/],
    ['an empty suffix', { FileName: [{ 'anything-but': { suffix: '' } }] }, 'FileName[0].anything-but.suffix', /must not be empty/],
    ['a numeric prefix', { state: [{ 'anything-but': { prefix: 123 } }] }, 'state[0].anything-but.prefix', /must be a string/],
    [
      'a prefix list with a number',
      { state: [{ 'anything-but': { prefix: [123, 'test'] } }] },
      'state[0].anything-but.prefix[0]',
      /must be a string/,
    ],
    [
      'a suffix list with a number',
      { f: [{ 'anything-but': { suffix: ['.txt', 123] } }] },
      'f[0].anything-but.suffix[1]',
      /must be a string/,
    ],
    [
      'prefix with equals-ignore-case',
      { f: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'file' } } }] },
      'f[0].anything-but.prefix',
      /must be a string/,
    ],
    [
      'suffix with equals-ignore-case',
      { f: [{ 'anything-but': { suffix: { 'equals-ignore-case': '.png' } } }] },
      'f[0].anything-but.suffix',
      /must be a string/,
    ],
    [
      'equals-ignore-case with a number',
      { state: [{ 'anything-but': { 'equals-ignore-case': 123 } }] },
      'state[0].anything-but.equals-ignore-case',
      /must be a string/,
    ],
    [
      'equals-ignore-case with numbers',
      { state: [{ 'anything-but': { 'equals-ignore-case': [123, 456] } }] },
      'state[0].anything-but.equals-ignore-case[0]',
      /must be a string/,
    ],
    [
      'wildcard with a number',
      { FilePath: [{ 'anything-but': { wildcard: 123 } }] },
      'FilePath[0].anything-but.wildcard',
      /must be a string/,
    ],
    [
      'wildcard list with a number',
      { state: [{ 'anything-but': { wildcard: [123, '*/dir/*'] } }] },
      'state[0].anything-but.wildcard[0]',
      /must be a string/,
    ],
    [
      'invalid wildcard inside anything-but',
      { p: [{ 'anything-but': { wildcard: ['ok*', 'a**'] } }] },
      'p[0].anything-but.wildcard[1]',
      /consecutive wildcard/,
    ],
  ]);
});

// "Numeric matching": JSON numbers within -5.0e9..+5.0e9; [op, n] or [>|>=, low, <|<=, high].
describe('numeric', () => {
  check([
    ['not an array', { c: [{ numeric: '>5' }] }, 'c[0].numeric', /numeric expects/],
    ['empty', { c: [{ numeric: [] }] }, 'c[0].numeric', /numeric expects/],
    ['an operator without a value', { c: [{ numeric: ['>'] }] }, 'c[0].numeric', /numeric expects/],
    ['three entries', { c: [{ numeric: ['>', 0, '<'] }] }, 'c[0].numeric', /numeric expects/],
    ['five entries', { c: [{ numeric: ['>', 0, '<', 5, 6] }] }, 'c[0].numeric', /numeric expects/],
    ['a string value', { c: [{ numeric: ['<', '5'] }] }, 'c[0].numeric', /value of < must be a number/],
    ['a string upper value', { c: [{ numeric: ['>', 0, '<=', '5'] }] }, 'c[0].numeric', /value of <= must be a number/],
    ['an unknown operator', { c: [{ numeric: ['==', 5] }] }, 'c[0].numeric', /unrecognized numeric operator "=="/],
    [
      'two lower bounds',
      { detail: { 'c-count': [{ numeric: ['>', 0, '>', 0] }] } },
      'detail.c-count[0].numeric',
      /bad numeric range operator >/,
    ],
    ['upper bound first', { c: [{ numeric: ['<', 10, '>', 0] }] }, 'c[0].numeric', /bad numeric range operator </],
    ['= in a range', { c: [{ numeric: ['=', 5, '<', 10] }] }, 'c[0].numeric', /bad numeric range operator =/],
    ['an empty range', { c: [{ numeric: ['>', 5, '<', 5] }] }, 'c[0].numeric', /lower bound must be less than its upper bound/],
    ['a reversed range', { c: [{ numeric: ['>=', 10, '<=', 1] }] }, 'c[0].numeric', /lower bound must be less/],
    ['above +5.0e9', { c: [{ numeric: ['>', 6e9] }] }, 'c[0].numeric', /outside the numeric range/],
    ['below -5.0e9', { c: [{ numeric: ['>=', -5.1e9, '<', 0] }] }, 'c[0].numeric', /outside the numeric range/],
  ]);
  test('the limits themselves are accepted', () => {
    expect(() => compilePattern({ c: [{ numeric: ['>=', -5e9, '<=', 5e9] }] })).not.toThrow();
  });
});

// "Exists matching": true or false.
describe('exists', () => {
  check([
    ['a string', { s: [{ exists: 'true' }] }, 's[0].exists', /exists must be true or false/],
    ['a number', { s: [{ exists: 1 }] }, 's[0].exists', /exists must be true or false/],
    ['null', { s: [{ exists: null }] }, 's[0].exists', /exists must be true or false, not null/],
  ]);
});

// "IP address matching": a CIDR block, IPv4 or IPv6.
describe('cidr', () => {
  check([
    ['a list', { ip: [{ cidr: ['10.0.0.0/24'] }] }, 'ip[0].cidr', /cidr must be a string/],
    ['a number', { ip: [{ cidr: 10 }] }, 'ip[0].cidr', /cidr must be a string/],
    ['no mask', { ip: [{ cidr: '10.0.0.0' }] }, 'ip[0].cidr', /exactly one '\/' is required/],
    ['two slashes', { ip: [{ cidr: '10.0.0.0/24/8' }] }, 'ip[0].cidr', /exactly one '\/'/],
    ['a non-numeric mask', { ip: [{ cidr: 'bad-/64filter' }] }, 'ip[0].cidr', /mask bits must be an integer/],
    ['an empty mask', { ip: [{ cidr: '10.0.0.0/' }] }, 'ip[0].cidr', /mask bits must be an integer/],
    ['a bad IPv4 address', { ip: [{ cidr: 'xx.11.xx/8' }] }, 'ip[0].cidr', /nonstandard IP address "xx.11.xx"/],
    ['an IPv4 octet over 255', { ip: [{ cidr: '10.0.0.256/24' }] }, 'ip[0].cidr', /nonstandard IP address/],
    ['an IPv4 mask over 32', { ip: [{ cidr: '10.0.0.0/33' }] }, 'ip[0].cidr', /IPv4 mask is 0 to 32 bits/],
    ['a bad IPv6 address', { ip: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] }, 'ip[0].cidr', /nonstandard IP address/],
    ['two :: in IPv6', { ip: [{ cidr: '2001::db8::/64' }] }, 'ip[0].cidr', /nonstandard IP address/],
    ['an IPv6 mask over 128', { ip: [{ cidr: '2001:db8::/129' }] }, 'ip[0].cidr', /IPv6 mask is 0 to 128 bits/],
  ]);
});

// "Complex example with $or matching": $or holds alternative patterns.
describe('$or', () => {
  check([
    ['not an array', { $or: { metricType: ['MetricType'] } }, '$or', /\$or must be an array of patterns/],
    ['a single alternative', { $or: [{ source: ['aws.ec2'] }] }, '$or', /at least two alternative patterns, found 1/],
    ['no alternatives', { detail: { $or: [] } }, 'detail.$or', /at least two alternative patterns, found 0/],
    [
      'an alternative that is not an object',
      { $or: [{ source: ['a'] }, ['b']] },
      '$or[1]',
      /each \$or alternative must be a pattern object/,
    ],
    ['an empty alternative', { $or: [{ source: ['a'] }, {}] }, '$or[1]', /at least one field/],
    [
      'operator names as alternatives',
      { $or: [{ numeric: ['>', 1] }, { prefix: ['abc'] }] },
      '$or[0].numeric',
      /cannot be a field of a \$or alternative/,
    ],
    [
      'an invalid value inside an alternative',
      { detail: { $or: [{ a: ['x'] }, { b: [{ prefix: 1 }] }] } },
      'detail.$or[1].b[0].prefix',
      /prefix match pattern must be a string/,
    ],
    [
      '$or inside a value array',
      { detail: { x: [{ $or: [{ a: ['b'] }, { c: ['d'] }] }] } },
      'detail.x[0].$or',
      /unrecognized match type "\$or"/,
    ],
    ['$or in a dotted key', { 'detail.$or': [{ a: ['b'] }, { c: ['d'] }] }, 'detail.$or', /key of its own/],
  ]);
});

describe('InvalidPatternError', () => {
  test('is an Error with name, path and message', () => {
    const error = refusal({ detail: { eventName: [{ prefix: 5 }] } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidPatternError');
    expect(error.path).toBe('detail.eventName[0].prefix');
    expect(error.message).toMatch(/^detail\.eventName\[0\]\.prefix: prefix match pattern must be a string/);
  });
});
