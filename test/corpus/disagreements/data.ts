/**
 * Corpus events of the data area where trailwarden deliberately disagrees with the source's label,
 * each with a one-line reason. The agreement test fails on a disagreement missing here and on an
 * entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  // Intake refuses the event: truncated records or placeholder values.
  'panther:AWS.EC2.EBS.Encryption.Disabled:0':
    'truncated record: no eventTime, userIdentity or eventID, so intake refuses it (data.encryption-at-rest-disabled flags DisableEbsEncryptionByDefault when it arrives whole)',
  'panther:AWS.CloudTrail.ResourceMadePublic:8':
    'truncated record without recipientAccountId or userIdentity.accountId, so intake refuses it (data.resource-policy-public flags public OpenSearch domain policies)',
  'panther:AWS.CloudTrail.ResourceMadePublic:9':
    'truncated record without recipientAccountId or userIdentity.accountId, so intake refuses it (data.resource-policy-public flags public key policies)',
  'panther:AWS.CloudTrail.ResourceMadePublic:10':
    'truncated record without recipientAccountId or userIdentity.accountId, so intake refuses it (data.resource-policy-public flags public queue policies)',
  'panther:AWS.SecretsManager.BatchRetrieveSecrets:0':
    'truncated record without eventTime or userIdentity, so intake refuses it; whole, it would be judged by data.secret-read-by-iam-user on the caller type',
  'panther:AWS.SecretsManager.BatchRetrieveSecretsCatchAll:0':
    'truncated record without eventTime or userIdentity, so intake refuses it; whole, it would be judged by data.secret-read-by-iam-user on the caller type',
  'panther:AWS.SecretsManager.RetrieveSecretsMultiRegion:0':
    'truncated record without eventTime or userIdentity, so intake refuses it; whole, it would be judged by data.secret-read-by-iam-user on the caller type',
  'streamalert:cloudtrail_put_bucket_acl:0':
    'placeholder envelope whose "account" is a number, so intake refuses it (data.s3-bucket-public flags public bucket ACLs)',
  'streamalert:cloudtrail_put_object_acl_public:1':
    'placeholder envelope whose "account" is a number, so intake refuses it (data.s3-object-public flags public object ACLs)',
  'streamalert:cloudtrail_put_object_acl_public:2':
    'placeholder envelope whose "account" is a number, so intake refuses it (data.s3-object-public flags public object ACLs)',
  'streamalert:cloudtrail_put_object_acl_public_publisher_example:0':
    'placeholder envelope whose "account" is a number, so intake refuses it (data.s3-object-public flags public object ACLs)',

  // Raised, but by a control of another area: trailwarden files the signal there.
  'panther:AWS.CloudTrail.SnapshotMadePublic:0':
    'raised by host.image-or-snapshot-shared: trailwarden files EBS snapshot and AMI sharing under host, and does not duplicate it in data',
  'panther:AWS.CloudTrail.SnapshotMadePublic:3':
    'raised by host.image-or-snapshot-shared: trailwarden files EBS snapshot and AMI sharing under host, and does not duplicate it in data',
  'streamalert:cloudtrail_snapshot_or_ami_made_public:2':
    'raised by host.image-or-snapshot-shared: trailwarden files EBS snapshot and AMI sharing under host, and does not duplicate it in data',
  'stratus:aws.exfiltration.ec2-share-ebs-snapshot:0':
    'raised by host.image-or-snapshot-shared: trailwarden files EBS snapshot and AMI sharing under host, and does not duplicate it in data',
  'panther:AWS.RDS.InstanceMadePublic:0':
    'raised by network.rds-instance-public: a publicly accessible database endpoint is a network exposure in trailwarden, not duplicated in data',
  'panther:AWS.RDS.PublicRestore:2':
    'raised by network.rds-instance-public: a publicly accessible database endpoint is a network exposure in trailwarden, not duplicated in data',
  'panther:AWS.RDS.InstanceMadePublic:1':
    'ModifyDBCluster publiclyAccessible is a network exposure that belongs to network.rds-instance-public (which reads instances only today), not to a data control',
  'panther:AWS.S3.SecurityControlDisabling:0':
    'raised by audit.s3-access-logging-disabled: trailwarden files the loss of S3 server access logs under audit',

  // We deliberately flag what the source clears.
  'panther:AWS.RDS.PublicRestore:0':
    'we deliberately flag this CreateDBInstance: storage unencrypted and automated backups kept 1 day; the source rule only asks whether it is a public restore',
  'panther:AWS.CloudTrail.ResourceMadePublic:2':
    'we deliberately flag a bucket policy without a Deny on aws:SecureTransport false (CIS 2.1.1, FSBP S3.5); the source rule only asks whether the policy is public',
  'panther:AWS.S3.DisableMfaDelete:3':
    'we deliberately flag DeleteBucketEncryption at LOW: default encryption falls back to SSE-S3, losing the configured KMS key; the source rule is about MFA delete',
  'panther:AWS.S3.SuspendVersioning:4':
    'we deliberately flag DeleteBucketEncryption at LOW: default encryption falls back to SSE-S3, losing the configured KMS key; the source rule is about versioning',
  'streamalert:cloudtrail_snapshot_or_ami_made_public:3':
    'we deliberately flag an RDS snapshot shared with an account outside settings.trustedAccounts; the source only alerts on sharing with everyone',

  // Routine or informational activity (reads, lists, ordinary changes) that trailwarden does not report.
  'panther:AWS.S3.BucketDeleted:0':
    'informational source rule (Severity Info): deleting a bucket, which S3 allows only once it is empty, is routine housekeeping',
  'panther:AWS.S3.BucketPolicyModified:0':
    'informational source rule (Severity Info): this PutBucketAcl sets the canned ACL private, which makes the bucket no more open',
  'panther:AWS.S3.DeleteObject:0':
    'informational source rule (Severity Info): deleting one object is routine; destructive intent needs volume (many deletions) or versioning context',
  'panther:AWS.S3.DeleteObjects:0':
    'informational source rule (Severity Info): a batch delete is routine; destructive intent needs volume or versioning context',
  'panther:AWS.RDS.SnapshotEnumeration:0':
    'a DescribeDBSnapshots read (includePublic) is reconnaissance only in volume or from an unusual principal, context we do not have',
  'panther:AWS.RDS.SnapshotEnumeration:1':
    'a DescribeDBClusterSnapshots read (includeShared) is reconnaissance only in volume or from an unusual principal, context we do not have',
  'panther:AWS.RDS.LogFileDownloaded:0':
    'downloading a database log file is routine DBA work; trailwarden does not report reads of logs',
  'panther:AWS.RDS.LogFileDownloaded:1':
    'downloading a database log file is routine DBA work; trailwarden does not report reads of logs',
  'panther:AWS.RDS.IAMRoleAdded:0':
    'associating an IAM role with a DB instance for a feature (s3Import) is ordinary configuration; whether the role is too broad needs its policy, which the event does not carry',
  'panther:AWS.RDS.IAMRoleAdded:1':
    'associating an IAM role with a DB cluster for a feature (Lambda) is ordinary configuration; whether the role is too broad needs its policy, which the event does not carry',
  'panther:AWS.RDS.InstanceDeletion:0':
    'a DB instance deleted with a final snapshot keeps its data; data.backup-protection-removed reports deletions that skip the final snapshot',
  'panther:AWS.RDS.InstanceDeletion:2':
    'a DB cluster deleted with a final snapshot keeps its data; data.backup-protection-removed reports deletions that skip the final snapshot',
  'panther:AWS.RDS.SnapshotCopiedCrossRegion:0':
    'copying a snapshot to another region of the same account is the usual disaster-recovery practice; residency rules would need a per-organization region list we do not have',
  'panther:AWS.RDS.SnapshotCopiedCrossRegion:1':
    'copying a cluster snapshot to another region of the same account is the usual disaster-recovery practice; residency rules would need a per-organization region list',
  'panther:AWS.RDS.SnapshotDeleted:0':
    'deleting a manual snapshot is routine cleanup and the remediation data.rds-snapshot-unencrypted recommends; destructive intent needs volume or context',
  'panther:AWS.RDS.SnapshotDeleted:1':
    'deleting a manual cluster snapshot is routine cleanup and the remediation data.rds-snapshot-unencrypted recommends; destructive intent needs volume or context',
  'panther:AWS.Macie.Evasion:1':
    'UpdateMacieSession changing only findingPublishingFrequency does not pause Macie (audit.macie-disabled reports pauses and disabling); new findings still publish at once',
  'panther:AWS.Macie.Evasion:2':
    'UpdateMacieSession changing only findingPublishingFrequency does not pause Macie (audit.macie-disabled reports pauses and disabling); new findings still publish at once',

  // The source's verdict rests on context, volume or a value S3 does not accept.
  'panther:AWS.S3.CopyObjectToExternalAccountBucket:0':
    'the destination bucket named in the request is not among the record\'s resources entries, so its owner account cannot be established from the event',
  'panther:AWS.S3.RansomwareNoteUpload:0':
    'matching object names against a list of ransom-note file names is a heuristic trailwarden does not ship; data.s3-encrypted-with-foreign-key covers the re-encryption itself',
  'panther:AWS.S3.SecurityControlDisabling:2':
    'VersioningConfiguration Status "Disabled" is not a value S3 accepts (Enabled | Suspended): a real call fails, so nothing changed',
  'panther:AWS.S3.SuspendVersioning:1':
    'VersioningConfiguration Status "Disabled" is not a value S3 accepts (Enabled | Suspended): a real call fails, so nothing changed',
  'panther:AWS.SecretsManager.RetrieveSecrets:0':
    'a denied GetSecretValue by a role session revealed nothing; one attempt needs volume to mean something (iam.access-denied records denied calls)',
  'panther:AWS.SSM.DecryptSSMParams:0':
    'decrypting parameters through a role is how workloads read configuration; the source verdict rests on a mocked per-principal count of parameters read',
  'panther:AWS.SSM.DecryptSSMParams:1':
    'decrypting parameters through a role is how workloads read configuration; the source verdict rests on a mocked per-principal count of parameters read',
  'panther:AWS.SSM.DecryptSSMParams:2':
    'decrypting parameters through a role is how workloads read configuration; the source verdict rests on a mocked per-principal count of parameters read',
};
