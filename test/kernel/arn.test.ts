import { accountOfArn, arnIn, bucketArn, partitionOf, regionOfArn, resourceNameOf } from '../../shared/core/kernel/arn';
import { cloudTrailEvent } from './events';

describe('partitionOf', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['', 'aws'],
  ])('%s is in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});

describe('arnIn', () => {
  it("builds an ARN in the event's partition, region and account", () => {
    expect(arnIn(cloudTrailEvent({}), 'ecs', 'cluster/prod')).toBe('arn:aws:ecs:eu-west-1:111122223333:cluster/prod');
  });

  it('uses the China and GovCloud partitions', () => {
    expect(arnIn(cloudTrailEvent({}, { region: 'cn-north-1' }), 'rds', 'db:orders')).toBe(
      'arn:aws-cn:rds:cn-north-1:111122223333:db:orders',
    );
    expect(arnIn(cloudTrailEvent({}, { region: 'us-gov-west-1' }), 'logs', 'log-group:/aws/x')).toBe(
      'arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:/aws/x',
    );
  });

  it('takes the region from the record when the envelope has none', () => {
    expect(arnIn(cloudTrailEvent({ awsRegion: 'cn-northwest-1' }, { region: '' }), 'kms', 'key/k')).toBe(
      'arn:aws-cn:kms:cn-northwest-1:111122223333:key/k',
    );
  });

  it('builds ARNs of another account, of global services and of S3 buckets', () => {
    const event = cloudTrailEvent({}, { region: 'us-gov-east-1' });
    expect(arnIn(event, 'ecr', 'repository/app', { account: '444455556666' })).toBe(
      'arn:aws-us-gov:ecr:us-gov-east-1:444455556666:repository/app',
    );
    expect(arnIn(event, 'ecr', 'repository/app', { account: undefined })).toBe(
      'arn:aws-us-gov:ecr:us-gov-east-1:111122223333:repository/app',
    );
    expect(arnIn(event, 'iam', 'saml-provider/okta', { region: '' })).toBe('arn:aws-us-gov:iam::111122223333:saml-provider/okta');
    expect(bucketArn(event, 'logs')).toBe('arn:aws-us-gov:s3:::logs');
    expect(bucketArn(cloudTrailEvent({}, { region: 'cn-north-1' }), 'logs')).toBe('arn:aws-cn:s3:::logs');
  });
});

describe('reading ARNs', () => {
  it('finds the account of an ARN in any partition', () => {
    expect(accountOfArn('arn:aws:elasticloadbalancing:eu-west-1:444455556666:loadbalancer/net/lb/1')).toBe('444455556666');
    expect(accountOfArn('arn:aws-cn:kms:cn-north-1:444455556666:key/k', 'kms')).toBe('444455556666');
    expect(accountOfArn('arn:aws-us-gov:kms:us-gov-west-1:444455556666:alias/a', 'kms')).toBe('444455556666');
  });

  it('gives undefined for another service, no account, bare ids and non-ARNs', () => {
    expect(accountOfArn('arn:aws:s3:eu-west-1:444455556666:x', 'kms')).toBeUndefined();
    expect(accountOfArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(accountOfArn('arn:aws:kms:eu-west-1:ACCOUNT:key/k')).toBeUndefined();
    expect(accountOfArn('1234abcd-12ab-34cd-56ef-1234567890ab')).toBeUndefined();
    expect(accountOfArn(undefined)).toBeUndefined();
  });

  it('finds the region of an ARN', () => {
    expect(regionOfArn('arn:aws:rds:us-east-1:111122223333:snapshot:s')).toBe('us-east-1');
    expect(regionOfArn('arn:aws:iam::111122223333:role/r')).toBeUndefined();
    expect(regionOfArn('snapshot-name')).toBeUndefined();
    expect(regionOfArn(undefined)).toBeUndefined();
  });

  it('names a resource by the last path segment of its ARN', () => {
    expect(resourceNameOf('arn:aws:dynamodb:eu-west-1:111122223333:table/trailwarden-findings')).toBe('trailwarden-findings');
    expect(resourceNameOf('trailwarden-findings')).toBe('trailwarden-findings');
    expect(resourceNameOf('path/not/an/arn')).toBe('path/not/an/arn');
  });
});
