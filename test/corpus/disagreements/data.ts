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
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-bucket-public flags public bucket ACLs)',
  'streamalert:cloudtrail_put_object_acl_public:1':
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-object-public flags public object ACLs)',
  'streamalert:cloudtrail_put_object_acl_public:2':
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-object-public flags public object ACLs)',
  'streamalert:cloudtrail_put_object_acl_public_publisher_example:0':
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-object-public flags public object ACLs)',

  // We deliberately flag what the source clears.
  'panther:AWS.RDS.PublicRestore:0':
    'we deliberately flag this CreateDBInstance: storage unencrypted and automated backups kept 1 day; the source rule only asks whether it is a public restore',
  'panther:AWS.CloudTrail.ResourceMadePublic:2':
    'we deliberately flag a bucket policy without a Deny on aws:SecureTransport false (CIS 2.1.1, FSBP S3.5); the source rule only asks whether the policy is public',
  'panther:AWS.S3.DisableMfaDelete:3':
    "we deliberately flag DeleteBucketEncryption at LOW (as the source's own AWS.S3.DeleteBucketEncryption rule does): default encryption falls back to SSE-S3, losing the configured KMS key; this rule is about MFA delete",
  'panther:AWS.S3.SuspendVersioning:4':
    "we deliberately flag DeleteBucketEncryption at LOW (as the source's own AWS.S3.DeleteBucketEncryption rule does): default encryption falls back to SSE-S3, losing the configured KMS key; this rule is about versioning",
  'streamalert:cloudtrail_snapshot_or_ami_made_public:3':
    'we deliberately flag an RDS snapshot shared with an account outside settings.trustedAccounts; the source only alerts on sharing with everyone',

  // Routine activity (reads, lists, per-object deletions) that trailwarden does not record. Deletions of buckets,
  // databases and snapshots, cross-region snapshot copies, log downloads and role associations are recorded as
  // INFORMATIONAL activity records (data.s3-bucket-deleted, data.database-deleted, …) and agree.
  'panther:AWS.S3.BucketPolicyModified:0':
    'informational source rule (Severity Info) on every bucket policy or ACL change: this PutBucketAcl sets the canned ACL private, which opens nothing; trailwarden judges policy and ACL content (data.s3-bucket-public, data.s3-tls-not-enforced) instead of recording each change',
  'panther:AWS.S3.DeleteObject:0':
    'informational source rule (Severity Info): one object deletion (a data event) is routine and a record per object would flood the store; destructive intent needs volume or versioning context',
  'panther:AWS.S3.DeleteObjects:0':
    'informational source rule (Severity Info): a batch delete is routine; destructive intent needs volume or versioning context',
  'panther:AWS.RDS.SnapshotEnumeration:0':
    'a DescribeDBSnapshots read (includePublic) is reconnaissance only in volume or from an unusual principal, context we do not have',
  'panther:AWS.RDS.SnapshotEnumeration:1':
    'a DescribeDBClusterSnapshots read (includeShared) is reconnaissance only in volume or from an unusual principal, context we do not have',
  'panther:AWS.Macie.Evasion:1':
    'UpdateMacieSession changing only findingPublishingFrequency does not pause Macie (audit.macie-disabled reports pauses and disabling); new findings still publish at once',
  'panther:AWS.Macie.Evasion:2':
    'UpdateMacieSession changing only findingPublishingFrequency does not pause Macie (audit.macie-disabled reports pauses and disabling); new findings still publish at once',

  // The source's verdict rests on context, volume or a value S3 does not accept.
  'panther:AWS.S3.SecurityControlDisabling:2':
    'VersioningConfiguration Status "Disabled" is not a value S3 accepts (Enabled | Suspended): a real call fails, so nothing changed',
  'panther:AWS.S3.SuspendVersioning:1':
    'VersioningConfiguration Status "Disabled" is not a value S3 accepts (Enabled | Suspended): a real call fails, so nothing changed',
};
