/** The CloudTrail key layout read as data: classification, the levels of a prefix, and pruning by account, region and UTC day. */
import {
  childLevel,
  classifyKey,
  dayRange,
  levelOfPrefix,
  logFileWanted,
  parseS3Url,
  pastLastDay,
  startAfterOf,
  type TrailLevel,
} from '../../shared/adapters/history/trail-layout';

const ORG_LOG =
  'AWSLogs/o-xxxxxxxxxx/111122223333/CloudTrail/us-east-1/2023/07/10/111122223333_CloudTrail_us-east-1_20230710T1155Z_abcdEFGH12345678.json.gz';

describe('classifyKey', () => {
  it('reads log files of organization and account trails, with or without a trail prefix', () => {
    expect(classifyKey(ORG_LOG)).toEqual({ kind: 'log', account: '111122223333', region: 'us-east-1', day: '2023-07-10' });
    expect(
      classifyKey(
        'team/AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz',
      ),
    ).toEqual({ kind: 'log', account: '111122223333', region: 'us-east-2', day: '2015-08-01' });
  });

  it('tells digest files and other objects apart', () => {
    expect(
      classifyKey(
        'AWSLogs/o-xxxxxxxxxx/111122223333/CloudTrail-Digest/us-east-1/2023/07/10/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20230710T120000Z.json.gz',
      ),
    ).toEqual({ kind: 'digest' });
    expect(classifyKey('AWSLogs/o-xxxxxxxxxx/111122223333/CloudTrail/us-east-1/2023/07/10/README.txt')).toEqual({ kind: 'other' });
    // A name that does not match its folder (another account, region or day) is not this folder's log file.
    expect(classifyKey(ORG_LOG.replace('/10/111122223333', '/11/111122223333'))).toEqual({ kind: 'other' });
    expect(classifyKey(ORG_LOG.replace('/111122223333/CloudTrail/', '/999999999999/CloudTrail/'))).toEqual({ kind: 'other' });
    expect(classifyKey('logs/x.json.gz')).toEqual({ kind: 'other' });
  });
});

describe('levelOfPrefix', () => {
  it('places a prefix on its level of the layout', () => {
    expect(levelOfPrefix('')?.level).toEqual({ kind: 'root' });
    expect(levelOfPrefix('AWSLogs/')?.level).toEqual({ kind: 'awslogs' });
    expect(levelOfPrefix('AWSLogs/o-xxxxxxxxxx/')?.level).toEqual({ kind: 'organization' });
    expect(levelOfPrefix('AWSLogs/o-xxxxxxxxxx/111122223333/CloudTrail/us-east-1/2023/07/')?.level).toEqual({
      kind: 'month',
      account: '111122223333',
      tree: 'CloudTrail',
      region: 'us-east-1',
      year: 2023,
      month: 7,
    });
  });

  it('gives up on prefixes that are not folders of the layout (listed flat instead)', () => {
    expect(levelOfPrefix('AWSLogs')).toBeUndefined();
    expect(levelOfPrefix('AWSLogs/o-xxxxxxxxxx/1111/')).toBeUndefined();
    expect(levelOfPrefix('other/')).toBeUndefined();
  });
});

describe('pruning', () => {
  const region: TrailLevel = { kind: 'region', account: '111122223333', tree: 'CloudTrail', region: 'us-east-1' };
  const filter = { sinceMs: Date.parse('2023-07-10T06:00:00Z'), untilMs: Date.parse('2023-07-31T23:00:00Z') };

  it('reads the days from since to the day after until (a file delivered after midnight holds the last events)', () => {
    expect(dayRange(filter)).toEqual({ first: '2023-07-10', last: '2023-08-01' });
    expect(dayRange({})).toEqual({});
  });

  it('enters only the accounts, regions and dates wanted', () => {
    const awslogs: TrailLevel = { kind: 'awslogs' };
    expect(childLevel(awslogs, '111122223333', { accounts: new Set(['111122223333']) })).toEqual({
      kind: 'account',
      account: '111122223333',
    });
    expect(childLevel(awslogs, '222222222222', { accounts: new Set(['111122223333']) })).toBeUndefined();
    expect(childLevel(awslogs, 'o-xxxxxxxxxx', {})).toEqual({ kind: 'organization' });
    expect(childLevel({ kind: 'account', account: '111122223333' }, 'CloudTrail-Insight', {})).toBeUndefined();
    const tree: TrailLevel = { kind: 'tree', account: '111122223333', tree: 'CloudTrail' };
    expect(childLevel(tree, 'eu-west-1', { regions: new Set(['us-east-1']) })).toBeUndefined();
    expect(childLevel(region, '2022', filter)).toBeUndefined();
    expect(childLevel(region, '2023', filter)).toMatchObject({ kind: 'year', year: 2023 });
    const year = childLevel(region, '2023', filter)!;
    expect(childLevel(year, '06', filter)).toBeUndefined();
    expect(childLevel(year, '08', filter)).toMatchObject({ kind: 'month', month: 8 });
    const july = childLevel(year, '07', filter)!;
    expect(childLevel(july, '09', filter)).toBeUndefined();
    expect(childLevel(july, '10', filter)).toMatchObject({ kind: 'day', day: '2023-07-10' });
    const august = childLevel(year, '08', filter)!;
    expect(childLevel(august, '01', filter)).toMatchObject({ kind: 'day', day: '2023-08-01' });
    expect(childLevel(august, '02', filter)).toBeUndefined();
  });

  it('starts listings after what comes before since and stops them past until', () => {
    expect(startAfterOf(region, filter)).toBe('2023');
    const year = childLevel(region, '2023', filter)!;
    expect(startAfterOf(year, filter)).toBe('07');
    expect(startAfterOf(childLevel(year, '07', filter)!, filter)).toBe('10');
    expect(startAfterOf(childLevel(year, '08', filter)!, filter)).toBeUndefined();
    expect(startAfterOf(region, {})).toBeUndefined();
    expect(pastLastDay(region, '2024', filter)).toBe(true);
    expect(pastLastDay(year, '09', filter)).toBe(true);
    expect(pastLastDay(year, '08', filter)).toBe(false);
  });

  it('filters the keys of a flat listing by the same rules', () => {
    const file = { account: '111122223333', region: 'us-east-1', day: '2023-07-09' };
    expect(logFileWanted(file, filter)).toBe(false);
    expect(logFileWanted({ ...file, day: '2023-07-10' }, filter)).toBe(true);
    expect(logFileWanted({ ...file, day: '2023-07-10' }, { regions: new Set(['eu-west-1']) })).toBe(false);
  });
});

it('reads s3:// URLs', () => {
  expect(parseS3Url('s3://trail-bucket/AWSLogs/')).toEqual({ bucket: 'trail-bucket', prefix: 'AWSLogs/' });
  expect(parseS3Url('s3://trail-bucket')).toEqual({ bucket: 'trail-bucket', prefix: '' });
  expect(parseS3Url('s3://')).toBeUndefined();
  expect(parseS3Url('https://x/y')).toBeUndefined();
});
