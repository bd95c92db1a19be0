import type { Control, DetectionSignal, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString, pathGet, stringsOf } from '../../kernel/values';
import { accountOf, recordOf, requestOf } from '../../kernel/records';
import { callerOf, callerEvidenceOf } from '../../kernel/principals';
import { KMS_SOURCE, SECRETS_MANAGER_SOURCE, SSM_SOURCE, sourceOf } from '../../kernel/sources';

const WINDOW = 'distinctSecretsPerPrincipal';

/** A principal's own calls only: userIdentity.invokedBy absent (a service acting on its behalf is left out). */
const OWN_CALL = { userIdentity: { invokedBy: [{ exists: false }] } };

function readPattern(eventSource: string, eventNames: string[]) {
  return {
    source: [sourceOf(eventSource)],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
    detail: { eventSource: [eventSource], eventName: eventNames, ...OWN_CALL },
  };
}

/**
 * What one read names, each a value the window counts: Secrets Manager GetSecretValue
 * (requestParameters.secretId) and BatchGetSecretValue (secretIdList), Systems Manager GetParameter
 * (name), GetParameters (names) and GetParametersByPath (path), and KMS Decrypt (the key, from
 * requestParameters.keyId or the record's resources).
 */
function secretsReadBy(event: EventBridgeEvent): string[] {
  const record = recordOf(event);
  const request = requestOf(event);
  switch (asString(record.eventName)) {
    case 'GetSecretValue':
      return stringsOf(request.secretId).map((id) => `secret ${id}`);
    case 'BatchGetSecretValue':
      return stringsOf(request.secretIdList).map((id) => `secret ${id}`);
    case 'GetParameter':
      return stringsOf(request.name).map((name) => `parameter ${name}`);
    case 'GetParameters':
      return stringsOf(request.names).map((name) => `parameter ${name}`);
    case 'GetParametersByPath':
      return stringsOf(request.path).map((path) => `parameters under ${path}`);
    case 'Decrypt': {
      const key = asString(request.keyId) ?? asString(pathGet(record.resources?.[0], 'ARN'));
      return key ? [`key ${key}`] : [];
    }
    default:
      return [];
  }
}

/**
 * Secrets harvested in bulk: reads of secrets (Secrets Manager), parameters (Systems Manager Parameter
 * Store) and KMS decryptions, by one principal, counted by the distinct secrets, parameters and keys they
 * name, refused attempts included (trying many is the signal). A workload reads its own few secrets over
 * and over; `distinctSecretsPerPrincipal` distinct ones within its window is HIGH, one finding per
 * principal that repeats while the harvesting lasts. Calls a service makes on the principal's behalf
 * (invokedBy) are not selected.
 */
export const secretsReadInBulk: Control = {
  id: 'data.secrets-read-in-bulk',
  area: 'data',
  title: 'Many distinct secrets, parameters or keys read by one principal',
  severity: 'HIGH',
  rationale:
    'Credentials in Secrets Manager, Parameter Store and KMS-encrypted data are what an intruder harvests first; one principal reading many different secrets within minutes is that harvest, not a workload reading its own configuration.',
  runbook: [
    'Look at the evidence: the principal, its source address and user agent, and what it read (detection.values). A deployment tool syncing many parameters at release time can look like this: confirm with its owner.',
    'If it is not expected, revoke the principal’s sessions or keys (IAM console → Roles → <role> → Revoke active sessions; `aws iam update-access-key --status Inactive` for a user’s key) and rotate every secret and parameter it read (`aws secretsmanager rotate-secret --secret-id <id>`).',
    'Narrow the principal’s permissions to the secrets it needs (resource ARNs in secretsmanager:GetSecretValue and ssm:GetParameter* statements, kms:Decrypt with kms:EncryptionContext conditions).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.2' },
  ],
  attack: ['T1555.006', 'T1552'],
  patterns: [
    readPattern(SECRETS_MANAGER_SOURCE, ['GetSecretValue', 'BatchGetSecretValue']),
    readPattern(SSM_SOURCE, ['GetParameter', 'GetParameters', 'GetParametersByPath']),
    readPattern(KMS_SOURCE, ['Decrypt']),
  ],
  detection: {
    windows: { [WINDOW]: { minutes: 10, threshold: 10, counts: 'distinct secrets, parameters and keys read' } },
    detect(event): DetectionSignal[] {
      const record = recordOf(event);
      if (asString(record.userIdentity?.invokedBy)) return [];
      const caller = callerOf(event);
      if (!caller || caller.kind === 'other') return [];
      const read = secretsReadBy(event);
      const raises = (): Violation => ({
        resourceId: caller.resourceId,
        resourceType: caller.resourceType,
        qualifier: 'secrets read in bulk',
        message: `${caller.arn ?? caller.resourceId} read many different secrets, parameters or keys, latest ${read[0] ?? 'unknown'} from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
        evidence: {
          eventSource: record.eventSource,
          eventName: record.eventName,
          errorCode: record.errorCode ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
        },
      });
      const key = `${accountOf(event)}/${caller.resourceType}/${caller.resourceId}`;
      return read.map((value) => ({ kind: 'distinct' as const, window: WINDOW, key, value, raises }));
    },
  },
};
