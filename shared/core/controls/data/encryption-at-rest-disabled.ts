import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, isTrue } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, regionOf, requestOf, responseOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { EC2_SOURCE, RDS_SOURCE, S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { dbClusterArn, dbInstanceArn } from './support';

/**
 * Whether an RDS create call produced unencrypted storage: the response's storageEncrypted when
 * present (it reflects defaults and inheritance), else the request's (omitted means unencrypted).
 */
function rdsUnencrypted(event: EventBridgeEvent): boolean {
  const response = responseOf(event).storageEncrypted;
  if (typeof response === 'boolean') return !response;
  return !isTrue(requestOf(event).storageEncrypted);
}

/**
 * DeleteBucketEncryption resets a bucket's default encryption to SSE-S3 (S3 encrypts every new
 * object since January 2023), so data stays encrypted at rest: what is lost is the configured KMS
 * key — its key policy as a second access check, its usage log, and crypto-shredding. LOW.
 */
function evaluateS3(event: EventBridgeEvent): Violation[] {
  const bucket = asString(requestOf(event).bucketName);
  if (!bucket) return [];
  return [
    {
      resourceId: bucketArn(event, bucket),
      resourceType: 'AWS::S3::Bucket',
      severity: 'LOW',
      message: `The default encryption configuration of S3 bucket ${bucket} was deleted; new objects fall back to SSE-S3 (S3-managed keys) instead of the configured keys`,
      evidence: { bucketName: bucket },
    },
  ];
}

function evaluateRds(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  const instance = recordOf(event).eventName === 'CreateDBInstance';
  const id = asString(instance ? request.dBInstanceIdentifier : request.dBClusterIdentifier);
  // Instances of an Aurora cluster take their storage encryption from the cluster (CreateDBCluster).
  if (!id || (instance && asString(request.dBClusterIdentifier)) || !rdsUnencrypted(event)) return [];
  const what = instance ? 'instance' : 'cluster';
  return [
    {
      resourceId: instance ? dbInstanceArn(event, id) : dbClusterArn(event, id),
      resourceType: instance ? 'AWS::RDS::DBInstance' : 'AWS::RDS::DBCluster',
      message: `RDS DB ${what} ${id} was created without storage encryption`,
      evidence: {
        [instance ? 'dBInstanceIdentifier' : 'dBClusterIdentifier']: id,
        engine: request.engine ?? null,
        storageEncrypted: responseOf(event).storageEncrypted ?? request.storageEncrypted ?? null,
      },
    },
  ];
}

function evaluateEc2(event: EventBridgeEvent): Violation[] {
  if (recordOf(event).eventName === 'DisableEbsEncryptionByDefault') {
    const account = accountOf(event);
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: 'ebs-encryption-by-default',
        message: `EBS encryption by default was turned off for account ${account} in ${regionOf(event)}`,
        evidence: { eventName: 'DisableEbsEncryptionByDefault', awsRegion: regionOf(event) },
      },
    ];
  }
  if (recordOf(event).eventName === 'CreateImage') return unencryptedImageVolumes(event);
  const response = responseOf(event);
  const volumeId = asString(response.volumeId);
  // The response states the outcome, encryption by default included; without one, trust the request.
  const unencrypted = typeof response.encrypted === 'boolean' ? !response.encrypted : !isTrue(requestOf(event).encrypted);
  if (!volumeId || !unencrypted) return [];
  return [
    {
      resourceId: volumeId,
      resourceType: 'AWS::EC2::Volume',
      severity: 'MEDIUM',
      message: `EBS volume ${volumeId} was created unencrypted in ${asString(response.zone) ?? regionOf(event)}`,
      evidence: {
        volumeId,
        encrypted: response.encrypted ?? requestOf(event).encrypted ?? null,
        snapshotId: requestOf(event).snapshotId ?? null,
      },
    },
  ];
}

/**
 * An AMI created with EBS volumes its request asks unencrypted (`blockDeviceMapping.items[].ebs.encrypted:
 * false`): its snapshots hold the instance's data unencrypted, and every instance launched from it too.
 */
function unencryptedImageVolumes(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  const mappings = asArray(asRecord(request.blockDeviceMapping).items).map(asRecord);
  const devices = mappings
    .filter((mapping) => asRecord(mapping.ebs).encrypted === false)
    .map((mapping) => asString(mapping.deviceName) ?? '?');
  if (devices.length === 0) return [];
  const imageId = asString(responseOf(event).imageId);
  const instanceId = asString(request.instanceId);
  const resourceId = imageId ?? instanceId;
  if (!resourceId) return [];
  return [
    {
      resourceId,
      resourceType: imageId ? 'AWS::EC2::Image' : 'AWS::EC2::Instance',
      severity: 'MEDIUM',
      message: `AMI ${imageId ?? asString(request.name) ?? '(unnamed)'} was created from ${instanceId ?? 'an instance'} with unencrypted EBS volumes (${devices.join(', ')})`,
      evidence: { imageId: imageId ?? null, instanceId: instanceId ?? null, unencryptedDevices: devices },
    },
  ];
}

/**
 * Encryption at rest removed or absent where the event decides it: an S3 bucket's default
 * encryption deleted (LOW: it reverts to SSE-S3, losing the customer-managed key), an RDS instance or cluster created unencrypted (encryption cannot be added
 * later), an EBS volume or an AMI's volumes created unencrypted, EBS encryption by default turned off for a region.
 */
export const encryptionAtRestDisabled: Control = {
  id: 'data.encryption-at-rest-disabled',
  area: 'data',
  title: 'Encryption at rest removed or absent',
  severity: 'HIGH',
  rationale:
    'Unencrypted storage exposes data to anyone who obtains the disk, snapshot or backup outside the service’s access checks, and most frameworks require encryption of stored personal and cardholder data.',
  runbook: [
    'S3: restore default encryption with the intended key: S3 console → <bucket> → Properties → Default encryption → Edit; CLI `aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key-arn>"},"BucketKeyEnabled":true}]}\'`.',
    'RDS (encryption cannot be turned on in place): snapshot the database, copy the snapshot with encryption (`aws rds copy-db-snapshot --source-db-snapshot-identifier <snap> --target-db-snapshot-identifier <snap>-enc --kms-key-id <key>`), restore from the encrypted copy, switch clients, then delete the unencrypted instance (`aws rds delete-db-instance --db-instance-identifier <id> --final-db-snapshot-identifier <id>-final`).',
    'EBS volume: snapshot it, `aws ec2 copy-snapshot --source-region <region> --source-snapshot-id <snap> --encrypted`, create a volume from the encrypted copy, swap it in, then `aws ec2 delete-volume --volume-id <vol>`.',
    'EBS default: EC2 console → Settings → Data protection and security → EBS encryption → Manage → Enable; CLI `aws ec2 enable-ebs-encryption-by-default --region <region>`.',
    'Prevent recurrence with an SCP or Config rule denying rds:CreateDBInstance without rds:StorageEncrypted and ec2:CreateVolume without ec2:Encrypted.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '2.2.1' },
    { framework: 'cis-aws', requirement: '2.3.1' },
    { framework: 'fsbp', requirement: 'EC2.3' },
    { framework: 'fsbp', requirement: 'EC2.7' },
    { framework: 'fsbp', requirement: 'RDS.3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-28' },
    { framework: 'nist-800-53-r5', requirement: 'SC-28(1)' },
    { framework: 'hipaa', requirement: '164.312(a)(2)(iv)' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(a)' },
  ],
  patterns: [
    apiCallPattern(S3_SOURCE, ['DeleteBucketEncryption']),
    apiCallPattern(RDS_SOURCE, ['CreateDBInstance', 'CreateDBCluster']),
    apiCallPattern(EC2_SOURCE, ['CreateVolume', 'CreateImage', 'DisableEbsEncryptionByDefault']),
  ],
  evaluate(event) {
    switch (recordOf(event).eventSource) {
      case S3_SOURCE:
        return evaluateS3(event);
      case RDS_SOURCE:
        return evaluateRds(event);
      case EC2_SOURCE:
        return evaluateEc2(event);
      default:
        return [];
    }
  },
  resolution: {
    description:
      'PutBucketEncryption (bucket), DeleteDBInstance / DeleteDBCluster (database), DeleteVolume (volume), DeregisterImage (AMI), EnableEbsEncryptionByDefault (region)',
    patterns: [
      apiCallPattern(S3_SOURCE, ['PutBucketEncryption']),
      apiCallPattern(RDS_SOURCE, ['DeleteDBInstance', 'DeleteDBCluster']),
      apiCallPattern(EC2_SOURCE, ['DeleteVolume', 'DeregisterImage', 'EnableEbsEncryptionByDefault']),
    ],
    resolve(event) {
      const request = requestOf(event);
      switch (recordOf(event).eventName) {
        case 'PutBucketEncryption': {
          const bucket = asString(request.bucketName);
          return bucket
            ? [{ resourceId: bucketArn(event, bucket), message: `S3 bucket ${bucket} has a default encryption configuration again` }]
            : [];
        }
        case 'DeleteDBInstance': {
          const id = asString(request.dBInstanceIdentifier);
          return id ? [{ resourceId: dbInstanceArn(event, id), message: `RDS DB instance ${id} was deleted` }] : [];
        }
        case 'DeleteDBCluster': {
          const id = asString(request.dBClusterIdentifier);
          return id ? [{ resourceId: dbClusterArn(event, id), message: `RDS DB cluster ${id} was deleted` }] : [];
        }
        case 'DeregisterImage': {
          const imageId = asString(request.imageId);
          return imageId ? [{ resourceId: imageId, message: `AMI ${imageId} was deregistered` }] : [];
        }
        case 'DeleteVolume': {
          const volumeId = asString(request.volumeId);
          return volumeId ? [{ resourceId: volumeId, message: `EBS volume ${volumeId} was deleted` }] : [];
        }
        case 'EnableEbsEncryptionByDefault': {
          const account = accountOf(event);
          return [
            {
              resourceId: account,
              qualifier: 'ebs-encryption-by-default',
              message: `EBS encryption by default is on again for account ${account} in ${regionOf(event)}`,
            },
          ];
        }
        default:
          return [];
      }
    },
  },
};
