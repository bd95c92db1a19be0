/**
 * `$or`, from "Content filtering in Amazon EventBridge event patterns" > "Complex example with $or
 * matching" (Amazon EventBridge User Guide): a pattern matches if any of the alternatives in the
 * `$or` array matches; other filter types can be used inside the alternatives; APIs reject a
 * pattern whose `$or` use results in over 1000 rule combinations.
 */
import { compilePattern, InvalidPatternError, matchesPattern } from '../../shared/core/matching';

const envelope = {
  version: '0',
  id: '1',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: [],
};
const withDetail = (detail: Record<string, unknown>) => ({ ...envelope, detail });

describe('$or: the documented example', () => {
  const pattern = {
    detail: {
      $or: [
        { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
        { 'd-count': [{ numeric: ['<', 10] }] },
        { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      ],
    },
  };
  test.each([
    [{ 'c-count': 3 }, true],
    [{ 'd-count': 9 }, true],
    [{ 'x-limit': 301.8 }, true],
    [{ 'c-count': 10, 'd-count': 10, 'x-limit': 300 }, false],
    [{ 'c-count': 10, 'd-count': 2 }, true],
    [{}, false],
  ])('detail %j', (detail, expected) => {
    expect(matchesPattern(pattern, withDetail(detail))).toBe(expected);
  });
});

describe('$or combined with other fields', () => {
  test('top-level $or on envelope fields is ANDed with the rest', () => {
    const pattern = {
      'detail-type': ['EC2 Instance State-change Notification'],
      $or: [{ source: ['aws.ec2'] }, { source: ['aws.s3'] }],
    };
    expect(matchesPattern(pattern, withDetail({}))).toBe(true);
    expect(matchesPattern(pattern, { ...withDetail({}), source: 'aws.s3' })).toBe(true);
    expect(matchesPattern(pattern, { ...withDetail({}), source: 'my.app' })).toBe(false);
    expect(matchesPattern(pattern, { ...withDetail({}), 'detail-type': 'Other' })).toBe(false);
  });

  test('an alternative with several fields needs all of them', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    const base = { ...envelope, source: 'aws.cloudwatch' };
    expect(matchesPattern(pattern, { ...base, metricName: 'CPUUtilization' })).toBe(true);
    expect(matchesPattern(pattern, { ...base, metricType: 'MetricType', namespace: 'AWS/ES' })).toBe(true);
    expect(matchesPattern(pattern, { ...base, metricType: 'MetricType' })).toBe(false);
  });

  test('nested $or inside an alternative', () => {
    const pattern = {
      $or: [{ scope: ['Service'] }, { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }],
    };
    expect(matchesPattern(pattern, { ...envelope, namespace: 'AWS/EC2', spaceId: 1000 })).toBe(true);
    expect(matchesPattern(pattern, { ...envelope, namespace: 'AWS/EC2', spaceId: 1001 })).toBe(false);
    expect(matchesPattern(pattern, { ...envelope, scope: 'Service' })).toBe(true);
  });

  test('two $or groups at different levels must both hold', () => {
    const pattern = {
      $or: [{ region: ['us-east-1'] }, { account: ['999999999999'] }],
      detail: { $or: [{ state: ['running'] }, { code: [16] }] },
    };
    expect(matchesPattern(pattern, withDetail({ code: 16 }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ code: 17 }))).toBe(false);
    expect(matchesPattern(pattern, { ...withDetail({ state: 'running' }), region: 'eu-west-1' })).toBe(false);
  });

  test('an alternative may use exists: false', () => {
    const pattern = { detail: { $or: [{ errorCode: [{ exists: false }] }, { errorCode: ['AccessDenied'] }] } };
    expect(matchesPattern(pattern, withDetail({}))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ errorCode: 'AccessDenied' }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ errorCode: 'Throttling' }))).toBe(false);
  });

  test('alternatives inside an array of objects are evaluated per element', () => {
    const pattern = { detail: { items: { $or: [{ a: [1] }, { b: [2] }], c: [3] } } };
    const itemsMatch = (items: Array<Record<string, number>>) => matchesPattern(pattern, withDetail({ items }));
    expect(
      itemsMatch([
        { a: 1, c: 4 },
        { b: 2, c: 3 },
      ]),
    ).toBe(true);
    expect(
      itemsMatch([
        { a: 1, c: 4 },
        { b: 5, c: 3 },
      ]),
    ).toBe(false);
  });
});

describe('$or rule-combination limit (over 1000 is refused)', () => {
  const alternatives = (n: number, key: string) => Array.from({ length: n }, (_, i) => ({ [key]: [i] }));

  test('10 x 10 x 10 = 1000 combinations is accepted', () => {
    const pattern = { $or: alternatives(10, 'a'), detail: { $or: alternatives(10, 'b'), x: { $or: alternatives(10, 'c') } } };
    expect(() => compilePattern(pattern)).not.toThrow();
  });
  test('1001 combinations is refused', () => {
    const pattern = { $or: alternatives(7, 'a'), detail: { $or: alternatives(11, 'b'), x: { $or: alternatives(13, 'c') } } };
    expect(() => compilePattern(pattern)).toThrow(InvalidPatternError);
    expect(() => compilePattern(pattern)).toThrow(/1001 rule combinations/);
  });
});
