import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString, pathGet, stringsOf } from '../../kernel/values';
import { IMAGE_TYPE, imageId, repositoryArn } from './support';

/**
 * Event shapes per the Amazon ECR User Guide ("Amazon ECR events and EventBridge", "EventBridge
 * events sent for enhanced scanning"): basic scanning sends `ECR Image Scan` (aws.ecr) with
 * `finding-severity-counts` per severity (a severity is absent when it has no findings); enhanced
 * scanning sends one `Inspector2 Finding` (aws.inspector2) per vulnerability, created, updated or
 * closed, with the image in `resources[]` (type AWS_ECR_CONTAINER_IMAGE).
 */
const ECR_SCAN_PATTERN = { source: ['aws.ecr'], 'detail-type': ['ECR Image Scan'], detail: { 'scan-status': ['COMPLETE'] } };
const INSPECTOR_PATTERN = { source: ['aws.inspector2'], 'detail-type': ['Inspector2 Finding'] };
const ECR_IMAGE_DELETED_PATTERN = {
  source: ['aws.ecr'],
  'detail-type': ['ECR Image Action'],
  detail: { 'action-type': ['DELETE'], result: ['SUCCESS'] },
};

const REPORTED: readonly string[] = ['CRITICAL', 'HIGH'];

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

interface ScannedImage {
  id: string;
  label: string;
  tags: string[];
}

/** The image an ECR event names (repository-name may be a name or, in Inspector2 Scan events, an ARN). */
function ecrImageOf(event: EventBridgeEvent): ScannedImage | undefined {
  const repository = asString(event.detail['repository-name']);
  const digest = asString(event.detail['image-digest']);
  if (!repository || !digest) return undefined;
  const name = repository.replace(/^arn:[^:]+:ecr:[^:]*:\d*:repository\//, '');
  const tags = [...asArray(event.detail['image-tags']), ...asArray(event.detail['image-tag'])].filter(
    (t): t is string => typeof t === 'string',
  );
  return { id: imageId(repositoryArn(event, repository), digest), label: `${name}@${digest.slice(0, 19)}…`, tags };
}

interface InspectorImageFinding {
  image: ScannedImage;
  vulnerabilityId: string;
  severity: string;
  status: string;
  packages: string[];
}

function inspectorFindingOf(event: EventBridgeEvent): InspectorImageFinding | undefined {
  const detail = event.detail;
  const resource = asArray(detail.resources)
    .map(asRecord)
    .find((r) => r.type === 'AWS_ECR_CONTAINER_IMAGE');
  if (!resource) return undefined;
  const container = asRecord(pathGet(resource, 'details.awsEcrContainerImage'));
  const repository = asString(container.repositoryName);
  const digest = asString(container.imageHash);
  const id =
    asString(resource.id) ??
    (repository && digest ? imageId(repositoryArn(event, repository, asString(container.registry)), digest) : undefined);
  if (!id) return undefined;
  const vulnerabilityId =
    asString(pathGet(detail, 'packageVulnerabilityDetails.vulnerabilityId')) ?? asString(detail.title) ?? asString(detail.findingArn);
  if (!vulnerabilityId) return undefined;
  const packages = asArray(pathGet(detail, 'packageVulnerabilityDetails.vulnerablePackages'))
    .map(asRecord)
    .map((p) => [asString(p.name), asString(p.version)].filter(Boolean).join(' '))
    .filter((p) => p.length > 0);
  return {
    image: {
      id,
      label: repository && digest ? `${repository}@${digest.slice(0, 19)}…` : id,
      tags: stringsOf(container.imageTags),
    },
    vulnerabilityId,
    severity: (asString(detail.severity) ?? '').toUpperCase(),
    status: (asString(detail.status) ?? '').toUpperCase(),
    packages,
  };
}

const tagged = (image: ScannedImage) => (image.tags.length > 0 ? ` (tags ${image.tags.join(', ')})` : '');

/**
 * Container images with CRITICAL or HIGH vulnerabilities, from ECR basic scanning (one finding per
 * image, severity CRITICAL when any critical vulnerability is present) and from Amazon Inspector
 * enhanced scanning (one finding per image and vulnerability, at Inspector's severity). Lower
 * severities are left to the scanners' own consoles.
 */
export const vulnerableImage: Control = {
  id: 'image.vulnerable-image',
  area: 'image',
  title: 'Container image has critical or high vulnerabilities',
  severity: 'HIGH',
  rationale:
    'An image with known critical or high vulnerabilities gives an attacker a ready exploit in every task or pod that runs it; images are rebuilt rarely, so a vulnerable layer spreads to every environment that pulls the tag.',
  runbook: [
    'Open the findings: ECR console → Repositories → <repository> → Images → <digest> → Vulnerabilities (enhanced scanning links each CVE to Amazon Inspector), or `aws ecr describe-image-scan-findings --repository-name <name> --image-id imageDigest=<digest>` / `aws inspector2 list-findings --filter-criteria \'{"ecrImageHash":[{"comparison":"EQUALS","value":"<digest>"}]}\'`.',
    'Rebuild the image on a patched base image and updated packages, push it, and point task definitions and deployments at the new digest.',
    "Find running workloads that still use the digest (`aws ecs list-tasks` + `describe-tasks`, or `kubectl get pods -A -o jsonpath='{..image}'`) and redeploy them.",
    'Remove the vulnerable image once nothing runs it: `aws ecr batch-delete-image --repository-name <name> --image-ids imageDigest=<digest>` (Inspector closes its findings; a clean rescan of a basic-scanning image also resolves this finding).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'RA-5' },
    { framework: 'nist-800-53-r5', requirement: 'SI-2' },
    { framework: 'pci-dss-4.0', requirement: '6.3.1' },
    { framework: 'pci-dss-4.0', requirement: '6.3.3' },
  ],
  patterns: [ECR_SCAN_PATTERN, { ...INSPECTOR_PATTERN, detail: { status: ['ACTIVE'] } }],
  evaluate(event) {
    if (event.source === 'aws.ecr') {
      const image = ecrImageOf(event);
      if (!image) return [];
      const counts = asRecord(event.detail['finding-severity-counts']);
      const critical = count(counts.CRITICAL);
      const high = count(counts.HIGH);
      if (critical + high === 0) return [];
      const severity: Severity = critical > 0 ? 'CRITICAL' : 'HIGH';
      const parts = [critical > 0 ? `${critical} CRITICAL` : '', high > 0 ? `${high} HIGH` : ''].filter(Boolean).join(' and ');
      return [
        {
          resourceId: image.id,
          resourceType: IMAGE_TYPE,
          severity,
          message: `Image ${image.label}${tagged(image)} has ${parts} vulnerabilities (ECR basic scan)`,
          evidence: {
            'repository-name': event.detail['repository-name'],
            'image-digest': event.detail['image-digest'],
            'image-tags': image.tags,
            'finding-severity-counts': counts,
          },
        },
      ];
    }
    const finding = inspectorFindingOf(event);
    if (finding?.status !== 'ACTIVE' || !REPORTED.includes(finding.severity)) return [];
    const violation: Violation = {
      resourceId: finding.image.id,
      resourceType: IMAGE_TYPE,
      qualifier: finding.vulnerabilityId,
      severity: finding.severity as Severity,
      message: `Image ${finding.image.label}${tagged(finding.image)} has ${finding.severity} vulnerability ${finding.vulnerabilityId}${
        finding.packages.length > 0 ? ` in ${finding.packages.join(', ')}` : ''
      } (Amazon Inspector)`,
      evidence: {
        findingArn: event.detail.findingArn,
        title: event.detail.title,
        severity: event.detail.severity,
        inspectorScore: event.detail.inspectorScore,
        vulnerabilityId: finding.vulnerabilityId,
        vulnerablePackages: pathGet(event.detail, 'packageVulnerabilityDetails.vulnerablePackages'),
        fixAvailable: event.detail.fixAvailable,
      },
    };
    return [violation];
  },
  resolution: {
    description:
      'A later ECR basic scan of the image with no CRITICAL or HIGH findings; Inspector closing the finding (status CLOSED, e.g. after the image was rebuilt or deleted); the image deleted from ECR',
    patterns: [ECR_SCAN_PATTERN, { ...INSPECTOR_PATTERN, detail: { status: ['CLOSED'] } }, ECR_IMAGE_DELETED_PATTERN],
    resolve(event): Resolution[] {
      if (event.source === 'aws.inspector2') {
        const finding = inspectorFindingOf(event);
        if (finding?.status !== 'CLOSED') return [];
        return [
          {
            resourceId: finding.image.id,
            qualifier: finding.vulnerabilityId,
            message: `Amazon Inspector closed ${finding.vulnerabilityId} on image ${finding.image.label}`,
          },
        ];
      }
      const image = ecrImageOf(event);
      if (!image) return [];
      if (event['detail-type'] === 'ECR Image Action') {
        return [{ resourceId: image.id, message: `Image ${image.label} was deleted from ECR` }];
      }
      const counts = asRecord(event.detail['finding-severity-counts']);
      if (count(counts.CRITICAL) + count(counts.HIGH) > 0) return [];
      return [{ resourceId: image.id, message: `A new ECR scan of image ${image.label} found no CRITICAL or HIGH vulnerabilities` }];
    },
  },
};
