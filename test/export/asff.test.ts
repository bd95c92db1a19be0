/**
 * ASFF output against Security Hub's required attributes, enums and limits.
 *
 * Required top-level attributes: https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
 * Limits and enums: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html
 * (Title ≤ 256, Description ≤ 1024, AwsAccountId 12), .../userguide/asff-resources.html (≤ 32 resources),
 * API_Compliance (RelatedRequirements ≤ 32, Status PASSED|WARNING|FAILED|NOT_AVAILABLE), API_Workflow
 * (Status NEW|NOTIFIED|RESOLVED|SUPPRESSED), API_Severity (Label INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL),
 * RecordState ACTIVE|ARCHIVED, API_Resource (Partition aws|aws-cn|aws-us-gov), ProductFields (≤ 50 pairs,
 * key ≤ 128, value ≤ 2048), partner guide "Guidelines for mapping findings into ASFF" (Types namespaces).
 */
import { exportFindings, findingToAsff, asffResourceTypeOf } from '../../shared/app/exports';
import { catalogueOf } from '../../shared/app/exports/catalogue';
import type { FrameworkRef } from '../../shared/core/model/framework';
import { control, finding } from './fixtures';

const REQUIRED = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
] as const;
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

const manyRefs: FrameworkRef[] = Array.from({ length: 40 }, (_, i) => ({ framework: 'nist-800-53-r5', requirement: `AC-${i + 1}` }));
const controls = [
  control('network.security-group-open-to-internet', [
    { framework: 'cis-aws', requirement: '5.2' },
    { framework: 'fsbp', requirement: 'EC2.19' },
  ]),
  control('iam.many', manyRefs, { runbook: ['x'.repeat(2000)], rationale: 'y'.repeat(3000) }),
];
const catalogue = catalogueOf(controls);

function check(asff: ReturnType<typeof findingToAsff>) {
  for (const key of REQUIRED) {
    const value = asff[key];
    if (value === undefined || value === null || value === '') throw new Error(`${key} is required but missing`);
  }
  expect(asff.SchemaVersion).toBe('2018-10-08');
  expect(asff.AwsAccountId).toMatch(/^\d{12}$/);
  expect(asff.ProductArn).toBe(
    `arn:${asff.Resources[0]!.Partition}:securityhub:${asff.Region}:${asff.AwsAccountId}:product/${asff.AwsAccountId}/default`,
  );
  expect(asff.Id.length).toBeLessThanOrEqual(512);
  expect(asff.GeneratorId.length).toBeLessThanOrEqual(512);
  expect(Array.from(asff.Title).length).toBeLessThanOrEqual(256);
  expect(Array.from(asff.Description).length).toBeLessThanOrEqual(1024);
  expect(asff.Description.trim().length).toBeGreaterThan(0);
  if (asff.Remediation) expect(Array.from(asff.Remediation.Recommendation.Text).length).toBeLessThanOrEqual(512);
  expect(asff.Types.length).toBeGreaterThan(0);
  expect(asff.Types.length).toBeLessThanOrEqual(50);
  for (const type of asff.Types) expect(TYPE_NAMESPACES).toContain(type.split('/')[0]);
  for (const time of [asff.CreatedAt, asff.UpdatedAt, asff.FirstObservedAt, asff.LastObservedAt]) expect(time).toMatch(ISO_TIME);
  expect(SEVERITY_LABELS).toContain(asff.Severity.Label);
  expect(WORKFLOW_STATUSES).toContain(asff.Workflow.Status);
  expect(COMPLIANCE_STATUSES).toContain(asff.Compliance.Status);
  expect(RECORD_STATES).toContain(asff.RecordState);
  expect(asff.Resources.length).toBeGreaterThan(0);
  expect(asff.Resources.length).toBeLessThanOrEqual(32);
  for (const resource of asff.Resources) {
    expect(typeof resource.Id).toBe('string');
    expect(typeof resource.Type).toBe('string');
    expect(PARTITIONS).toContain(resource.Partition);
  }
  for (const requirement of asff.Compliance.RelatedRequirements ?? []) expect(typeof requirement).toBe('string');
  expect((asff.Compliance.RelatedRequirements ?? []).length).toBeLessThanOrEqual(32);
  const fields = Object.entries(asff.ProductFields);
  expect(fields.length).toBeLessThanOrEqual(50);
  for (const [key, value] of fields) {
    expect(key.length).toBeLessThanOrEqual(128);
    expect(typeof value).toBe('string');
    expect(value.length).toBeLessThanOrEqual(2048);
  }
}

describe('ASFF', () => {
  it('maps open, suppressed and resolved findings to Workflow, Compliance and RecordState', () => {
    const open = findingToAsff(finding(), catalogue);
    const suppressed = findingToAsff(
      { ...finding({ status: 'suppressed' }), suppressedBy: { exemptionId: 'ex-9', expiresAt: '2025-09-01T00:00:00.000Z' } },
      catalogue,
    );
    const resolved = findingToAsff(finding({ status: 'resolved', resolvedAt: '2025-02-01T00:00:00.000Z' }), catalogue);
    for (const asff of [open, suppressed, resolved]) check(asff);
    expect([open.Workflow.Status, suppressed.Workflow.Status, resolved.Workflow.Status]).toEqual(['NEW', 'SUPPRESSED', 'RESOLVED']);
    expect([open.Compliance.Status, suppressed.Compliance.Status, resolved.Compliance.Status]).toEqual(['FAILED', 'FAILED', 'PASSED']);
    expect([open.RecordState, suppressed.RecordState, resolved.RecordState]).toEqual(['ACTIVE', 'ACTIVE', 'ARCHIVED']);
    expect(resolved.UpdatedAt).toBe('2025-02-01T00:00:00.000Z');
    expect(suppressed.ProductFields['trailwarden/exemptionId']).toBe('ex-9');
  });

  it('names the account, product, generator, resource and requirements', () => {
    const asff = findingToAsff(finding(), catalogue);
    expect(asff).toMatchObject({
      AwsAccountId: '111122223333',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      GeneratorId: 'trailwarden/network.security-group-open-to-internet',
      Severity: { Label: 'HIGH' },
      CreatedAt: '2025-01-02T03:04:05.000Z',
      FirstObservedAt: '2025-01-02T03:04:05.000Z',
      LastObservedAt: '2025-01-03T03:04:05.000Z',
      Resources: [{ Type: 'AwsEc2SecurityGroup', Id: 'sg-0123456789abcdef0', Region: 'eu-west-1', Partition: 'aws' }],
      Compliance: {
        RelatedRequirements: [
          'CIS Amazon Web Services Foundations Benchmark v3.0.0 5.2',
          'AWS Foundational Security Best Practices EC2.19',
        ],
      },
      Remediation: { Recommendation: { Text: 'Step one. Step two.' } },
    });
  });

  it('keeps within the length limits: Title 256, Description 1024, Recommendation 512, 32 RelatedRequirements', () => {
    const long = finding({ controlId: 'iam.many', title: 'T'.repeat(400), message: 'm'.repeat(5000), resourceId: 'r'.repeat(300) });
    const asff = findingToAsff(long, catalogue);
    check(asff);
    expect(Array.from(asff.Title)).toHaveLength(256);
    expect(asff.Title.endsWith('…')).toBe(true);
    expect(Array.from(asff.Description)).toHaveLength(1024);
    expect(asff.Compliance.RelatedRequirements).toHaveLength(32);
  });

  it('uses the partition of the region, and Other for resource types ASFF does not define', () => {
    const asff = findingToAsff(finding({ region: 'cn-north-1', resourceType: 'AWS::Logs::LogGroup', resourceId: 'lg' }), catalogue);
    check(asff);
    expect(asff.ProductArn.startsWith('arn:aws-cn:securityhub:cn-north-1:')).toBe(true);
    expect(asff.Resources[0]).toMatchObject({
      Type: 'Other',
      Partition: 'aws-cn',
      Details: { Other: { ResourceType: 'AWS::Logs::LogGroup' } },
    });
    expect(asffResourceTypeOf('AWS::S3::Bucket')).toBe('AwsS3Bucket');
    expect(asffResourceTypeOf('AWS::RDS::DBInstance')).toBe('AwsRdsDbInstance');
    expect(findingToAsff(finding({ region: 'us-gov-west-1' }), catalogue).Resources[0]!.Partition).toBe('aws-us-gov');
  });

  it('exports a JSON array BatchImportFindings accepts as its Findings', () => {
    const { contentType, body } = exportFindings('asff', [finding(), finding({ resourceId: 'sg-2' })], controls);
    expect(contentType).toMatch(/^application\/json/);
    const findings = JSON.parse(body) as Array<ReturnType<typeof findingToAsff>>;
    expect(findings).toHaveLength(2);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(2);
    findings.forEach(check);
  });

  it('exports json as the stored findings, evidence as stored (already masked)', () => {
    const masked = finding({ evidence: { ...finding().evidence, fields: { secretAccessKey: '****MASKED****' } } });
    const { body } = exportFindings('json', [masked], controls);
    expect(JSON.parse(body)).toEqual([masked]);
  });
});
