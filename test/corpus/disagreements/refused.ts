/**
 * Corpus rows labelled violations that intake refuses (truncated records, placeholder values, lower-case keys), so
 * no control can judge them; each with what a whole record would meet. They are not judged; the agreement test
 * fails on a refused violation missing here and on an entry here that intake reads.
 */
export const refused: Record<string, string> = {
  'panther:AWS.CloudTrail.PasswordSpraying:0':
    'intake refuses it: the record has no eventTime (also no eventID, sourceIPAddress); the source rule is disabled by default and needs many sign-ins across users, a volume rule',
  'panther:AWS.CloudTrail.PasswordSpraying:3':
    'intake refuses it: the record has no eventTime (also no eventID, sourceIPAddress); the source rule is disabled by default and needs many sign-ins across users, a volume rule',
  'panther:AWS.EC2.EBS.Encryption.Disabled:0':
    'truncated record: no eventTime, userIdentity or eventID, so intake refuses it (data.encryption-at-rest-disabled flags DisableEbsEncryptionByDefault when it arrives whole)',
  'panther:AWS.IPSet.Modified:0':
    'intake refuses the event: lower-case CloudTrail keys (eventname, eventsource) and no userIdentity or requestParameters, so there is no list or activate flag to check',
  'panther:AWS.IPSet.Modified:1':
    'intake refuses the event: lower-case CloudTrail keys (eventname, eventsource) and no userIdentity or requestParameters, so there is no list or activate flag to check',
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
  'panther:AWS.CloudTrail.VPCE.S3ExternalIP:0':
    "intake refuses it: the record has no awsRegion (nor eventID, eventVersion); the source rule also needs to know which addresses are the VPC's own",
  'streamalert:cloudtrail_network_acl_ingress_anywhere:0':
    'intake refuses it: the envelope\'s account is a number and the entry\'s fields are "..." placeholders; a real open entry is judged by network.network-acl-open-to-internet',
  'streamalert:cloudtrail_put_bucket_acl:0':
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-bucket-public flags public bucket ACLs)',
  'streamalert:cloudtrail_put_object_acl_public:1':
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-object-public flags public object ACLs)',
  'streamalert:cloudtrail_put_object_acl_public:2':
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-object-public flags public object ACLs)',
  'streamalert:cloudtrail_put_object_acl_public_publisher_example:0':
    'placeholder envelope ("account" a number, "time" "..."), so intake refuses it (data.s3-object-public flags public object ACLs)',
  'streamalert:cloudtrail_root_account_usage:0':
    'intake refuses it: the envelope\'s time is the placeholder "...", its account a number, and most fields are "..." placeholders; a real root sign-in is reported by iam.root-account-used',
  'streamalert:cloudtrail_security_group_ingress_anywhere:0':
    'intake refuses it: the envelope\'s account is a number and the rule\'s fields are "..." placeholders; a real open rule is judged by network.security-group-open-to-internet',
};
