/**
 * Findings in the AWS Security Finding Format (ASFF), ready for `securityhub:BatchImportFindings`
 * with the account's default product ARN (the importing account must be the finding's account).
 *
 * Required attributes, enums and limits per the AWS Security Hub user guide ("Required top-level
 * ASFF attributes", https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html)
 * and API reference (AwsSecurityFinding, https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html).
 * BatchImportFindings takes at most 100 findings per request.
 */
import type { Finding, FindingStatus } from '../../core/findings/finding';
import type { Severity } from '../../core/model/severity';
import { partitionOf, requirementLabel, suppressionOf, truncate, type ControlCatalogue } from './catalogue';
import { lastUpdateOf } from '../../core/findings/finding';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const ASFF_LIMITS = {
  title: 256,
  description: 1024,
  recommendationText: 512,
  relatedRequirements: 32,
  resources: 32,
  types: 50,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  id: 512,
  generatorId: 512,
} as const;
export const ASFF_BATCH_SIZE = 100;

export type AsffWorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
export type AsffComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';

export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  FirstObservedAt: string;
  LastObservedAt: string;
  Severity: { Label: Severity; Original: string };
  FindingProviderFields: { Severity: { Label: Severity; Original: string }; Types: string[] };
  Title: string;
  Description: string;
  Remediation?: { Recommendation: { Text: string } };
  Resources: Array<{
    Type: string;
    Id: string;
    Region: string;
    Partition: 'aws' | 'aws-cn' | 'aws-us-gov';
    Details?: { Other: Record<string, string> };
  }>;
  Compliance: { Status: AsffComplianceStatus; RelatedRequirements?: string[] };
  Workflow: { Status: AsffWorkflowStatus };
  RecordState: 'ACTIVE' | 'ARCHIVED';
  ProductFields: Record<string, string>;
}

const WORKFLOW: Record<FindingStatus, AsffWorkflowStatus> = { open: 'NEW', suppressed: 'SUPPRESSED', resolved: 'RESOLVED' };
const COMPLIANCE: Record<FindingStatus, AsffComplianceStatus> = { open: 'FAILED', suppressed: 'FAILED', resolved: 'PASSED' };

/** ASFF resource types trailwarden's controls report, by CloudFormation type name. Anything else is `Other`. */
const ASFF_RESOURCE_TYPES: Record<string, string> = {
  'AWS::S3::Bucket': 'AwsS3Bucket',
  'AWS::RDS::DBInstance': 'AwsRdsDbInstance',
  'AWS::RDS::DBCluster': 'AwsRdsDbCluster',
  'AWS::RDS::DBSnapshot': 'AwsRdsDbSnapshot',
  'AWS::RDS::DBClusterSnapshot': 'AwsRdsDbClusterSnapshot',
  'AWS::RDS::DBSecurityGroup': 'AwsRdsDbSecurityGroup',
  'AWS::DynamoDB::Table': 'AwsDynamoDbTable',
  'AWS::CloudTrail::Trail': 'AwsCloudTrailTrail',
  'AWS::SNS::Topic': 'AwsSnsTopic',
  'AWS::SQS::Queue': 'AwsSqsQueue',
  'AWS::KMS::Key': 'AwsKmsKey',
  'AWS::SecretsManager::Secret': 'AwsSecretsManagerSecret',
  'AWS::ECS::Service': 'AwsEcsService',
  'AWS::ECS::Cluster': 'AwsEcsCluster',
  'AWS::ECS::Task': 'AwsEcsTask',
  'AWS::ECS::TaskDefinition': 'AwsEcsTaskDefinition',
  'AWS::ECR::Repository': 'AwsEcrRepository',
  'AWS::EKS::Cluster': 'AwsEksCluster',
  'AWS::CloudFront::Distribution': 'AwsCloudFrontDistribution',
  'AWS::WAFv2::WebACL': 'AwsWafv2WebAcl',
  'AWS::OpenSearchService::Domain': 'AwsOpenSearchServiceDomain',
  'AWS::Lambda::Function': 'AwsLambdaFunction',
  'AWS::IAM::User': 'AwsIamUser',
  'AWS::IAM::Role': 'AwsIamRole',
  'AWS::IAM::AccessKey': 'AwsIamAccessKey',
  'AWS::IAM::Policy': 'AwsIamPolicy',
  'AWS::EC2::Instance': 'AwsEc2Instance',
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'AWS::EC2::Volume': 'AwsEc2Volume',
  'AWS::EC2::VPC': 'AwsEc2Vpc',
  'AWS::EC2::VPCPeeringConnection': 'AwsEc2VpcPeeringConnection',
  'AWS::EC2::NetworkAcl': 'AwsEc2NetworkAcl',
  'AWS::EC2::RouteTable': 'AwsEc2RouteTable',
  'AWS::EC2::LaunchTemplate': 'AwsEc2LaunchTemplate',
  'AWS::Backup::BackupVault': 'AwsBackupBackupVault',
  'AWS::Backup::BackupPlan': 'AwsBackupBackupPlan',
};

export function asffResourceTypeOf(cloudFormationType: string): string {
  return ASFF_RESOURCE_TYPES[cloudFormationType] ?? 'Other';
}

/** The default product ARN of an account: findings it imports about itself. */
export function defaultProductArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

export function findingToAsff(finding: Finding, catalogue: ControlCatalogue): AsffFinding {
  const control = catalogue.get(finding.controlId);
  const requirements = (control?.frameworks ?? []).map(requirementLabel);
  const types = [`Software and Configuration Checks/Industry and Regulatory Standards/trailwarden ${finding.area}`];
  const severity = { Label: finding.severity, Original: finding.severity };
  const resourceType = asffResourceTypeOf(finding.resourceType);
  const suppression = suppressionOf(finding);
  const qualified = finding.qualifier ? `${finding.resourceId} (${finding.qualifier})` : finding.resourceId;
  const sentence = /[.!?]$/.test(finding.message) ? finding.message : `${finding.message}.`;
  const description = control ? `${sentence} ${control.rationale}` : sentence;
  const productFields: Record<string, string> = {
    'trailwarden/findingId': finding.id,
    'trailwarden/controlId': finding.controlId,
    'trailwarden/area': finding.area,
    'trailwarden/status': finding.status,
    'trailwarden/count': String(finding.count),
    ...(finding.qualifier ? { 'trailwarden/qualifier': finding.qualifier } : {}),
    ...(finding.evidence.eventName ? { 'trailwarden/eventName': finding.evidence.eventName } : {}),
    ...(finding.evidence.eventId ? { 'trailwarden/eventId': finding.evidence.eventId } : {}),
    ...(finding.resolvedAt ? { 'trailwarden/resolvedAt': finding.resolvedAt } : {}),
    ...(suppression ? { 'trailwarden/exemptionId': suppression.exemptionId, 'trailwarden/exemptionExpiresAt': suppression.expiresAt } : {}),
  };
  for (const key of Object.keys(productFields)) productFields[key] = truncate(productFields[key]!, ASFF_LIMITS.productFieldValue);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `trailwarden/${finding.controlId}/${finding.id}`,
    ProductArn: defaultProductArn(finding.account, finding.region),
    GeneratorId: `trailwarden/${finding.controlId}`,
    AwsAccountId: finding.account,
    Region: finding.region,
    Types: types,
    CreatedAt: finding.firstSeen,
    UpdatedAt: lastUpdateOf(finding),
    FirstObservedAt: finding.firstSeen,
    LastObservedAt: finding.lastSeen,
    Severity: severity,
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
    Title: truncate(`${finding.title}: ${qualified}`, ASFF_LIMITS.title),
    Description: truncate(description, ASFF_LIMITS.description),
    ...(control && control.runbook.length > 0
      ? { Remediation: { Recommendation: { Text: truncate(control.runbook.join(' '), ASFF_LIMITS.recommendationText) } } }
      : {}),
    Resources: [
      {
        Type: resourceType,
        Id: finding.resourceId,
        Region: finding.region,
        Partition: partitionOf(finding.region),
        ...(resourceType === 'Other' ? { Details: { Other: { ResourceType: truncate(finding.resourceType, 1023) } } } : {}),
      },
    ],
    Compliance: {
      Status: COMPLIANCE[finding.status],
      ...(requirements.length > 0 ? { RelatedRequirements: requirements.slice(0, ASFF_LIMITS.relatedRequirements) } : {}),
    },
    Workflow: { Status: WORKFLOW[finding.status] },
    RecordState: finding.status === 'resolved' ? 'ARCHIVED' : 'ACTIVE',
    ProductFields: productFields,
  };
}
