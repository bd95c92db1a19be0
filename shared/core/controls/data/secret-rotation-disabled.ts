import type { Control } from '../../model/control';
import { asRecord } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { SECRETS_MANAGER_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { secretArn } from './support';

/**
 * CancelRotateSecret turns automatic rotation off for a secret (Secrets Manager removes its rotation
 * configuration). RotateSecret with rotationRules sets a schedule again and resolves it; a
 * RotateSecret without rules only rotates once with whatever configuration is left and does not.
 */
export const secretRotationDisabled: Control = {
  id: 'data.secret-rotation-disabled',
  area: 'data',
  title: 'Secrets Manager automatic rotation turned off',
  severity: 'MEDIUM',
  rationale:
    'Rotation bounds how long a leaked database password or API key stays useful; with rotation cancelled the secret keeps its current value indefinitely, and whoever copied it keeps access.',
  runbook: [
    'Ask the secret’s owner why rotation was cancelled (often a failing rotation function); fix the cause rather than leaving rotation off.',
    'Console: Secrets Manager → Secrets → <secret> → Rotation → Edit rotation → Automatic rotation on, set the schedule and the rotation function (or managed rotation) → Save.',
    'CLI: `aws secretsmanager rotate-secret --secret-id <arn> --rotation-rules AutomaticallyAfterDays=30` (add `--rotation-lambda-arn <function-arn>` for secrets that use a rotation function).',
    'If the secret may have been exposed while rotation was off, rotate it now: `aws secretsmanager rotate-secret --secret-id <arn>`.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'SecretsManager.1' },
    { framework: 'pci-dss-4.0', requirement: '8.6.3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2(1)' },
  ],
  patterns: [apiCallPattern(SECRETS_MANAGER_SOURCE, ['CancelRotateSecret'])],
  evaluate(event) {
    const arn = secretArn(event);
    if (!arn) return [];
    return [
      {
        resourceId: arn,
        resourceType: 'AWS::SecretsManager::Secret',
        message: `Automatic rotation of Secrets Manager secret ${arn} was cancelled`,
        evidence: { secretId: requestOf(event).secretId ?? null },
      },
    ];
  },
  resolution: {
    description: 'RotateSecret with rotationRules on the same secret (rotation scheduled again)',
    patterns: [apiCallPattern(SECRETS_MANAGER_SOURCE, ['RotateSecret'])],
    resolve(event) {
      if (Object.keys(asRecord(requestOf(event).rotationRules)).length === 0) return [];
      const arn = secretArn(event);
      if (!arn) return [];
      return [{ resourceId: arn, message: `Automatic rotation of Secrets Manager secret ${arn} was scheduled again` }];
    },
  },
};
