/**
 * The event sources controls select: each AWS service's CloudTrail eventSource (its service host
 * name, `<service>.amazonaws.com`), named once for the whole catalogue, the EventBridge source
 * CloudTrail events of a service arrive with (`aws.<service>`), and the services the cross-service
 * controls watch.
 */

export const ACCESS_ANALYZER_SOURCE = 'access-analyzer.amazonaws.com';
export const BACKUP_SOURCE = 'backup.amazonaws.com';
export const CLOUDFRONT_SOURCE = 'cloudfront.amazonaws.com';
export const CLOUDTRAIL_SOURCE = 'cloudtrail.amazonaws.com';
export const CONFIG_SOURCE = 'config.amazonaws.com';
export const DYNAMODB_SOURCE = 'dynamodb.amazonaws.com';
export const EC2_SOURCE = 'ec2.amazonaws.com';
export const ECR_SOURCE = 'ecr.amazonaws.com';
export const ECS_SOURCE = 'ecs.amazonaws.com';
export const EFS_SOURCE = 'elasticfilesystem.amazonaws.com';
export const EKS_SOURCE = 'eks.amazonaws.com';
export const ELB_SOURCE = 'elasticloadbalancing.amazonaws.com';
export const EVENTS_SOURCE = 'events.amazonaws.com';
export const GLACIER_SOURCE = 'glacier.amazonaws.com';
export const GUARDDUTY_SOURCE = 'guardduty.amazonaws.com';
export const IAM_SOURCE = 'iam.amazonaws.com';
export const INSPECTOR_SOURCE = 'inspector2.amazonaws.com';
export const INSTANCE_CONNECT_SOURCE = 'ec2-instance-connect.amazonaws.com';
export const KMS_SOURCE = 'kms.amazonaws.com';
export const LAMBDA_SOURCE = 'lambda.amazonaws.com';
export const LOGS_SOURCE = 'logs.amazonaws.com';
export const MACIE_SOURCE = 'macie2.amazonaws.com';
/** OpenSearch Service keeps the Elasticsearch Service host name. */
export const OPENSEARCH_SOURCE = 'es.amazonaws.com';
export const ORGANIZATIONS_SOURCE = 'organizations.amazonaws.com';
export const RDS_SOURCE = 'rds.amazonaws.com';
export const ROLES_ANYWHERE_SOURCE = 'rolesanywhere.amazonaws.com';
export const ROUTE53_RESOLVER_SOURCE = 'route53resolver.amazonaws.com';
export const S3_SOURCE = 's3.amazonaws.com';
export const SECRETS_MANAGER_SOURCE = 'secretsmanager.amazonaws.com';
export const SECURITY_HUB_SOURCE = 'securityhub.amazonaws.com';
export const SHIELD_SOURCE = 'shield.amazonaws.com';
export const SIGNER_SOURCE = 'signer.amazonaws.com';
export const SIGNIN_SOURCE = 'signin.amazonaws.com';
export const SNS_SOURCE = 'sns.amazonaws.com';
export const SQS_SOURCE = 'sqs.amazonaws.com';
export const SSM_SOURCE = 'ssm.amazonaws.com';
/** IAM Identity Center (formerly AWS SSO). */
export const SSO_SOURCE = 'sso.amazonaws.com';
/** IAM Identity Center's directory: its identity source (the built-in directory, AD, or an external IdP). */
export const SSO_DIRECTORY_SOURCE = 'sso-directory.amazonaws.com';
export const STS_SOURCE = 'sts.amazonaws.com';
export const WAF_SOURCE = 'wafv2.amazonaws.com';

/** `ec2.amazonaws.com` → `aws.ec2`, as EventBridge names the source of CloudTrail events. */
export function sourceOf(eventSource: string): string {
  return `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`;
}

/**
 * EventBridge sources (aws.<service>) of the AWS services whose API calls cross-service controls
 * watch (refused calls, offensive-tool user agents, VPC endpoint network activity): identity,
 * compute, storage, data, networking, security and deployment services. A pattern naming its sources
 * is routed by source instead of being tried on every event; services missing here are not watched
 * by those controls.
 */
export const WATCHED_SERVICE_SOURCES: readonly string[] = [
  'aws.iam',
  'aws.sts',
  'aws.signin',
  'aws.sso',
  'aws.identitystore',
  'aws.organizations',
  'aws.account',
  'aws.rolesanywhere',
  'aws.ec2',
  'aws.ecs',
  'aws.eks',
  'aws.ecr',
  'aws.lambda',
  'aws.autoscaling',
  'aws.elasticloadbalancing',
  'aws.ssm',
  'aws.s3',
  'aws.elasticfilesystem',
  'aws.backup',
  'aws.rds',
  'aws.dynamodb',
  'aws.redshift',
  'aws.elasticache',
  'aws.es',
  'aws.glue',
  'aws.athena',
  'aws.kinesis',
  'aws.firehose',
  'aws.sqs',
  'aws.sns',
  'aws.events',
  'aws.states',
  'aws.apigateway',
  'aws.cloudfront',
  'aws.route53',
  'aws.kms',
  'aws.secretsmanager',
  'aws.acm',
  'aws.cloudtrail',
  'aws.logs',
  'aws.monitoring',
  'aws.config',
  'aws.guardduty',
  'aws.securityhub',
  'aws.access-analyzer',
  'aws.macie2',
  'aws.inspector2',
  'aws.wafv2',
  'aws.cloudformation',
  'aws.codebuild',
  'aws.codepipeline',
  'aws.ram',
  'aws.bedrock',
  'aws.sagemaker',
];
