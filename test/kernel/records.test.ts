import {
  ACCOUNT_RESOURCE_TYPE,
  accountOf,
  apiNameOf,
  listedResourceArn,
  listedResourcesOf,
  recordOf,
  regionOf,
  requestOf,
  responseOf,
} from '../../shared/core/kernel/records';
import { cloudTrailEvent } from './events';

describe('recordOf, requestOf, responseOf', () => {
  it('read the detail and its request and response', () => {
    const event = cloudTrailEvent({ eventName: 'RunInstances', requestParameters: { a: 1 }, responseElements: { b: 2 } });
    expect(recordOf(event).eventName).toBe('RunInstances');
    expect(requestOf(event)).toEqual({ a: 1 });
    expect(responseOf(event)).toEqual({ b: 2 });
  });

  it('give {} for a missing or null request and response (read-only and failed calls log null)', () => {
    const event = cloudTrailEvent({ requestParameters: null, responseElements: null });
    expect(requestOf(event)).toEqual({});
    expect(responseOf(event)).toEqual({});
    expect(requestOf(cloudTrailEvent({}))).toEqual({});
    expect(responseOf(cloudTrailEvent({ responseElements: 'OK' }))).toEqual({});
  });

  it('read an event without detail as an empty record', () => {
    const event = cloudTrailEvent({});
    (event as { detail: unknown }).detail = undefined;
    expect(recordOf(event)).toEqual({});
    expect(requestOf(event)).toEqual({});
  });
});

describe('accountOf', () => {
  it('prefers the envelope account', () => {
    expect(accountOf(cloudTrailEvent({ recipientAccountId: '444455556666' }))).toBe('111122223333');
  });

  it('falls back to the recipient account, then the caller account, then "unknown"', () => {
    expect(
      accountOf(cloudTrailEvent({ recipientAccountId: '444455556666', userIdentity: { accountId: '777788889999' } }, { account: '' })),
    ).toBe('444455556666');
    expect(accountOf(cloudTrailEvent({ userIdentity: { accountId: '777788889999' } }, { account: '' }))).toBe('777788889999');
    expect(accountOf(cloudTrailEvent({ recipientAccountId: 42 }, { account: '' }))).toBe('unknown');
  });

  it('names the account resource type', () => {
    expect(ACCOUNT_RESOURCE_TYPE).toBe('AWS::Organizations::Account');
  });
});

describe('regionOf', () => {
  it('prefers the envelope region, else awsRegion, else the empty string', () => {
    expect(regionOf(cloudTrailEvent({ awsRegion: 'us-east-1' }))).toBe('eu-west-1');
    expect(regionOf(cloudTrailEvent({ awsRegion: 'cn-north-1' }, { region: '' }))).toBe('cn-north-1');
    expect(regionOf(cloudTrailEvent({ awsRegion: null }, { region: '' }))).toBe('');
  });
});

describe('apiNameOf', () => {
  it('names the API as <service>:<eventName>', () => {
    expect(apiNameOf(cloudTrailEvent({ eventSource: 'iam.amazonaws.com', eventName: 'GetRole' }))).toBe('iam:GetRole');
  });

  it('says unknown for what the record leaves out', () => {
    expect(apiNameOf(cloudTrailEvent({}))).toBe('unknown:unknown');
    expect(apiNameOf(cloudTrailEvent({ eventSource: 'custom-source', eventName: 7 }))).toBe('custom-source:unknown');
  });
});

describe('listed resources', () => {
  const event = cloudTrailEvent({
    resources: [
      { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::logs', accountId: '444455556666' },
      'not a resource',
      { type: 'AWS::KMS::Key', arn: 'arn:aws:kms:eu-west-1:111122223333:key/k-1' },
      { type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:eu-west-1:111122223333:key/k-2' },
    ],
  });

  it('reads ARN or arn, type and owning account', () => {
    expect(listedResourcesOf(event)[0]).toEqual({ arn: 'arn:aws:s3:::logs', type: 'AWS::S3::Bucket', accountId: '444455556666' });
    expect(listedResourcesOf(event)[1]).toEqual({ arn: undefined, type: undefined, accountId: undefined });
  });

  it('finds the first ARN of a type', () => {
    expect(listedResourceArn(event, 'AWS::KMS::Key')).toBe('arn:aws:kms:eu-west-1:111122223333:key/k-1');
    expect(listedResourceArn(event, 'AWS::SNS::Topic')).toBeUndefined();
    expect(listedResourceArn(cloudTrailEvent({ resources: null }), 'AWS::KMS::Key')).toBeUndefined();
  });
});
