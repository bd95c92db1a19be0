import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/**
 * PutBucketVersioning with VersioningConfiguration.MfaDelete "Disabled". A versioning call that does
 * not name MfaDelete leaves it as it was and is not reported; suspending versioning itself is
 * data.backup-protection-removed. Only the root user, with its MFA device, can change MFA delete.
 */
export const s3MfaDeleteDisabled: Control = {
  id: 'data.s3-mfa-delete-disabled',
  area: 'data',
  title: 'S3 bucket MFA delete disabled',
  severity: 'MEDIUM',
  rationale:
    'MFA delete makes permanently deleting an object version or changing the bucket’s versioning need the root user’s MFA code; without it, stolen credentials are enough to destroy the version history that protects against ransomware and mistakes.',
  runbook: [
    'Confirm with the account owner that the change was planned: only the root user can make it, so an unexpected one means the root credentials and MFA device were used.',
    'Re-enable with the root user’s credentials and MFA device (the console cannot do it): `aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "<mfa-device-arn> <code>"`.',
    'Where MFA delete is impractical, protect the bucket with S3 Object Lock or AWS Backup instead, and record the exception.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '2.1.2' },
    { framework: 'fsbp', requirement: 'S3.20' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [
    apiCallPattern(S3_SOURCE, ['PutBucketVersioning'], { requestParameters: { VersioningConfiguration: { MfaDelete: ['Disabled'] } } }),
  ],
  evaluate(event) {
    const request = requestOf(event);
    const bucket = asString(request.bucketName);
    if (!bucket || pathGet(request, 'VersioningConfiguration.MfaDelete') !== 'Disabled') return [];
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        message: `MFA delete was disabled on S3 bucket ${bucket}`,
        evidence: {
          bucketName: bucket,
          VersioningConfiguration: {
            Status: pathGet(request, 'VersioningConfiguration.Status') ?? null,
            MfaDelete: pathGet(request, 'VersioningConfiguration.MfaDelete'),
          },
        },
      },
    ];
  },
  resolution: {
    description: 'PutBucketVersioning with MfaDelete Enabled on the same bucket',
    patterns: [
      apiCallPattern(S3_SOURCE, ['PutBucketVersioning'], { requestParameters: { VersioningConfiguration: { MfaDelete: ['Enabled'] } } }),
    ],
    resolve(event) {
      const request = requestOf(event);
      const bucket = asString(request.bucketName);
      if (!bucket || pathGet(request, 'VersioningConfiguration.MfaDelete') !== 'Enabled') return [];
      return [{ resourceId: bucketArn(event, bucket), message: `MFA delete was re-enabled on S3 bucket ${bucket}` }];
    },
  },
};
