import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { ECR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { REPOSITORY_TYPE, repositoryOfCall } from './support';

/** CloudFormation's type for the registry-wide scanning configuration (Ref: the registry id). */
const REGISTRY_SCANNING_TYPE = 'AWS::ECR::RegistryScanningConfiguration';

/**
 * scanOnPush of a CreateRepository / PutImageScanningConfiguration call: the response's
 * imageScanningConfiguration when present (CreateRepository reports the effective setting),
 * else the request's; CreateRepository without the setting defaults to false.
 */
function scanOnPushOf(event: EventBridgeEvent): boolean | undefined {
  const response = responseOf(event);
  const request = requestOf(event);
  for (const value of [
    pathGet(response, 'repository.imageScanningConfiguration.scanOnPush'),
    pathGet(response, 'imageScanningConfiguration.scanOnPush'),
    pathGet(request, 'imageScanningConfiguration.scanOnPush'),
  ]) {
    if (typeof value === 'boolean') return value;
  }
  return recordOf(event).eventName === 'CreateRepository' ? false : undefined;
}

/**
 * Whether a PutRegistryScanningConfiguration scans every repository automatically: some rule with
 * a scan frequency other than MANUAL whose filters include the wildcard `*` (API reference:
 * RegistryScanningRule, ScanningRepositoryFilter). Rules covering only some repositories are a
 * deliberate scoping and not reported.
 */
function registryScanning(event: EventBridgeEvent): { automatic: boolean; coversAll: boolean; rules: unknown[] } {
  const rules = asArray(requestOf(event).rules);
  const automatic = rules.map(asRecord).filter((r) => {
    const frequency = asString(r.scanFrequency);
    return frequency !== undefined && frequency !== 'MANUAL';
  });
  const coversAll = automatic.some((r) => asArray(r.repositoryFilters).some((f) => asString(asRecord(f).filter) === '*'));
  return { automatic: automatic.length > 0, coversAll, rules };
}

const REPOSITORY_CALLS = ['CreateRepository', 'PutImageScanningConfiguration'];

/**
 * ECR images that are not scanned when pushed: a repository created or reconfigured with
 * scanOnPush false (FSBP ECR.1), and a registry scanning configuration that leaves every rule
 * MANUAL (or has no rules), which turns automatic scanning off for the whole registry.
 */
export const scanOnPushDisabled: Control = {
  id: 'image.scan-on-push-disabled',
  area: 'image',
  title: 'ECR image scanning on push turned off',
  severity: 'MEDIUM',
  rationale:
    'Without scan on push, images reach the registry and the clusters that pull them without anyone learning of their known vulnerabilities; the vulnerable-image findings that depend on scans never appear.',
  runbook: [
    'Prefer registry-level scanning so every repository is covered: ECR console → Private registry → Settings → Scanning → Scan on push for all repositories (filter `*`), or `aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules \'[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]\'`.',
    'For a single repository under basic scanning: `aws ecr put-image-scanning-configuration --repository-name <name> --image-scanning-configuration scanOnPush=true`.',
    'Scan the images already pushed: `aws ecr start-image-scan --repository-name <name> --image-id imageTag=<tag>`.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'ECR.1' },
    { framework: 'nist-800-53-r5', requirement: 'RA-5' },
    { framework: 'pci-dss-4.0', requirement: '6.3.1' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, [...REPOSITORY_CALLS, 'PutRegistryScanningConfiguration'])],
  evaluate(event): Violation[] {
    if (recordOf(event).eventName === 'PutRegistryScanningConfiguration') {
      const { automatic, rules } = registryScanning(event);
      if (automatic) return [];
      const registry = accountOf(event);
      return [
        {
          resourceId: registry,
          resourceType: REGISTRY_SCANNING_TYPE,
          severity: 'HIGH',
          message: `Private registry ${registry} no longer scans any repository automatically (every scanning rule is MANUAL or removed)`,
          evidence: { scanType: requestOf(event).scanType, rules },
        },
      ];
    }
    const repository = repositoryOfCall(event);
    if (!repository || scanOnPushOf(event) !== false) return [];
    return [
      {
        resourceId: repository.arn,
        resourceType: REPOSITORY_TYPE,
        message: `ECR repository ${repository.name} does not scan images on push (unless a registry-level scanning rule covers it)`,
        evidence: { repositoryName: repository.name, imageScanningConfiguration: { scanOnPush: false } },
      },
    ];
  },
  resolution: {
    description:
      'PutImageScanningConfiguration with scanOnPush true or DeleteRepository for a repository; PutRegistryScanningConfiguration with an automatic rule for the registry',
    patterns: [apiCallPattern(ECR_SOURCE, ['PutImageScanningConfiguration', 'DeleteRepository', 'PutRegistryScanningConfiguration'])],
    resolve(event): Resolution[] {
      const eventName = recordOf(event).eventName;
      if (eventName === 'PutRegistryScanningConfiguration') {
        const { automatic, coversAll } = registryScanning(event);
        if (!automatic) return [];
        return [
          {
            resourceId: accountOf(event),
            message: `Private registry ${accountOf(event)} scans ${coversAll ? 'every repository' : 'the repositories its rules select'} automatically again`,
          },
        ];
      }
      const repository = repositoryOfCall(event);
      if (!repository) return [];
      if (eventName === 'DeleteRepository')
        return [{ resourceId: repository.arn, message: `ECR repository ${repository.name} was deleted` }];
      return scanOnPushOf(event) === true
        ? [{ resourceId: repository.arn, message: `ECR repository ${repository.name} scans images on push again` }]
        : [];
    },
  },
};
