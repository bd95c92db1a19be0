/**
 * Findings as OCSF 1.1.0 Compliance Finding events (class_uid 2003, category Findings).
 *
 * Attribute names, requirements and enums follow the OCSF schema 1.1.0
 * (https://schema.ocsf.io/1.1.0/classes/compliance_finding; github.com/ocsf/ocsf-schema:
 * events/base_event.json, events/findings/finding.json, events/findings/compliance_finding.json,
 * objects/compliance.json, objects/finding_info.json, objects/metadata.json, objects/product.json,
 * objects/cloud.json, objects/resource_details.json). Times are epoch milliseconds (timestamp_t).
 */
import type { Finding, FindingStatus } from '../../core/findings/finding';
import type { Severity } from '../../core/model/severity';
import packageJson from '../../../package.json';
import { partitionOf, requirementLabel, suppressionOf, type ControlCatalogue } from './catalogue';
import { lastUpdateOf } from '../../core/findings/finding';
import { FRAMEWORKS } from '../../core/model/framework';

export const OCSF_SCHEMA_VERSION = '1.1.0';
export const OCSF_COMPLIANCE_FINDING_CLASS_UID = 2003;
export const OCSF_FINDINGS_CATEGORY_UID = 2;

/** severity_id (base event): 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const OCSF_SEVERITY: Record<Severity, { id: 1 | 2 | 3 | 4 | 5; caption: string }> = {
  INFORMATIONAL: { id: 1, caption: 'Informational' },
  LOW: { id: 2, caption: 'Low' },
  MEDIUM: { id: 3, caption: 'Medium' },
  HIGH: { id: 4, caption: 'High' },
  CRITICAL: { id: 5, caption: 'Critical' },
};

/** status_id (finding lifecycle): 1 New, 2 In Progress, 3 Suppressed, 4 Resolved. */
const OCSF_FINDING_STATUS: Record<FindingStatus, { id: 1 | 3 | 4; caption: string }> = {
  open: { id: 1, caption: 'New' },
  suppressed: { id: 3, caption: 'Suppressed' },
  resolved: { id: 4, caption: 'Resolved' },
};

/** compliance.status_id: 1 Pass, 2 Warning, 3 Fail. A suppressed finding is an exempted failure, still Fail. */
const OCSF_COMPLIANCE_STATUS: Record<FindingStatus, { id: 1 | 3; caption: string }> = {
  open: { id: 3, caption: 'Fail' },
  suppressed: { id: 3, caption: 'Fail' },
  resolved: { id: 1, caption: 'Pass' },
};

/** activity_id (Finding): 1 Create, 2 Update, 3 Close. */
const OCSF_ACTIVITY = {
  create: { id: 1, caption: 'Create' },
  update: { id: 2, caption: 'Update' },
  close: { id: 3, caption: 'Close' },
} as const;

export interface OcsfComplianceFinding {
  activity_id: 1 | 2 | 3;
  activity_name: string;
  category_uid: 2;
  category_name: 'Findings';
  class_uid: 2003;
  class_name: 'Compliance Finding';
  type_uid: number;
  type_name: string;
  severity_id: 1 | 2 | 3 | 4 | 5;
  severity: string;
  status_id: 1 | 3 | 4;
  status: string;
  time: number;
  start_time: number;
  end_time: number;
  count: number;
  message: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; version: string };
    profiles: string[];
  };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    first_seen_time: number;
    last_seen_time: number;
    created_time: number;
    modified_time: number;
  };
  compliance: {
    standards: string[];
    requirements: string[];
    control: string;
    status_id: 1 | 3;
    status: string;
    status_detail?: string;
  };
  remediation?: { desc: string };
  resources: Array<{ uid: string; type: string; region: string; cloud_partition: string }>;
  cloud: { provider: 'AWS'; account: { uid: string }; region: string };
}

const epochMs = (iso: string) => Date.parse(iso);

function activityOf(finding: Finding): (typeof OCSF_ACTIVITY)[keyof typeof OCSF_ACTIVITY] {
  if (finding.status === 'resolved') return OCSF_ACTIVITY.close;
  if (finding.status === 'open' && finding.count === 1 && finding.resolvedAt === undefined) return OCSF_ACTIVITY.create;
  return OCSF_ACTIVITY.update;
}

export function findingToOcsf(finding: Finding, catalogue: ControlCatalogue): OcsfComplianceFinding {
  const control = catalogue.get(finding.controlId);
  const refs = control?.frameworks ?? [];
  const activity = activityOf(finding);
  const severity = OCSF_SEVERITY[finding.severity];
  const status = OCSF_FINDING_STATUS[finding.status];
  const compliance = OCSF_COMPLIANCE_STATUS[finding.status];
  const suppression = suppressionOf(finding);
  const updated = epochMs(lastUpdateOf(finding));
  const qualified = finding.qualifier ? `${finding.resourceId} (${finding.qualifier})` : finding.resourceId;
  return {
    activity_id: activity.id,
    activity_name: activity.caption,
    category_uid: OCSF_FINDINGS_CATEGORY_UID,
    category_name: 'Findings',
    class_uid: OCSF_COMPLIANCE_FINDING_CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: OCSF_COMPLIANCE_FINDING_CLASS_UID * 100 + activity.id,
    type_name: `Compliance Finding: ${activity.caption}`,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: status.id,
    status: status.caption,
    time: updated,
    start_time: epochMs(finding.firstSeen),
    end_time: epochMs(finding.lastSeen),
    count: finding.count,
    message: finding.message,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      product: { name: 'trailwarden', vendor_name: 'trailwarden', version: packageJson.version },
      profiles: ['cloud'],
    },
    finding_info: {
      uid: finding.id,
      title: `${finding.title}: ${qualified}`,
      desc: finding.message,
      first_seen_time: epochMs(finding.firstSeen),
      last_seen_time: epochMs(finding.lastSeen),
      created_time: epochMs(finding.firstSeen),
      modified_time: updated,
    },
    compliance: {
      standards: refs.length > 0 ? [...new Set(refs.map((ref) => FRAMEWORKS[ref.framework]))] : ['trailwarden'],
      requirements: refs.map(requirementLabel),
      control: finding.controlId,
      status_id: compliance.id,
      status: compliance.caption,
      ...(suppression ? { status_detail: `Suppressed by exemption ${suppression.exemptionId} until ${suppression.expiresAt}` } : {}),
    },
    ...(control && control.runbook.length > 0 ? { remediation: { desc: control.runbook.join('\n') } } : {}),
    resources: [
      { uid: finding.resourceId, type: finding.resourceType, region: finding.region, cloud_partition: partitionOf(finding.region) },
    ],
    cloud: { provider: 'AWS', account: { uid: finding.account }, region: finding.region },
  };
}
