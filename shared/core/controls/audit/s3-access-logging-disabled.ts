import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString, pathGet } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/**
 * What a PutBucketLogging call leaves: 'disabled' when the BucketLoggingStatus it sends has no
 * LoggingEnabled element (S3 turns server access logging off), the target bucket when it has one,
 * undefined when the request carries no BucketLoggingStatus at all (nothing to judge).
 */
function loggingAfter(event: EventBridgeEvent): { enabled: false } | { enabled: true; targetBucket: string | undefined } | undefined {
  const status = pathGet(requestOf(event), 'BucketLoggingStatus');
  if (status === undefined || status === null) return undefined;
  const enabled = asRecord(asRecord(status).LoggingEnabled);
  if (Object.keys(enabled).length === 0) return { enabled: false };
  return { enabled: true, targetBucket: asString(enabled.TargetBucket) };
}

/** settings.confidentialBuckets holds bucket names or bucket ARNs. */
function isConfidential(bucket: string, confidential: readonly string[]): boolean {
  return confidential.some((entry) => entry === bucket || entry.endsWith(`:::${bucket}`));
}

/**
 * S3 server access logging turned off: PutBucketLogging with an empty BucketLoggingStatus.
 * Every bucket is checked; buckets listed in settings.confidentialBuckets are HIGH, others MEDIUM.
 * PutBucketLogging with a LoggingEnabled target resolves it.
 */
export const s3AccessLoggingDisabled: Control = {
  id: 'audit.s3-access-logging-disabled',
  area: 'audit',
  title: 'S3 server access logging turned off',
  severity: 'MEDIUM',
  rationale:
    'Server access logs are the record of every request made to a bucket, including reads that CloudTrail management events never show; turning them off on a bucket with confidential data hides exfiltration.',
  runbook: [
    "Ask the bucket owner whether logging was turned off on purpose; for a confidential bucket treat an unexplained change as possible defense evasion and review the actor's other recent calls.",
    'Console: S3 → Buckets → <bucket> → Properties → Server access logging → Edit → Enable, choose the log destination bucket and prefix → Save changes.',
    'CLI: `aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status \'{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"<bucket>/"}}\'`.',
    'Restrict s3:PutBucketLogging on confidential buckets to the platform role with a bucket policy or SCP.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'S3.9' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1' },
    { framework: 'hipaa', requirement: '164.312(b)' },
    { framework: 'nist-800-53-r5', requirement: 'AU-2' },
    { framework: 'nist-800-53-r5', requirement: 'AU-12' },
  ],
  patterns: [apiCallPattern(S3_SOURCE, ['PutBucketLogging'])],
  evaluate(event, context) {
    const bucket = asString(requestOf(event).bucketName);
    if (!bucket || loggingAfter(event)?.enabled !== false) return [];
    const confidential = isConfidential(bucket, context.settings.confidentialBuckets);
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        message: `Server access logging was turned off on ${confidential ? 'confidential ' : ''}S3 bucket ${bucket}`,
        evidence: { bucketName: bucket, BucketLoggingStatus: pathGet(requestOf(event), 'BucketLoggingStatus') ?? null },
        severity: confidential ? 'HIGH' : 'MEDIUM',
      },
    ];
  },
  resolution: {
    description: 'PutBucketLogging on the same bucket with a LoggingEnabled target bucket',
    patterns: [apiCallPattern(S3_SOURCE, ['PutBucketLogging'])],
    resolve(event) {
      const bucket = asString(requestOf(event).bucketName);
      const after = loggingAfter(event);
      if (!bucket || !after?.enabled || !after.targetBucket) return [];
      return [
        {
          resourceId: bucketArn(event, bucket),
          message: `Server access logging on S3 bucket ${bucket} delivers to ${after.targetBucket} again`,
        },
      ];
    },
  },
};
