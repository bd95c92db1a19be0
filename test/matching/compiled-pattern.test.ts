/**
 * The compiled-pattern API, and the valid forms the Amazon EventBridge User Guide documents
 * ("Comparison operators for use in event patterns" summary table; "Content filtering in Amazon
 * EventBridge event patterns"), which must compile.
 */
import { compilePattern, InvalidPatternError, matchesPattern } from '../../shared/core/matching';

describe('compilePattern', () => {
  test('source is a deep-frozen copy of the pattern', () => {
    const pattern = { source: ['aws.ec2'], detail: { state: ['terminated'] } };
    const compiled = compilePattern(pattern);
    expect(compiled.source).toEqual(pattern);
    expect(compiled.source).not.toBe(pattern);
    expect(Object.isFrozen(compiled.source)).toBe(true);
    expect(Object.isFrozen((compiled.source as { detail: object }).detail)).toBe(true);
  });

  test('changing the pattern after compiling does not change the compiled matcher', () => {
    const pattern = { source: ['aws.ec2'] };
    const compiled = compilePattern(pattern);
    pattern.source[0] = 'aws.s3';
    expect(compiled.matches({ source: 'aws.ec2' })).toBe(true);
    expect(compiled.matches({ source: 'aws.s3' })).toBe(false);
  });

  test('a compiled pattern is reusable across events', () => {
    const compiled = compilePattern({ detail: { eventName: [{ prefix: 'Delete' }] } });
    const names = ['DeleteBucket', 'CreateBucket', 'DeleteUser', 'PutObject'];
    expect(names.map((eventName) => compiled.matches({ detail: { eventName } }))).toEqual([true, false, true, false]);
  });

  test('matchesPattern throws InvalidPatternError for an invalid pattern', () => {
    expect(() => matchesPattern({ source: 'aws.ec2' }, { source: 'aws.ec2' })).toThrow(InvalidPatternError);
    expect(() => matchesPattern({ source: 'aws.ec2' }, { source: 'aws.ec2' })).toThrow('source: must be an object or an array');
  });

  // "If you include a key more than once the last reference will be the one used": here the same
  // field is spelled twice through dot-joining.
  test('when a field is given twice (dotted and nested), the last one is used', () => {
    const compiled = compilePattern({ 'detail.location': [{ prefix: 'us-' }], detail: { location: [{ 'anything-but': 'us-east' }] } });
    expect(compiled.matches({ detail: { location: 'us-east' } })).toBe(false);
    expect(compiled.matches({ detail: { location: 'eu-west' } })).toBe(true);
  });

  test('a field can hold both a value array and nested dotted fields', () => {
    const compiled = compilePattern({ a: [{ exists: false }], 'a.b': [{ exists: false }], c: ['x'] });
    expect(compiled.matches({ c: 'x' })).toBe(true);
    expect(compiled.matches({ c: 'x', a: 1 })).toBe(false);
  });
});

// Every row of the "Comparison operators" summary table, plus the documented variants.
describe('documented forms compile', () => {
  test.each([
    ['And', { Location: ['New York'], Day: ['Monday'] }],
    ['Anything-but', { state: [{ 'anything-but': 'initializing' }] }],
    ['Anything-but (begins with)', { Region: [{ 'anything-but': { prefix: 'us-' } }] }],
    ['Anything-but (ends with)', { FileName: [{ 'anything-but': { suffix: '.png' } }] }],
    ['Anything-but (ignore case)', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }],
    ['Anything-but (ignore case, list)', { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] }],
    ['Anything-but using a wildcard', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }],
    ['Anything-but using wildcards (list)', { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] }],
    ['Begins with', { Region: [{ prefix: 'us-' }] }],
    ['Begins with (ignore case)', { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }],
    ['Empty', { LastName: [''] }],
    ['Empty prefix', { source: [{ prefix: '' }] }],
    ['Equals', { Name: ['Alice'] }],
    ['Equals (ignore case)', { Name: [{ 'equals-ignore-case': 'alice' }] }],
    ['Equals (ignore case, empty)', { Name: [{ 'equals-ignore-case': '' }] }],
    ['Ends with', { FileName: [{ suffix: '.png' }] }],
    ['Ends with (ignore case)', { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] }],
    ['Exists', { ProductName: [{ exists: true }] }],
    ['Does not exist', { ProductName: [{ exists: false }] }],
    ['Not', { Weather: [{ 'anything-but': ['Raining'] }] }],
    ['Null', { UserID: [null] }],
    ['Numeric (equals)', { Price: [{ numeric: ['=', 100] }] }],
    ['Numeric (range)', { Price: [{ numeric: ['>', 10, '<=', 20] }] }],
    ['Or', { PaymentType: ['Credit', 'Debit'] }],
    ['Or (multiple fields)', { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }],
    ['IP address (IPv4)', { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }],
    ['IP address (IPv6)', { sourceIPAddress: [{ cidr: '2001:db8::/64' }] }],
    ['Wildcard', { FileName: [{ wildcard: '*.png' }] }],
    ['Wildcard with escapes', { FileName: [{ wildcard: 'a\\*b\\\\c*' }] }],
  ])('%s', (_name, pattern) => {
    expect(compilePattern(pattern).source).toEqual(pattern);
  });
});
