/**
 * Corpus rows of the data area that are judged (their rule's concern has controls, intake reads them) and on
 * which trailwarden deliberately disagrees with the source's label, each with a one-line reason. The agreement
 * test fails on a disagreement missing here and on an entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  'panther:AWS.Macie.Evasion:1':
    'UpdateMacieSession changing only findingPublishingFrequency does not pause Macie (audit.macie-disabled reports pauses and disabling); new findings still publish at once',
  'panther:AWS.Macie.Evasion:2':
    'UpdateMacieSession changing only findingPublishingFrequency does not pause Macie (audit.macie-disabled reports pauses and disabling); new findings still publish at once',
  'panther:AWS.RDS.PublicRestore:0':
    'we deliberately flag this CreateDBInstance: storage unencrypted and automated backups kept 1 day; the source rule only asks whether it is a public restore',
  'panther:AWS.S3.BucketPolicyModified:0':
    'informational source rule (Severity Info) on every bucket policy or ACL change: this PutBucketAcl sets the canned ACL private, which opens nothing; trailwarden judges policy and ACL content (data.s3-bucket-public, data.s3-tls-not-enforced) instead of recording each change',
  'panther:AWS.S3.SecurityControlDisabling:2':
    'VersioningConfiguration Status "Disabled" is not a value S3 accepts (Enabled | Suspended): a real call fails, so nothing changed',
  'panther:AWS.S3.SuspendVersioning:1':
    'VersioningConfiguration Status "Disabled" is not a value S3 accepts (Enabled | Suspended): a real call fails, so nothing changed',
  'streamalert:cloudtrail_snapshot_or_ami_made_public:3':
    'we deliberately flag an RDS snapshot shared with an account outside settings.trustedAccounts; the source only alerts on sharing with everyone',
};
