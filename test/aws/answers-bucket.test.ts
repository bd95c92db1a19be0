/**
 * The answers bucket in the stack (shared/infra/answers-bucket.ts), read from `buildStack` — the data
 * serverless.yml deploys (test/aws/stack.test.ts packages the whole template with osls): private,
 * encrypted with the stack key, TLS only, emptied daily; the api function alone may write and read it,
 * under `answers/`; and trailwarden's own controls raise nothing when CloudFormation creates it or
 * when the api function writes an answer.
 */
import { ALL_CONTROLS } from '../../shared/core/controls';
import { evaluateEvent } from '../../shared/core/evaluation/evaluate';
import { createEngine } from '../../shared/app/compose';
import { wrapCloudTrailRecord } from '../../shared/core/intake/envelope';
import type { CloudTrailRecord, EventBridgeEvent } from '../../shared/core/model/event';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { controlsByArea } from '../../shared/infra/serverless-config';
import { buildStack, type IamStatement } from '../../shared/infra/stack';

// biome-ignore lint/suspicious/noExplicitAny: template properties are walked as untyped JSON.
type Json = any;

const stack = buildStack({ controlsByArea: controlsByArea(), settings: DEFAULT_SETTINGS });
const resources = stack.resources.Resources as Record<string, { Type: string; Properties: Json }>;
const bucket = resources.AnswersBucket!;
const KEY_ARN = { 'Fn::GetAtt': ['TrailwardenKey', 'Arn'] };
const BUCKET_ARN = { 'Fn::GetAtt': ['AnswersBucket', 'Arn'] };

describe('the answers bucket', () => {
  it('is encrypted by default with the stack key (SSE-KMS, S3 Bucket Key on)', () => {
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties!.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN }, BucketKeyEnabled: true },
      ],
    });
  });

  it('blocks every kind of public access and disables ACLs; keeps no versions', () => {
    expect(bucket.Properties!.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties!.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties!.VersioningConfiguration).toBeUndefined();
  });

  it('expires answers after a day, and incomplete multipart uploads too', () => {
    expect(bucket.Properties!.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'ExpireAnswers', Status: 'Enabled', ExpirationInDays: 1, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
    });
  });

  it('refuses every request not made over TLS, to the bucket and its objects', () => {
    const policy = resources.AnswersBucketPolicy!;
    expect(policy.Type).toBe('AWS::S3::BucketPolicy');
    expect(policy.Properties!.Bucket).toEqual({ Ref: 'AnswersBucket' });
    expect(policy.Properties!.PolicyDocument.Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [BUCKET_ARN, { 'Fn::Sub': '${AnswersBucket.Arn}/*' }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('is named to the api function only (ANSWERS_BUCKET)', () => {
    expect(stack.functions.api!.environment.ANSWERS_BUCKET).toEqual({ Ref: 'AnswersBucket' });
    for (const [name, fn] of Object.entries(stack.functions)) if (name !== 'api') expect(fn.environment.ANSWERS_BUCKET).toBeUndefined();
  });

  it('may be written and read by the api role under answers/ only, with the stack key; by no other role', () => {
    const touchesBucket = (statement: IamStatement) => JSON.stringify(statement.Resource).includes('AnswersBucket');
    const api = stack.functions.api!.iamRoleStatements;
    expect(api.filter(touchesBucket)).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        Resource: [{ 'Fn::Sub': '${AnswersBucket.Arn}/answers/*' }],
      },
    ]);
    expect(api.filter((statement) => statement.Action.some((action) => action.startsWith('s3:')))).toHaveLength(1);
    expect(api).toContainEqual({ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [KEY_ARN] });
    for (const [name, fn] of Object.entries(stack.functions)) {
      if (name === 'api') continue;
      expect(fn.iamRoleStatements.filter((s) => touchesBucket(s) || s.Action.some((a) => a.startsWith('s3:')))).toEqual([]);
    }
    // The key policy lets IAM policies grant the key (S3 uses it on the caller's behalf): nothing to add there.
    const keyPolicy = resources.TrailwardenKey!.Properties!.KeyPolicy.Statement as Json[];
    expect(keyPolicy).toContainEqual(expect.objectContaining({ Sid: 'AccountAdministersThroughIam', Action: 'kms:*' }));
  });
});

describe('trailwarden watching its own answers bucket', () => {
  const ACCOUNT = '210987654321';
  const REGION = 'eu-west-1';
  const NAME = 'trailwarden-prod-answersbucket-1a2b3c4d5e6f';
  /** The template's values as CloudFormation resolves them, for the bucket and the key. */
  const resolved = (value: Json): Json =>
    JSON.parse(
      JSON.stringify(value)
        .replaceAll('{"Fn::GetAtt":["AnswersBucket","Arn"]}', `"arn:aws:s3:::${NAME}"`)
        .replaceAll('{"Fn::Sub":"${AnswersBucket.Arn}/*"}', `"arn:aws:s3:::${NAME}/*"`)
        .replaceAll(
          '{"Fn::GetAtt":["TrailwardenKey","Arn"]}',
          `"arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"`,
        ),
    );
  const call = (eventName: string, requestParameters: Json, extra: Partial<CloudTrailRecord> = {}): EventBridgeEvent =>
    wrapCloudTrailRecord({
      eventVersion: '1.10',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/trailwarden-prod-deployer/AWSCloudFormation`,
        accountId: ACCOUNT,
      },
      eventTime: '2026-11-29T10:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName,
      awsRegion: REGION,
      sourceIPAddress: 'cloudformation.amazonaws.com',
      requestParameters: { bucketName: NAME, ...requestParameters },
      responseElements: null,
      eventID: `${eventName}-answers`,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
      resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${NAME}` }],
      ...extra,
    } as unknown as CloudTrailRecord) as unknown as EventBridgeEvent;

  /** `eventName: control` for every control of the catalogue (default settings) that the calls violate. */
  function raisedBy(events: EventBridgeEvent[]): string[] {
    const { router, context } = createEngine({ ...DEFAULT_SETTINGS }, ALL_CONTROLS);
    return events.flatMap((event) => {
      const violated = evaluateEvent(event, router, context).outcomes.filter((outcome) => outcome.violations.length > 0);
      return violated.map((outcome) => `${(event.detail as Json).eventName}: ${outcome.control.id}`);
    });
  }

  it('raises no finding for the calls that create the bucket, nor for the api function writing an answer', () => {
    const properties = resolved(bucket.Properties);
    const [rule] = properties.BucketEncryption.ServerSideEncryptionConfiguration;
    const keyArn = rule.ServerSideEncryptionByDefault.KMSMasterKeyID;
    const events = [
      call('CreateBucket', {}),
      call('PutBucketEncryption', {
        ServerSideEncryptionConfiguration: {
          Rule: { ApplyServerSideEncryptionByDefault: rule.ServerSideEncryptionByDefault, BucketKeyEnabled: rule.BucketKeyEnabled },
        },
      }),
      call('PutBucketPublicAccessBlock', { PublicAccessBlockConfiguration: properties.PublicAccessBlockConfiguration }),
      call('PutBucketOwnershipControls', { OwnershipControls: { Rule: properties.OwnershipControls.Rules[0] } }),
      call('PutBucketLifecycle', { LifecycleConfiguration: { Rule: properties.LifecycleConfiguration.Rules[0] } }),
      call('PutBucketPolicy', { bucketPolicy: resolved(resources.AnswersBucketPolicy!.Properties!.PolicyDocument) }),
      call('PutObject', { key: 'answers/0123456789abcdef0123456789abcdef', 'x-amz-server-side-encryption': 'aws:kms' }, {
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/trailwarden-prod-api/trailwarden-prod-api`,
          accountId: ACCOUNT,
        },
        responseElements: { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': keyArn },
        eventCategory: 'Data',
      } as Partial<CloudTrailRecord>),
    ];
    expect(raisedBy(events)).toEqual([]);
  });

  it('would notice the same bucket without TLS enforcement or with public access allowed (the check above can fail)', () => {
    const weakened = [
      call('PutBucketPolicy', { bucketPolicy: { Version: '2012-10-17', Statement: [] } }),
      call('PutBucketPublicAccessBlock', { PublicAccessBlockConfiguration: { BlockPublicAcls: true } }),
    ];
    expect(raisedBy(weakened)).toEqual([
      'PutBucketPolicy: data.s3-tls-not-enforced',
      'PutBucketPublicAccessBlock: data.s3-block-public-access-disabled',
    ]);
  });
});
