import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wrapCloudTrailRecord } from '../../shared/core/intake/envelope';
import { toEvent } from '../../shared/core/intake/to-event';
import { DEFAULT_MAX_EVENT_BYTES, type IntakeItem } from '../../shared/core/intake/types';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../shared/core/model/event';
import { ctRecord, FIXTURES, type Rejected } from './helpers';

const where = { file: 'test.json', line: 3 };

function rejected(item: IntakeItem): Rejected {
  if (item.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(item).slice(0, 200)}`);
  return item;
}

function accepted(item: IntakeItem) {
  if (item.kind !== 'event') throw new Error(`expected an event, got: ${item.reason}`);
  return item.event;
}

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

describe('wrapCloudTrailRecord', () => {
  it('builds the envelope EventBridge delivers for an API call', () => {
    const record = ctRecord(1, { eventTime: '2024-05-01T12:00:00.123Z' });
    expect(wrapCloudTrailRecord(record)).toEqual({
      version: '0',
      id: 'evt-1',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ec2',
      account: '111122223333',
      time: '2024-05-01T12:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: record,
    });
  });

  it('uses the detail-type for each eventType', () => {
    expect(
      wrapCloudTrailRecord(ctRecord(1, { eventType: 'AwsConsoleSignIn', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin' })),
    ).toMatchObject({
      'detail-type': CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn,
      source: 'aws.signin',
    });
    expect(wrapCloudTrailRecord(ctRecord(1, { eventType: 'AwsServiceEvent', eventSource: 'sso.amazonaws.com' }))).toMatchObject({
      'detail-type': 'AWS Service Event via CloudTrail',
      source: 'aws.sso',
    });
    expect(wrapCloudTrailRecord(ctRecord(1, { eventType: 'AwsConsoleAction' }))['detail-type']).toBe('AWS Console Action via CloudTrail');
    expect(wrapCloudTrailRecord(ctRecord(1, { eventType: 'AwsCloudTrailInsight' }))['detail-type']).toBe('AWS Insight via CloudTrail');
  });

  it('treats a ConsoleLogin without eventType as a console sign-in, and unknown eventTypes as API calls', () => {
    const signIn = ctRecord(1, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin' });
    delete signIn.eventType;
    expect(wrapCloudTrailRecord(signIn)['detail-type']).toBe('AWS Console Sign In via CloudTrail');
    expect(wrapCloudTrailRecord(ctRecord(1, { eventType: 'AwsVpceEvent' }))['detail-type']).toBe('AWS API Call via CloudTrail');
    expect(wrapCloudTrailRecord(ctRecord(1, { eventType: 'toString' }))['detail-type']).toBe('AWS API Call via CloudTrail');
  });

  it('takes the account from recipientAccountId, else userIdentity.accountId', () => {
    expect(wrapCloudTrailRecord(ctRecord(1, { recipientAccountId: '999988887777' })).account).toBe('999988887777');
    const record = ctRecord(1);
    delete record.recipientAccountId;
    expect(wrapCloudTrailRecord(record).account).toBe('111122223333');
    expect(wrapCloudTrailRecord(ctRecord(1, { recipientAccountId: '' })).account).toBe('111122223333');
  });

  it('keeps a source that does not end in amazonaws.com', () => {
    expect(wrapCloudTrailRecord(ctRecord(1, { eventSource: 'custom.example' })).source).toBe('aws.custom.example');
  });
});

describe('toEvent', () => {
  it('wraps a bare CloudTrail record', () => {
    const record = ctRecord(7);
    const item = toEvent(record, where);
    expect(item).toEqual({ kind: 'event', event: wrapCloudTrailRecord(record), where });
  });

  it('passes EventBridge service events through as they are', () => {
    for (const name of [
      'ecr-image-scan.json',
      'guardduty-finding.json',
      'config-compliance-state-change.json',
      'inspector2-finding.json',
      'cloudtrail-via-eventbridge.json',
    ]) {
      const value = fixture(name);
      const event = accepted(toEvent(value, where));
      expect(event).toBe(value);
    }
  });

  it('fills in version and resources when an envelope lacks them', () => {
    const value = fixture('ecr-image-scan.json');
    delete value.version;
    delete value.resources;
    expect(accepted(toEvent(value, where))).toEqual({ ...value, version: '0', resources: [] });
  });

  it.each([
    ['array', []],
    ['string', 'hello'],
    ['number', 42],
    ['boolean', true],
    ['null', null],
  ])('rejects a JSON %s', (kind, value) => {
    expect(toEvent(value, where)).toEqual({ kind: 'rejected', where, reason: `expected a JSON object, got ${kind}` });
  });

  it('rejects an object of unknown shape', () => {
    expect(rejected(toEvent({ hello: 'world', source: 'x' }, where)).reason).toBe(
      'not a CloudTrail record or EventBridge event (no eventSource/eventName, no detail-type)',
    );
  });

  it.each([
    ['id', undefined, 'EventBridge event is missing required key "id"'],
    ['source', 17, 'EventBridge event key "source" must be a string, got number'],
    ['detail-type', undefined, 'EventBridge event is missing required key "detail-type"'],
    ['account', null, 'EventBridge event key "account" must be a string, got null'],
    ['time', 'yesterday', 'EventBridge event key "time" is not an RFC 3339 date-time with a time zone (e.g. 2025-03-04T10:12:41Z)'],
    ['region', '', 'EventBridge event key "region" must not be empty'],
    ['detail', undefined, 'EventBridge event is missing required key "detail"'],
    ['detail', [1], 'EventBridge event key "detail" must be an object, got array'],
    ['resources', 'arn:aws:ecr:x', 'EventBridge event key "resources" must be an array, got string'],
  ])('rejects an envelope whose %s is %p, naming the key', (key, value, reason) => {
    const envelope = fixture('ecr-image-scan.json');
    if (value === undefined) delete envelope[key];
    else envelope[key] = value;
    const item = rejected(toEvent(envelope, { ...where, path: 'Records[4]' }));
    expect(item.reason).toBe(reason);
    expect(item.where).toEqual({ ...where, path: `Records[4].${key}` });
  });

  it('names the element of resources that is not a string', () => {
    const envelope = fixture('ecr-image-scan.json');
    envelope.resources = ['arn:ok', 3];
    const item = rejected(toEvent(envelope, where));
    expect(item.where.path).toBe('resources[1]');
    expect(item.reason).toBe('EventBridge event key "resources[1]" must be a string, got number');
  });

  it('checks the CloudTrail record inside a CloudTrail-via-EventBridge event', () => {
    const envelope = fixture('cloudtrail-via-eventbridge.json');
    (envelope.detail as Record<string, unknown>).eventName = 5;
    const item = rejected(toEvent(envelope, where));
    expect(item.where.path).toBe('detail.eventName');
    expect(item.reason).toBe('"AWS API Call via CloudTrail" event key "detail.eventName" must be a string, got number');

    delete (envelope.detail as Record<string, unknown>).eventSource;
    expect(rejected(toEvent(envelope, where)).where.path).toBe('detail.eventSource');
  });

  it.each([
    ['eventSource', undefined, 'CloudTrail record is missing required key "eventSource"'],
    ['eventName', 12, 'CloudTrail record key "eventName" must be a string, got number'],
    ['eventTime', undefined, 'CloudTrail record is missing required key "eventTime"'],
    [
      'eventTime',
      'not a date',
      'CloudTrail record key "eventTime" is not an RFC 3339 date-time with a time zone (e.g. 2025-03-04T10:12:41Z)',
    ],
    ['eventID', 42, 'CloudTrail record key "eventID" must be a string, got number'],
    ['awsRegion', ['eu-west-1'], 'CloudTrail record key "awsRegion" must be a string, got array'],
  ])('rejects a CloudTrail record whose %s is %p, naming the key', (key, value, reason) => {
    const record = ctRecord(1);
    if (value === undefined) delete record[key];
    else record[key] = value;
    const item = rejected(toEvent(record, { ...where, path: 'Records[12]' }));
    expect(item.reason).toBe(reason);
    expect(item.where).toEqual({ ...where, path: `Records[12].${key}` });
  });

  it('rejects a CloudTrail record with no account', () => {
    const record = ctRecord(1);
    delete record.recipientAccountId;
    delete (record.userIdentity as Record<string, unknown>).accountId;
    const item = rejected(toEvent(record, where));
    expect(item.where.path).toBe('recipientAccountId');
    expect(item.reason).toBe(
      'CloudTrail record has no account: neither "recipientAccountId" nor "userIdentity.accountId" is a non-empty string',
    );
  });

  it('accepts a CloudTrail record whose only account is userIdentity.accountId', () => {
    const record = ctRecord(1);
    delete record.recipientAccountId;
    expect(accepted(toEvent(record, where)).account).toBe('111122223333');
  });

  it('rejects an event above the size limit with its size and the limit', () => {
    const record = ctRecord(1, { requestParameters: { blob: 'x'.repeat(2000) } });
    const size = Buffer.byteLength(JSON.stringify(wrapCloudTrailRecord(record)));
    expect(toEvent(record, where, { maxEventBytes: size }).kind).toBe('event');
    const item = rejected(toEvent(record, where, { maxEventBytes: size - 1 }));
    expect(item.reason).toBe(`event is ${size} bytes serialized, above the ${size - 1}-byte EventBridge event size limit`);
    expect(item.where).toEqual(where);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const record = ctRecord(1, { requestParameters: { text: '€'.repeat(1000) } }); // 3 bytes each
    const size = Buffer.byteLength(JSON.stringify(wrapCloudTrailRecord(record)));
    expect(size).toBeGreaterThan(JSON.stringify(wrapCloudTrailRecord(record)).length + 1900);
    expect(rejected(toEvent(record, where, { maxEventBytes: size - 1 })).reason).toContain(`event is ${size} bytes`);
  });

  it('defaults to the 1 MiB EventBridge limit', () => {
    expect(DEFAULT_MAX_EVENT_BYTES).toBe(1024 * 1024);
    const big = ctRecord(1, { requestParameters: { blob: 'x'.repeat(DEFAULT_MAX_EVENT_BYTES) } });
    expect(rejected(toEvent(big, where)).reason).toMatch(
      /^event is \d+ bytes serialized, above the 1048576-byte EventBridge event size limit$/,
    );
    const fits = ctRecord(1, { requestParameters: { blob: 'x'.repeat(DEFAULT_MAX_EVENT_BYTES - 2000) } });
    expect(toEvent(fits, where).kind).toBe('event');
  });
});

describe('records without eventID', () => {
  it('get an id derived from their content: the same record twice is one event, another record another', () => {
    const record = ctRecord(1);
    delete record.eventID;
    const first = accepted(toEvent(record, where));
    const again = accepted(toEvent(JSON.parse(JSON.stringify(record)), where));
    const other = accepted(toEvent({ ...record, eventName: 'Other' }, where));
    expect(first.id).toMatch(/^derived-[0-9a-f]{32}$/);
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
  });
});

describe('GuardDuty findings on their own (S3 export, get-findings output)', () => {
  const finding = {
    schemaVersion: '2.0',
    accountId: '210987654321',
    region: 'eu-central-1',
    partition: 'aws',
    id: '0cc5f0a3b1e8d2f4a6c8e0b2d4f6a8c0',
    arn: 'arn:aws:guardduty:eu-central-1:210987654321:detector/12abc34d567e8fa901bc2d34eexample/finding/0cc5f0a3b1e8d2f4a6c8e0b2d4f6a8c0',
    type: 'Execution:Runtime/ReverseShell',
    resource: { resourceType: 'ECSCluster' },
    service: { serviceName: 'guardduty', archived: false, count: 1 },
    severity: 8,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:05:00.000Z',
    title: 'A reverse shell was detected in a container.',
  };

  it('are wrapped in the "GuardDuty Finding" envelope EventBridge delivers', () => {
    const event = accepted(toEvent(finding, where));
    expect(event).toEqual({
      version: '0',
      id: '0cc5f0a3b1e8d2f4a6c8e0b2d4f6a8c0@2026-11-20T10:05:00.000Z',
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: '210987654321',
      time: '2026-11-20T10:05:00Z',
      region: 'eu-central-1',
      resources: [],
      detail: finding,
    });
  });

  it('are rejected, naming the key, when updatedAt is missing', () => {
    const { updatedAt: _dropped, createdAt: _also, ...partial } = finding;
    const item = rejected(toEvent(partial, where));
    expect(item.where.path).toBe('updatedAt');
    expect(item.reason).toBe('GuardDuty finding is missing required key "updatedAt"');
  });
});
