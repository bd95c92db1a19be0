import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { accountOf, requestOf, responseOf } from '../../kernel/records';
import { ECR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** CloudFormation's type for the registry-wide scanning configuration (Ref: the registry id). */
const REGISTRY_SCANNING_TYPE = 'AWS::ECR::RegistryScanningConfiguration';
const BASIC = 'basic scanning';
const NO_CONTINUOUS = 'no continuous scan';

/**
 * PutRegistryScanningConfiguration (ECR API reference): `scanType` BASIC | ENHANCED and `rules[]`
 * with `scanFrequency` SCAN_ON_PUSH | CONTINUOUS_SCAN | MANUAL; the response echoes them as
 * `registryScanningConfiguration`, which is read first.
 */
function configurationOf(event: EventBridgeEvent): { scanType?: string; continuous: boolean; rules: unknown[] } {
  const echoed = asRecord(pathGet(responseOf(event), 'registryScanningConfiguration'));
  const source = Object.keys(echoed).length > 0 ? echoed : requestOf(event);
  const rules = asArray(source.rules);
  return {
    scanType: asString(source.scanType)?.toUpperCase(),
    continuous: rules.some((r) => asString(asRecord(r).scanFrequency) === 'CONTINUOUS_SCAN'),
    rules,
  };
}

/**
 * The registry's enhanced scanning (Amazon Inspector) turned off or reduced: scanType BASIC
 * (MEDIUM — only the OS-package scan at push time remains, no language packages and no rescans
 * when new CVEs are published), or ENHANCED without any CONTINUOUS_SCAN rule (LOW — images are
 * scanned once when pushed and never again). Complements image.scan-on-push-disabled, which
 * reports scanning that is not automatic at all.
 */
export const enhancedScanningDisabled: Control = {
  id: 'image.enhanced-scanning-disabled',
  area: 'image',
  title: 'ECR enhanced (continuous) scanning turned off',
  severity: 'MEDIUM',
  rationale:
    'Most vulnerabilities in running images are published after the image was pushed; only enhanced scanning with continuous rescans finds them, and only it covers application (language) packages — basic scanning leaves long-running services silently vulnerable.',
  runbook: [
    'Turn enhanced continuous scanning back on: ECR console → Private registry → Settings → Scanning → Enhanced scanning, continuous scanning for all repositories, or `aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules \'[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]\'`.',
    'Check Amazon Inspector ECR scanning is active for the account (`aws inspector2 batch-get-account-status`).',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'Inspector.2' },
    { framework: 'nist-800-53-r5', requirement: 'RA-5' },
    { framework: 'pci-dss-4.0', requirement: '11.3.1' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, ['PutRegistryScanningConfiguration'])],
  evaluate(event): Violation[] {
    const { scanType, continuous, rules } = configurationOf(event);
    const registry = accountOf(event);
    if (scanType === 'BASIC') {
      return [
        {
          resourceId: registry,
          resourceType: REGISTRY_SCANNING_TYPE,
          qualifier: BASIC,
          message: `Private registry ${registry} uses basic scanning in ${event.region}: no continuous rescans and no language-package findings`,
          evidence: { scanType, rules },
        },
      ];
    }
    if (scanType === 'ENHANCED' && !continuous) {
      return [
        {
          resourceId: registry,
          resourceType: REGISTRY_SCANNING_TYPE,
          qualifier: NO_CONTINUOUS,
          severity: 'LOW',
          message: `Private registry ${registry} scans images only when pushed in ${event.region}: no rule rescans them continuously`,
          evidence: { scanType, rules },
        },
      ];
    }
    return [];
  },
  resolution: {
    description:
      'PutRegistryScanningConfiguration with scanType ENHANCED (resolves basic scanning) and a CONTINUOUS_SCAN rule (resolves both)',
    patterns: [apiCallPattern(ECR_SOURCE, ['PutRegistryScanningConfiguration'])],
    resolve(event): Resolution[] {
      const { scanType, continuous } = configurationOf(event);
      if (scanType !== 'ENHANCED') return [];
      const registry = accountOf(event);
      const resolutions: Resolution[] = [
        { resourceId: registry, qualifier: BASIC, message: `Private registry ${registry} uses enhanced scanning again` },
      ];
      if (continuous)
        resolutions.push({
          resourceId: registry,
          qualifier: NO_CONTINUOUS,
          message: `Private registry ${registry} rescans images continuously`,
        });
      return resolutions;
    },
  },
};
