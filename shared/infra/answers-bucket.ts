/**
 * The answers bucket: where the api function writes an export or report too large for a Lambda
 * answer, and from which the caller downloads it through a presigned GET URL of 15 minutes
 * (shared/adapters/s3/answer-store.ts). Objects live a day at most; the bucket is private, encrypted
 * with the stack's key, reachable over TLS only; only the api role writes and reads it, under
 * `answers/`. Versioning is off: an answer is written once and read for minutes.
 *
 * CloudFormation names, from the AWS::S3::Bucket reference:
 * - BucketEncryption.ServerSideEncryptionConfiguration: [ServerSideEncryptionRule]
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-bucketencryption.html),
 *   a rule being { BucketKeyEnabled, ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms, KMSMasterKeyID } }
 *   (aws-properties-s3-bucket-serversideencryptionrule.html, aws-properties-s3-bucket-serversideencryptionbydefault.html;
 *   the key by its full ARN, as those pages recommend for a customer managed key);
 * - PublicAccessBlockConfiguration: { BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets }
 *   (aws-properties-s3-bucket-publicaccessblockconfiguration.html);
 * - OwnershipControls: { Rules: [{ ObjectOwnership: BucketOwnerEnforced }] } — ACLs off
 *   (aws-properties-s3-bucket-ownershipcontrols.html, aws-properties-s3-bucket-ownershipcontrolsrule.html);
 * - LifecycleConfiguration.Rules: [{ Id, Status, ExpirationInDays, AbortIncompleteMultipartUpload: { DaysAfterInitiation } }]
 *   (aws-properties-s3-bucket-abortincompletemultipartupload.html; ExpirationInDays and Status as in the
 *   S3 LifecycleRule, https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html);
 * - AWS::S3::BucketPolicy: { Bucket, PolicyDocument }.
 *
 * The key policy needs nothing more: it lets the account grant the key through IAM
 * (AccountAdministersThroughIam, data-resources.ts), and S3 uses the key on behalf of the caller, so
 * the api role's own kms:GenerateDataKey and kms:Decrypt suffice ("To upload or download an object
 * encrypted with an AWS KMS key … you need kms:GenerateDataKey and kms:Decrypt permissions on the
 * key", which multipart uploads need too, https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions).
 */
import { ANSWER_KEY_PREFIX } from '../adapters/s3/answer-keys';
import { arnOf, denyInsecureTransport, type IamStatement, type Resource, ref, sub } from './cloudformation';

/** Days an answer is kept (S3 lifecycle expiry counts whole days: 1 is the least). */
export const ANSWER_RETENTION_DAYS = 1;

/** The bucket and its policy. */
export function answersBucketResources(): Record<string, Resource> {
  return {
    AnswersBucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf('TrailwardenKey') }, BucketKeyEnabled: true },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'ExpireAnswers',
              Status: 'Enabled',
              ExpirationInDays: ANSWER_RETENTION_DAYS,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: ANSWER_RETENTION_DAYS },
            },
          ],
        },
        Tags: [{ Key: 'trailwarden:purpose', Value: 'exports and reports too large for an API answer, kept a day' }],
      },
    },
    AnswersBucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: ref('AnswersBucket'),
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [denyInsecureTransport('s3:*', [arnOf('AnswersBucket'), sub('${AnswersBucket.Arn}/*')])],
        },
      },
    },
  };
}

/**
 * The api role's access: write an answer (PutObject, which also covers creating, uploading parts of
 * and completing a multipart upload), abort a multipart upload that failed, and read one (GetObject:
 * a presigned URL acts with the permissions of the role that signed it: "The credentials used by the
 * presigned URL are those of the … IAM principal who generated the URL",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html), under `answers/` only; and
 * the stack key for SSE-KMS.
 */
export const ANSWERS_ACCESS: IamStatement[] = [
  {
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
    Resource: [sub(`\${AnswersBucket.Arn}/${ANSWER_KEY_PREFIX}*`)],
  },
  { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [arnOf('TrailwardenKey')] },
];

/** The api function's environment entry naming the bucket. */
export const ANSWERS_BUCKET_ENVIRONMENT = { ANSWERS_BUCKET: ref('AnswersBucket') };
