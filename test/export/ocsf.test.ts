/**
 * OCSF 1.1.0 Compliance Finding output against the schema's required attributes and enums.
 *
 * Required attributes, from the OCSF schema 1.1.0 (https://schema.ocsf.io/1.1.0/classes/compliance_finding
 * and the definitions in https://github.com/ocsf/ocsf-schema: events/base_event.json + the classification
 * and occurrence traits, events/findings/finding.json, events/findings/compliance_finding.json,
 * objects/metadata.json, objects/product.json, objects/finding_info.json, objects/compliance.json,
 * objects/cloud.json; cross-checked with prowler-cloud/py-ocsf-models, pinned to OCSF 1.1.0).
 */
import { exportFindings, findingToOcsf, OCSF_SCHEMA_VERSION } from '../../shared/app/exports';
import { catalogueOf } from '../../shared/app/exports/catalogue';
import { SEVERITIES } from '../../shared/core/model/severity';
import { control, finding } from './fixtures';

const REQUIRED = {
  event: ['activity_id', 'category_uid', 'class_uid', 'type_uid', 'severity_id', 'time', 'metadata', 'finding_info', 'compliance'],
  metadata: ['product', 'version'],
  product: ['vendor_name'],
  finding_info: ['uid', 'title'],
  compliance: ['standards'],
  cloud: ['provider'],
} as const;

/** Enums (same sources): severity_id, status_id (finding), compliance.status_id, activity_id. */
const SEVERITY_ID = { 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' } as const;
const STATUS_ID = { 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved' } as const;
const COMPLIANCE_STATUS_ID = { 1: 'Pass', 2: 'Warning', 3: 'Fail' } as const;
const ACTIVITY_ID = { 1: 'Create', 2: 'Update', 3: 'Close' } as const;

const controls = [
  control('network.security-group-open-to-internet', [
    { framework: 'cis-aws', requirement: '5.2' },
    { framework: 'pci-dss-4.0', requirement: '1.3.1' },
    { framework: 'pci-dss-4.0', requirement: '1.4.4' },
  ]),
];
const catalogue = catalogueOf(controls);

function expectRequired(object: unknown, keys: readonly string[], where: string) {
  expect(typeof object).toBe('object');
  for (const key of keys) {
    const value = (object as Record<string, unknown>)[key];
    if (value === undefined || value === null || value === '') throw new Error(`${where}.${key} is required but missing`);
  }
}

describe('OCSF Compliance Finding', () => {
  const cases = [
    finding({ status: 'open' }),
    finding({ status: 'open', count: 3, resourceId: 'sg-2' }),
    finding({ status: 'resolved', resolvedAt: '2025-01-04T00:00:00.000Z', resourceId: 'sg-3' }),
    {
      ...finding({ status: 'suppressed', resourceId: 'sg-4' }),
      suppressedBy: { exemptionId: 'ex-1', expiresAt: '2025-06-01T00:00:00.000Z' },
    },
  ];

  it.each(cases.map((f) => [f.status, f]))('has every required attribute (%s)', (_status, f) => {
    const event = findingToOcsf(f, catalogue);
    expectRequired(event, REQUIRED.event, 'event');
    expectRequired(event.metadata, REQUIRED.metadata, 'metadata');
    expectRequired(event.metadata.product, REQUIRED.product, 'metadata.product');
    expectRequired(event.finding_info, REQUIRED.finding_info, 'finding_info');
    expectRequired(event.compliance, REQUIRED.compliance, 'compliance');
    expectRequired(event.cloud, REQUIRED.cloud, 'cloud');
    expect(event.compliance.standards.length).toBeGreaterThan(0);
  });

  it('is class 2003 in category 2, with type_uid = class_uid * 100 + activity_id', () => {
    for (const f of cases) {
      const event = findingToOcsf(f, catalogue);
      expect(event.class_uid).toBe(2003);
      expect(event.category_uid).toBe(2);
      expect(Object.keys(ACTIVITY_ID).map(Number)).toContain(event.activity_id);
      expect(event.activity_name).toBe(ACTIVITY_ID[event.activity_id]);
      expect(event.type_uid).toBe(2003 * 100 + event.activity_id);
      expect(event.metadata.version).toBe(OCSF_SCHEMA_VERSION);
      expect(OCSF_SCHEMA_VERSION).toMatch(/^1\.\d+\.\d+$/);
    }
  });

  it('maps the lifecycle to activity_id, status_id and compliance.status_id', () => {
    const [created, updated, resolved, suppressed] = cases.map((f) => findingToOcsf(f, catalogue));
    expect([created!.activity_id, updated!.activity_id, resolved!.activity_id, suppressed!.activity_id]).toEqual([1, 2, 3, 2]);
    expect([created!.status_id, resolved!.status_id, suppressed!.status_id]).toEqual([1, 4, 3]);
    for (const event of [created!, updated!, resolved!, suppressed!]) {
      expect(event.status).toBe(STATUS_ID[event.status_id]);
      expect(event.compliance.status).toBe(COMPLIANCE_STATUS_ID[event.compliance.status_id]);
    }
    expect([created!.compliance.status_id, resolved!.compliance.status_id, suppressed!.compliance.status_id]).toEqual([3, 1, 3]);
    expect(suppressed!.compliance.status_detail).toContain('ex-1');
  });

  it.each(SEVERITIES.map((s, i) => [s, i + 1]))('maps severity %s to severity_id %d', (severity, id) => {
    const event = findingToOcsf(finding({ severity }), catalogue);
    expect(event.severity_id).toBe(id);
    expect(event.severity).toBe(SEVERITY_ID[id as keyof typeof SEVERITY_ID]);
  });

  it('writes times as integer epoch milliseconds and names the standards, requirements, resource and cloud', () => {
    const f = cases[2]!;
    const event = findingToOcsf(f, catalogue);
    expect(event.time).toBe(Date.parse('2025-01-04T00:00:00.000Z'));
    expect(event.finding_info.first_seen_time).toBe(Date.parse(f.firstSeen));
    expect(event.finding_info.last_seen_time).toBe(Date.parse(f.lastSeen));
    expect(event.finding_info.created_time).toBe(Date.parse(f.firstSeen));
    for (const t of [event.time, event.finding_info.first_seen_time, event.finding_info.last_seen_time])
      expect(Number.isInteger(t)).toBe(true);
    expect(event.finding_info.uid).toBe(f.id);
    expect(event.compliance).toMatchObject({
      control: 'network.security-group-open-to-internet',
      standards: ['CIS Amazon Web Services Foundations Benchmark v3.0.0', 'PCI DSS v4.0'],
      requirements: ['CIS Amazon Web Services Foundations Benchmark v3.0.0 5.2', 'PCI DSS v4.0 1.3.1', 'PCI DSS v4.0 1.4.4'],
    });
    expect(event.resources).toEqual([{ uid: 'sg-3', type: 'AWS::EC2::SecurityGroup', region: 'eu-west-1', cloud_partition: 'aws' }]);
    expect(event.cloud).toEqual({ provider: 'AWS', account: { uid: '111122223333' }, region: 'eu-west-1' });
    expect(event.metadata.product).toMatchObject({ name: 'trailwarden', vendor_name: 'trailwarden', version: expect.any(String) });
  });

  it('still names a standard for a finding whose control left the catalogue', () => {
    const event = findingToOcsf(finding({ controlId: 'network.retired-control' }), catalogue);
    expect(event.compliance.standards.length).toBeGreaterThan(0);
    expect(event.compliance.requirements).toEqual([]);
  });

  it('exports a JSON array of events and carries no evidence (no raw request fields)', () => {
    const f = finding({ evidence: { ...finding().evidence, fields: { password: '****' } } });
    const { contentType, body } = exportFindings('ocsf', [f], controls);
    expect(contentType).toMatch(/^application\/json/);
    const events = JSON.parse(body) as unknown[];
    expect(events).toHaveLength(1);
    expect(body).not.toContain('password');
  });
});
