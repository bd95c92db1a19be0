/**
 * The public attack-technique references docs/coverage.md answers for (facts: rule ids, titles, paths), each
 * with the trailwarden controls that catch it or why it is out of scope:
 * - every SigmaHQ AWS CloudTrail rule: rules/cloud/aws (and the AWS rules under rules-placeholder/ and
 *   unsupported/), SigmaHQ/sigma at 8eaafff1f2845a696050e05e72ba1140ee190698 (2026-08-05);
 * - every Stratus Red Team AWS technique: docs/attack-techniques/AWS, DataDog/stratus-red-team at
 *   7c9a7a5a63dc370260a6528dd0d30476854806c1 (2026-08-19).
 * test/techniques/coverage.test.ts renders docs/coverage.md from it and checks that every named control exists.
 */

/** What catches a reference: controls (with a note on what part they catch), or the reason it is out of scope. */
export type Coverage = { controls: string[]; note?: string } | { outOfScope: string };

export interface SigmaRule {
  id: string;
  title: string;
  /** The rule file in SigmaHQ/sigma. */
  path: string;
  coverage: Coverage;
}

export interface StratusTechnique {
  /** The Stratus technique id, e.g. `aws.persistence.iam-backdoor-user`. */
  id: string;
  title: string;
  coverage: Coverage;
}

export const SIGMA_RULES: SigmaRule[] = [
  {
    id: '313e72de-0c0d-4d65-8c95-87f4d546eceb',
    title: 'AWS Console Login Monitoring',
    path: 'rules-placeholder/cloud/aws/cloudtrail/aws_cloudtrail_console_login_success_from_susp_locations.yml',
    coverage: {
      outOfScope:
        "needs the organization's list of legitimate countries and address ranges and a geolocation lookup (a placeholder rule in SigmaHQ too)",
    },
  },
  {
    id: '59b70e4d-dd17-44a9-b740-acf07ae3eb6a',
    title: 'AWS Bedrock Guardrail Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_bedrock_guardrail_deleted.yml',
    coverage: { outOfScope: 'Amazon Bedrock is outside the seven areas of a containerized workload' },
  },
  {
    id: '1c722651-254a-4b04-a9f4-99b62a2d0a1f',
    title: 'AWS Bedrock Guardrail Updated',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_bedrock_guardrail_updated.yml',
    coverage: { outOfScope: 'Amazon Bedrock is outside the seven areas of a containerized workload' },
  },
  {
    id: '39c9f26d-6e3b-4dbb-9c7a-4154b0281112',
    title: 'AWS Bucket Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_bucket_deleted.yml',
    coverage: { controls: ['data.s3-bucket-deleted'] },
  },
  {
    id: '6393e346-1977-46ef-8987-ad414a145fad',
    title: 'AWS ConsoleLogin Failed Authentication',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_console_login_failed_authentication.yml',
    coverage: {
      controls: ['iam.console-login-failed'],
      note: 'each failure counted; a burst per user (5 in 10 minutes) raises the finding',
    },
  },
  {
    id: '77caf516-34e5-4df9-b4db-20744fea0a60',
    title: 'AWS Successful Console Login Without MFA',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_console_login_success_without_mfa.yml',
    coverage: { controls: ['iam.console-login-without-mfa'] },
  },
  {
    id: '4db60cc0-36fb-42b7-9b58-a5b53019fb74',
    title: 'AWS CloudTrail Important Change',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml',
    coverage: { controls: ['audit.cloudtrail-logging-stopped', 'audit.cloudtrail-weakened', 'audit.trail-configuration-changed'] },
  },
  {
    id: 'd2656e78-c069-4571-8220-9e0ab5913f19',
    title: 'AWS GuardDuty Detector Deleted Or Updated',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_guardduty_detector_deleted_or_updated.yml',
    coverage: { controls: ['runtime.guardduty-disabled'] },
  },
  {
    id: '352a918a-34d8-4882-8470-44830c507aa3',
    title: 'Malicious Usage Of IMDS Credentials Outside Of AWS Infrastructure',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_imds_malicious_usage.yml',
    coverage: {
      controls: ['runtime.guardduty-finding'],
      note: 'instance credentials used outside AWS show as GuardDuty InstanceCredentialExfiltration findings; a CloudTrail record alone does not say where the instance is',
    },
  },
  {
    id: 'e1f7febb-7b94-4234-b5c6-00fb8500f5dd',
    title: 'New Network ACL Entry Added',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_new_acl_entries.yml',
    coverage: { controls: ['network.network-acl-internet-entry-added', 'network.network-acl-open-to-internet'] },
  },
  {
    id: 'c803b2ce-c4a2-4836-beae-b112010390b1',
    title: 'New Network Route Added',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_new_route_added.yml',
    coverage: { controls: ['network.route-table-changed', 'network.internet-gateway-route-added', 'network.default-route-to-peering'] },
  },
  {
    id: 'a840e606-7c8c-4684-9bc1-eb6b6155127f',
    title: 'PUA - AWS TruffleHog Execution',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_pua_trufflehog.yml',
    coverage: { controls: ['iam.offensive-tool-used'] },
  },
  {
    id: 'a5ffb6ea-c784-4e01-b30a-deb6e58ca2ab',
    title: 'AWS EnableRegion Command Monitoring',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_region_enabled.yml',
    coverage: {
      outOfScope:
        'opting in a region is an account setting; judging it needs the list of regions the organization monitors, which trailwarden has no setting for',
    },
  },
  {
    id: '6fb77778-040f-4015-9440-572aa9b6b580',
    title: 'Ingress/Egress Security Group Modification',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_security_group_change_ingress_egress.yml',
    coverage: {
      controls: ['network.security-group-ingress-added', 'network.security-group-open-to-internet'],
      note: 'egress rules and revocations are not recorded',
    },
  },
  {
    id: '7a4409fc-f8ca-45f6-8006-127d779eaad9',
    title: 'LoadBalancer Security Group Modification',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_security_group_change_loadbalancer.yml',
    coverage: {
      controls: ['network.load-balancer-privatelink-unfiltered', 'network.security-group-open-to-internet'],
      note: "the groups' rules are judged where they are written; SetSecurityGroups turning PrivateLink filtering off is reported",
    },
  },
  {
    id: '14f3f1c8-02d5-43a2-a191-91ffb52d3015',
    title: 'RDS Database Security Group Modification',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_security_group_change_rds.yml',
    coverage: { controls: ['network.db-security-group-open-to-internet', 'network.security-group-ingress-added'] },
  },
  {
    id: '38e7f511-3f74-41d4-836e-f57dfa18eead',
    title: 'Potential Malicious Usage of CloudTrail System Manager',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_ssm_malicious_usage.yml',
    coverage: { controls: ['host.run-command-shell'] },
  },
  {
    id: 'e386b9b5-af12-450e-afff-761730fb8a98',
    title: 'AWS VPC Flow Logs Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_cloudtrail_vpc_flow_logs_deleted.yml',
    coverage: { controls: ['network.traffic-logging-deleted'] },
  },
  {
    id: '07330162-dba1-4746-8121-a9647d49d297',
    title: 'AWS Config Disabling Channel/Recorder',
    path: 'rules/cloud/aws/cloudtrail/aws_config_disable_recording.yml',
    coverage: { controls: ['audit.config-recording-stopped'] },
  },
  {
    id: 'f8103686-e3e8-46f3-be72-65f7fcb4aa53',
    title: 'AWS Console GetSigninToken Potential Abuse',
    path: 'rules/cloud/aws/cloudtrail/aws_console_getsignintoken.yml',
    coverage: { controls: ['iam.console-session-from-api-credentials'] },
  },
  {
    id: '20f754db-d025-4a8f-9d74-e0037e999a9a',
    title: 'SES Identity Has Been Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_delete_identity.yml',
    coverage: { outOfScope: 'Amazon SES identities are outside the seven areas of a containerized workload' },
  },
  {
    id: 'ccd6a6c8-bb4e-4a91-9d2a-07e632819374',
    title: 'AWS SAML Provider Deletion Activity',
    path: 'rules/cloud/aws/cloudtrail/aws_delete_saml_provider.yml',
    coverage: { controls: ['iam.identity-provider-deleted'] },
  },
  {
    id: 'a136ac98-b2bc-4189-a14d-f0d0388e57a7',
    title: 'AWS S3 Bucket Versioning Disable',
    path: 'rules/cloud/aws/cloudtrail/aws_disable_bucket_versioning.yml',
    coverage: { controls: ['data.backup-protection-removed'] },
  },
  {
    id: '16124c2d-e40b-4fcc-8f2c-5ab7870a2223',
    title: 'AWS EC2 Disable EBS Encryption',
    path: 'rules/cloud/aws/cloudtrail/aws_ec2_disable_encryption.yml',
    coverage: { controls: ['data.encryption-at-rest-disabled'] },
  },
  {
    id: '92f84194-8d9a-4ee0-8699-c30bfac59780',
    title: 'AWS Key Pair Import Activity',
    path: 'rules/cloud/aws/cloudtrail/aws_ec2_import_key_pair_activity.yml',
    coverage: {
      outOfScope:
        'importing an SSH key pair is routine administration; the key only matters where an instance is launched with it or a session pushes it (host.interactive-host-session reports EC2 Instance Connect and serial console keys)',
    },
  },
  {
    id: '1ab3c5ed-5baf-417b-bb6b-78ca33f6c3df',
    title: 'AWS EC2 Startup Shell Script Change',
    path: 'rules/cloud/aws/cloudtrail/aws_ec2_startup_script_change.yml',
    coverage: { controls: ['host.instance-user-data-modified'] },
  },
  {
    id: '54b9a76a-3c71-4673-b4b3-2edb4566ea7b',
    title: 'AWS EC2 VM Export Failure',
    path: 'rules/cloud/aws/cloudtrail/aws_ec2_vm_export_failure.yml',
    coverage: { controls: ['host.instance-exported'] },
  },
  {
    id: 'b94bf91e-c2bf-4047-9c43-c6810f43baad',
    title: 'AWS ECS Task Definition That Queries The Credential Endpoint',
    path: 'rules/cloud/aws/cloudtrail/aws_ecs_task_definition_cred_endpoint_query.yml',
    coverage: { controls: ['host.task-credentials-endpoint-queried'] },
  },
  {
    id: '25cb1ba1-8a19-4a23-a198-d252664c8cef',
    title: 'AWS EFS Fileshare Modified or Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_efs_fileshare_modified_or_deleted.yml',
    coverage: { controls: ['data.efs-file-system-deleted'] },
  },
  {
    id: '6a7ba45c-63d8-473e-9736-2eaabff79964',
    title: 'AWS EFS Fileshare Mount Modified or Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_efs_fileshare_mount_modified_or_deleted.yml',
    coverage: {
      outOfScope:
        'deleting a mount target detaches a file system from a subnet, routine on its own; the destruction it precedes is recorded by data.efs-file-system-deleted',
    },
  },
  {
    id: '33d50d03-20ec-4b74-a74e-1e65a38af1c0',
    title: 'AWS EKS Cluster Created or Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_eks_cluster_created_or_deleted.yml',
    coverage: {
      outOfScope: 'creating or deleting a cluster is routine lifecycle; what exposes a cluster is judged by network.eks-endpoint-public',
    },
  },
  {
    id: '4ae68615-866f-4304-b24b-ba048dfa5ca7',
    title: 'AWS ElastiCache Security Group Created',
    path: 'rules/cloud/aws/cloudtrail/aws_elasticache_security_group_created.yml',
    coverage: {
      outOfScope:
        'ElastiCache cache security groups exist only on EC2-Classic, which AWS retired; VPC security groups are judged by the network controls',
    },
  },
  {
    id: '7c797da2-9cf2-4523-ba64-33b06339f0cc',
    title: 'AWS ElastiCache Security Group Modified or Deleted',
    path: 'rules/cloud/aws/cloudtrail/aws_elasticache_security_group_modified_or_deleted.yml',
    coverage: {
      outOfScope:
        'ElastiCache cache security groups exist only on EC2-Classic, which AWS retired; VPC security groups are judged by the network controls',
    },
  },
  {
    id: 'f305fd62-beca-47da-ad95-7690a0620084',
    title: 'Potential Bucket Enumeration on AWS',
    path: 'rules/cloud/aws/cloudtrail/aws_enum_buckets.yml',
    coverage: {
      outOfScope:
        'listing buckets is discovery that needs a baseline of each principal’s successful reads, which no detection keeps (iam.access-denied counts refused calls only)',
    },
  },
  {
    id: '6e61ee20-ce00-4f8d-8aee-bedd8216f7e3',
    title: 'AWS GuardDuty Important Change',
    path: 'rules/cloud/aws/cloudtrail/aws_guardduty_disruption.yml',
    coverage: { controls: ['runtime.guardduty-trusted-ip-list'] },
  },
  {
    id: '0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2',
    title: 'AWS IAM Backdoor Users Keys',
    path: 'rules/cloud/aws/cloudtrail/aws_iam_backdoor_users_keys.yml',
    coverage: { controls: ['iam.user-credentials-created'] },
  },
  {
    id: 'db014773-b1d3-46bd-ba26-133337c0ffee',
    title: 'AWS IAM S3Browser LoginProfile Creation',
    path: 'rules/cloud/aws/cloudtrail/aws_iam_s3browser_loginprofile_creation.yml',
    coverage: {
      controls: ['iam.user-credentials-created'],
      note: 'CreateLoginProfile by any client; GetLoginProfile (a read) is not recorded',
    },
  },
  {
    id: 'db014773-7375-4f4e-b83b-133337c0ffee',
    title: 'AWS IAM S3Browser Templated S3 Bucket Policy Creation',
    path: 'rules/cloud/aws/cloudtrail/aws_iam_s3browser_templated_s3_bucket_policy_creation.yml',
    coverage: { controls: ['iam.user-policy-attached'] },
  },
  {
    id: 'db014773-d9d9-4792-91e5-133337c0ffee',
    title: 'AWS IAM S3Browser User or AccessKey Creation',
    path: 'rules/cloud/aws/cloudtrail/aws_iam_s3browser_user_or_accesskey_creation.yml',
    coverage: { controls: ['iam.user-created', 'iam.user-credentials-created'] },
  },
  {
    id: '1279262f-1464-422f-ac0d-5b545320c526',
    title: 'AWS KMS Imported Key Material Usage',
    path: 'rules/cloud/aws/cloudtrail/aws_kms_import_key_material.yml',
    coverage: {
      controls: ['data.kms-key-material-deleted'],
      note: 'DeleteImportedKeyMaterial; importing material (ImportKeyMaterial) restores a key and resolves the finding',
    },
  },
  {
    id: 'ec541962-c05a-4420-b9ea-84de072d18f4',
    title: 'New AWS Lambda Function URL Configuration Created',
    path: 'rules/cloud/aws/cloudtrail/aws_lambda_function_url.yml',
    coverage: {
      controls: ['network.lambda-function-public'],
      note: 'function URLs with AuthType NONE; an authenticated URL is not reported',
    },
  },
  {
    id: '97fbabf8-8e1b-47a2-b7d5-a418d2b95e3d',
    title: 'AWS New Lambda Layer Attached',
    path: 'rules/cloud/aws/cloudtrail/aws_new_lambda_layer_attached.yml',
    coverage: {
      outOfScope:
        "Lambda function code and layers are outside the seven areas; only a function's exposure (network.lambda-function-public) is judged",
    },
  },
  {
    id: '4990c2e3-f4b8-45e3-bc3c-30b14ff0ed26',
    title: 'AWS Glue Development Endpoint Activity',
    path: 'rules/cloud/aws/cloudtrail/aws_passed_role_to_glue_development_endpoint.yml',
    coverage: { outOfScope: 'AWS Glue is outside the seven areas of a containerized workload' },
  },
  {
    id: '8a63cdd4-6207-414a-85bc-7e032bd3c1a2',
    title: 'AWS RDS Master Password Change',
    path: 'rules/cloud/aws/cloudtrail/aws_rds_change_master_password.yml',
    coverage: { controls: ['data.rds-master-password-reset'] },
  },
  {
    id: '457cc9ac-d8e6-4d1d-8c0e-251d0f11a74c',
    title: 'Modification or Deletion of an AWS RDS Cluster',
    path: 'rules/cloud/aws/cloudtrail/aws_rds_dbcluster_actions.yml',
    coverage: {
      controls: [
        'data.database-deleted',
        'data.rds-deletion-protection-disabled',
        'network.rds-instance-public',
        'data.backup-protection-removed',
      ],
    },
  },
  {
    id: 'c3f265c7-ff03-4056-8ab2-d486227b4599',
    title: 'Restore Public AWS RDS Instance',
    path: 'rules/cloud/aws/cloudtrail/aws_rds_public_db_restore.yml',
    coverage: { controls: ['network.rds-instance-public'] },
  },
  {
    id: '8ad1600d-e9dc-4251-b0ee-a65268f29add',
    title: 'AWS Root Credentials',
    path: 'rules/cloud/aws/cloudtrail/aws_root_account_usage.yml',
    coverage: { controls: ['iam.root-account-used'] },
  },
  {
    id: '3940b5f1-3f46-44aa-b746-ebe615b879e0',
    title: 'AWS Route 53 Domain Transfer Lock Disabled',
    path: 'rules/cloud/aws/cloudtrail/aws_route_53_domain_transferred_lock_disabled.yml',
    coverage: { outOfScope: 'domain registration (Route 53 Domains) is outside the seven areas of a containerized workload' },
  },
  {
    id: 'b056de1a-6e6e-4e40-a67e-97c9808cf41b',
    title: 'AWS Route 53 Domain Transferred to Another Account',
    path: 'rules/cloud/aws/cloudtrail/aws_route_53_domain_transferred_to_another_account.yml',
    coverage: { outOfScope: 'domain registration (Route 53 Domains) is outside the seven areas of a containerized workload' },
  },
  {
    id: '78b3756a-7804-4ef7-8555-7b9024a02e2d',
    title: 'AWS S3 Data Management Tampering',
    path: 'rules/cloud/aws/cloudtrail/aws_s3_data_management_tampering.yml',
    coverage: {
      controls: ['audit.s3-access-logging-disabled', 'data.encryption-at-rest-disabled', 'data.backup-protection-removed'],
      note: 'logging, encryption and replication changes that weaken a bucket; website, lifecycle, ReplicateObject and RestoreObject calls are not judged',
    },
  },
  {
    id: 'a607e1fe-74bf-4440-a3ec-b059b9103157',
    title: 'AWS SecurityHub Findings Evasion',
    path: 'rules/cloud/aws/cloudtrail/aws_securityhub_finding_evasion.yml',
    coverage: { controls: ['audit.security-hub-findings-suppressed', 'audit.security-hub-insight-changed'] },
  },
  {
    id: 'abae8fec-57bd-4f87-aff6-6e3db989843d',
    title: 'AWS Snapshot Backup Exfiltration',
    path: 'rules/cloud/aws/cloudtrail/aws_snapshot_backup_exfiltration.yml',
    coverage: { controls: ['host.image-or-snapshot-shared'] },
  },
  {
    id: 'd3adb3ef-b7e7-4003-9092-1924c797db35',
    title: 'AWS Identity Center Identity Provider Change',
    path: 'rules/cloud/aws/cloudtrail/aws_sso_idp_change.yml',
    coverage: { controls: ['iam.identity-center-source-changed'] },
  },
  {
    id: '905d389b-b853-46d0-9d3d-dea0d3a3cd49',
    title: 'AWS STS AssumeRole Misuse',
    path: 'rules/cloud/aws/cloudtrail/aws_sts_assumerole_misuse.yml',
    coverage: {
      outOfScope: 'it matches every role session; misuse needs a baseline of who assumes what, which no detection keeps',
    },
  },
  {
    id: '9b1b8e9b-0a5d-4af1-9d2f-4c4b6e7c2c9d',
    title: 'AWS STS GetCallerIdentity Enumeration Via TruffleHog',
    path: 'rules/cloud/aws/cloudtrail/aws_sts_getcalleridentity_trufflehog.yml',
    coverage: { controls: ['iam.offensive-tool-used', 'iam.long-term-key-identity-check'] },
  },
  {
    id: 'b45ab1d2-712f-4f01-a751-df3826969807',
    title: 'AWS STS GetSessionToken Misuse',
    path: 'rules/cloud/aws/cloudtrail/aws_sts_getsessiontoken_misuse.yml',
    coverage: { controls: ['iam.session-credentials-minted'] },
  },
  {
    id: 'f43f5d2f-3f2a-4cc8-b1af-81fde7dbaf0e',
    title: 'AWS Suspicious SAML Activity',
    path: 'rules/cloud/aws/cloudtrail/aws_susp_saml_activity.yml',
    coverage: {
      controls: ['iam.identity-provider-changed'],
      note: 'UpdateSAMLProvider; AssumeRoleWithSAML is how federated users sign in and is not reported',
    },
  },
  {
    id: '055fb148-60f8-462d-ad16-26926ce050f1',
    title: 'AWS User Login Profile Was Modified',
    path: 'rules/cloud/aws/cloudtrail/aws_update_login_profile.yml',
    coverage: { controls: ['iam.user-credentials-created'] },
  },
  {
    id: '26ff4080-194e-47e7-9889-ef7602efed0c',
    title: 'AWS EC2 Download Userdata',
    path: 'unsupported/cloud/aws_ec2_download_userdata.yml',
    coverage: { controls: ['host.instance-secrets-read'] },
  },
  {
    id: '76255e09-755e-4675-8b6b-dbce9842cd2a',
    title: 'Potential Backup Enumeration on AWS',
    path: 'unsupported/cloud/aws_enum_backup.yml',
    coverage: {
      outOfScope:
        'a count of reads across backup and storage APIs: discovery that needs a baseline of each principal’s successful reads, which no detection keeps (iam.access-denied counts refused calls only); GetPasswordData alone is host.instance-secrets-read',
    },
  },
  {
    id: 'e9c14b23-47e2-4a8b-8a63-d36618e33d70',
    title: 'Account Enumeration on AWS',
    path: 'unsupported/cloud/aws_enum_listing.yml',
    coverage: {
      outOfScope:
        'a count of List* calls: discovery that needs a baseline of each principal’s successful reads, which no detection keeps (iam.access-denied counts refused calls only)',
    },
  },
  {
    id: 'c3d53999-4b14-4ddd-9d9b-e618c366b54d',
    title: 'Potential Network Enumeration on AWS',
    path: 'unsupported/cloud/aws_enum_network.yml',
    coverage: {
      outOfScope:
        'a count of network Describe* calls: discovery that needs a baseline of each principal’s successful reads, which no detection keeps (iam.access-denied counts refused calls only)',
    },
  },
  {
    id: '4723218f-2048-41f6-bcb0-417f2d784f61',
    title: 'Potential Storage Enumeration on AWS',
    path: 'unsupported/cloud/aws_enum_storage.yml',
    coverage: {
      outOfScope:
        'a count of S3 reads: discovery that needs a baseline of each principal’s successful reads, which no detection keeps (iam.access-denied counts refused calls only)',
    },
  },
  {
    id: 'd914951b-52c8-485f-875e-86abab710c0b',
    title: 'AWS Lambda Function Created or Invoked',
    path: 'unsupported/cloud/aws_lambda_function_created_or_invoked.yml',
    coverage: {
      outOfScope:
        "Lambda function creation and invocation are outside the seven areas; only a function's exposure (network.lambda-function-public) is judged",
    },
  },
  {
    id: '91f6a16c-ef71-437a-99ac-0b070e3ad221',
    title: 'AWS Macie Evasion',
    path: 'unsupported/cloud/aws_macic_evasion.yml',
    coverage: { controls: ['audit.macie-disabled'] },
  },
  {
    id: '60b84424-a724-4502-bd0d-cc676e1bc90e',
    title: 'Potential AWS Cloud Email Service Abuse',
    path: 'unsupported/cloud/aws_ses_messaging_enabled.yml',
    coverage: { outOfScope: 'Amazon SES is outside the seven areas of a containerized workload' },
  },
];

export const STRATUS_TECHNIQUES: StratusTechnique[] = [
  {
    id: 'aws.credential-access.ec2-get-password-data',
    title: 'Retrieve EC2 Password Data',
    coverage: { controls: ['host.instance-secrets-read'] },
  },
  {
    id: 'aws.credential-access.ec2-steal-instance-credentials',
    title: 'Steal EC2 Instance Credentials',
    coverage: {
      controls: ['host.run-command-shell', 'runtime.guardduty-finding'],
      note: 'the SSM command that reads the credentials; their use outside AWS through GuardDuty findings',
    },
  },
  {
    id: 'aws.credential-access.secretsmanager-batch-retrieve-secrets',
    title: 'Retrieve a High Number of Secrets Manager secrets (Batch)',
    coverage: {
      controls: ['data.secret-read-by-iam-user', 'data.secrets-read-in-bulk'],
      note: 'each read by an IAM user; many distinct secrets or parameters read by any principal within 10 minutes',
    },
  },
  {
    id: 'aws.credential-access.secretsmanager-retrieve-secrets',
    title: 'Retrieve a High Number of Secrets Manager secrets',
    coverage: {
      controls: ['data.secret-read-by-iam-user', 'data.secrets-read-in-bulk'],
      note: 'each read by an IAM user; many distinct secrets or parameters read by any principal within 10 minutes',
    },
  },
  {
    id: 'aws.credential-access.ssm-retrieve-securestring-parameters',
    title: 'Retrieve And Decrypt SSM Parameters',
    coverage: {
      controls: ['data.secret-read-by-iam-user', 'data.secrets-read-in-bulk'],
      note: 'each read by an IAM user; many distinct secrets or parameters read by any principal within 10 minutes',
    },
  },
  {
    id: 'aws.defense-evasion.cloudtrail-delete',
    title: 'Delete CloudTrail Trail',
    coverage: { controls: ['audit.cloudtrail-logging-stopped'] },
  },
  {
    id: 'aws.defense-evasion.cloudtrail-event-selectors',
    title: 'Disable CloudTrail Logging Through Event Selectors',
    coverage: { controls: ['audit.cloudtrail-weakened'] },
  },
  {
    id: 'aws.defense-evasion.cloudtrail-lifecycle-rule',
    title: 'CloudTrail Logs Impairment Through S3 Lifecycle Rule',
    coverage: {
      outOfScope:
        'a short lifecycle rule is only an attack on the bucket that holds the trail, and which bucket that is needs a lookup or a setting trailwarden does not have (the Panther corpus rows for it are listed disagreements)',
    },
  },
  {
    id: 'aws.defense-evasion.cloudtrail-stop',
    title: 'Stop CloudTrail Trail',
    coverage: { controls: ['audit.cloudtrail-logging-stopped'] },
  },
  {
    id: 'aws.defense-evasion.dns-delete-logs',
    title: 'Delete DNS query logs',
    coverage: { controls: ['network.traffic-logging-deleted'] },
  },
  {
    id: 'aws.defense-evasion.organizations-leave',
    title: 'Attempt to Leave the AWS Organization',
    coverage: { controls: ['iam.organization-guardrail-removed'] },
  },
  {
    id: 'aws.defense-evasion.vpc-remove-flow-logs',
    title: 'Remove VPC Flow Logs',
    coverage: { controls: ['network.traffic-logging-deleted'] },
  },
  {
    id: 'aws.discovery.ec2-download-user-data',
    title: 'Download EC2 Instance User Data',
    coverage: { controls: ['host.instance-secrets-read'] },
  },
  {
    id: 'aws.discovery.ec2-enumerate-from-instance',
    title: 'Execute Discovery Commands on an EC2 Instance',
    coverage: {
      outOfScope:
        'many read-only Describe/List calls from an instance role: discovery that needs a baseline of each principal’s successful reads, which no detection keeps (iam.access-denied counts refused calls only)',
    },
  },
  {
    id: 'aws.discovery.ses-enumerate',
    title: 'Enumerate SES',
    coverage: { outOfScope: 'Amazon SES is outside the seven areas of a containerized workload' },
  },
  {
    id: 'aws.execution.ec2-launch-unusual-instances',
    title: 'Launch Unusual EC2 instances',
    coverage: { outOfScope: "needs the organization's list of unusual instance types, which trailwarden has no setting for" },
  },
  {
    id: 'aws.execution.ec2-user-data',
    title: 'Execute Commands on EC2 Instance via User Data',
    coverage: { controls: ['host.instance-user-data-modified'] },
  },
  {
    id: 'aws.execution.sagemaker-update-lifecycle-config',
    title: 'Execute Commands on SageMaker Notebook Instance via Lifecycle Configuration',
    coverage: { outOfScope: 'Amazon SageMaker is outside the seven areas of a containerized workload' },
  },
  {
    id: 'aws.execution.ssm-send-command',
    title: 'Usage of ssm:SendCommand on multiple instances',
    coverage: { controls: ['host.run-command-shell'] },
  },
  {
    id: 'aws.execution.ssm-start-session',
    title: 'Usage of ssm:StartSession on multiple instances',
    coverage: { controls: ['host.interactive-host-session'] },
  },
  {
    id: 'aws.exfiltration.ec2-security-group-open-port-22-ingress',
    title: 'Open Ingress Port 22 on a Security Group',
    coverage: { controls: ['network.security-group-open-to-internet'] },
  },
  {
    id: 'aws.exfiltration.ec2-share-ami',
    title: 'Exfiltrate an AMI by Sharing It',
    coverage: { controls: ['host.image-or-snapshot-shared'] },
  },
  {
    id: 'aws.exfiltration.ec2-share-ebs-snapshot',
    title: 'Exfiltrate EBS Snapshot by Sharing It',
    coverage: { controls: ['host.image-or-snapshot-shared'] },
  },
  {
    id: 'aws.exfiltration.rds-share-snapshot',
    title: 'Exfiltrate RDS Snapshot by Sharing',
    coverage: { controls: ['data.resource-policy-public'] },
  },
  {
    id: 'aws.exfiltration.s3-backdoor-bucket-policy',
    title: 'Backdoor an S3 Bucket via its Bucket Policy',
    coverage: { controls: ['data.s3-bucket-shared-outside'] },
  },
  {
    id: 'aws.impact.bedrock-invoke-model',
    title: 'Invoke Bedrock Model',
    coverage: { outOfScope: 'Amazon Bedrock is outside the seven areas of a containerized workload' },
  },
  {
    id: 'aws.impact.ec2-deregister-ami',
    title: 'Deregister an Amazon EC2 AMI',
    coverage: {
      outOfScope:
        "deregistering an AMI keeps its snapshots, so no data is lost; it disrupts launches, an availability concern no control judges (a shared AMI's finding resolves with it)",
    },
  },
  {
    id: 'aws.impact.s3-ransomware-batch-deletion',
    title: 'S3 Ransomware through batch file deletion',
    coverage: {
      controls: ['data.s3-ransom-note-uploaded'],
      note: 'the ransom note; the deletions are S3 data events, which the stack does not read',
    },
  },
  {
    id: 'aws.impact.s3-ransomware-client-side-encryption',
    title: 'S3 Ransomware through client-side encryption',
    coverage: { controls: ['data.s3-encrypted-with-foreign-key', 'data.s3-ransom-note-uploaded'] },
  },
  {
    id: 'aws.impact.s3-ransomware-individual-deletion',
    title: 'S3 Ransomware through individual file deletion',
    coverage: {
      controls: ['data.s3-ransom-note-uploaded'],
      note: 'the ransom note; the deletions are S3 data events, which the stack does not read',
    },
  },
  {
    id: 'aws.initial-access.console-login-without-mfa',
    title: 'Console Login without MFA',
    coverage: { controls: ['iam.console-login-without-mfa'] },
  },
  {
    id: 'aws.lateral-movement.ec2-instance-connect',
    title: 'Usage of EC2 Instance Connect on multiple instances',
    coverage: { controls: ['host.interactive-host-session'] },
  },
  {
    id: 'aws.lateral-movement.ec2-serial-console-send-ssh-public-key',
    title: 'Usage of EC2 Serial Console to push SSH public key',
    coverage: { controls: ['host.serial-console-enabled', 'host.interactive-host-session'] },
  },
  {
    id: 'aws.persistence.iam-backdoor-role',
    title: 'Backdoor an IAM Role',
    coverage: { controls: ['iam.role-trust-policy-open'] },
  },
  {
    id: 'aws.persistence.iam-backdoor-user',
    title: 'Create an Access Key on an IAM User',
    coverage: { controls: ['iam.user-credentials-created'] },
  },
  {
    id: 'aws.persistence.iam-create-admin-user',
    title: 'Create an administrative IAM User',
    coverage: {
      controls: ['iam.user-created', 'iam.administrator-access-granted', 'iam.user-policy-attached', 'iam.user-credentials-created'],
    },
  },
  {
    id: 'aws.persistence.iam-create-backdoor-role',
    title: 'Create a backdoored IAM Role',
    coverage: { controls: ['iam.role-created', 'iam.role-trust-policy-open', 'iam.administrator-access-granted'] },
  },
  {
    id: 'aws.persistence.iam-create-user-login-profile',
    title: 'Create a Login Profile on an IAM User',
    coverage: { controls: ['iam.user-credentials-created'] },
  },
  {
    id: 'aws.persistence.lambda-backdoor-function',
    title: 'Backdoor Lambda Function Through Resource-Based Policy',
    coverage: { controls: ['network.lambda-function-public'] },
  },
  {
    id: 'aws.persistence.lambda-layer-extension',
    title: 'Add a Malicious Lambda Extension',
    coverage: {
      outOfScope:
        "Lambda function code and layers are outside the seven areas; only a function's exposure (network.lambda-function-public) is judged",
    },
  },
  {
    id: 'aws.persistence.lambda-overwrite-code',
    title: 'Overwrite Lambda Function Code',
    coverage: {
      outOfScope: "Lambda function code is outside the seven areas; only a function's exposure (network.lambda-function-public) is judged",
    },
  },
  {
    id: 'aws.persistence.rolesanywhere-create-trust-anchor',
    title: 'Create an IAM Roles Anywhere trust anchor',
    coverage: { controls: ['iam.roles-anywhere-trust-added'] },
  },
  {
    id: 'aws.persistence.sts-federation-token',
    title: 'Generate temporary AWS credentials using GetFederationToken',
    coverage: { controls: ['iam.session-credentials-minted'] },
  },
  {
    id: 'aws.privilege-escalation.iam-update-user-login-profile',
    title: 'Change IAM user password',
    coverage: { controls: ['iam.user-credentials-created'] },
  },
];
