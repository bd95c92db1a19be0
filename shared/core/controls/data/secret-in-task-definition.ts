import type { Control, Violation } from '../../model/control';
import { asArray, asRecord, asString } from '../../kernel/values';
import {
  TASK_DEFINITION_TYPE,
  containerNameOf,
  containersOf,
  registerTaskDefinitionPattern,
  registeredTaskDefinitionArn,
  retireTaskDefinitionPattern,
  retiredTaskDefinitionArns,
} from '../../kernel/task-definition';
import { isSecretName, isSecretValue } from '../../kernel/secrets';

/** The variables FSBP ECS.8 names: credentials that must come from `secrets`, never `environment`. */
const ECS8_NAMES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'ECS_ENGINE_AUTH_DATA']);

/**
 * Values that cannot be a secret even under a secret-sounding name: empty, booleans, small
 * numbers (TTLs, lengths), and references resolved elsewhere (ARNs, SSM / CloudFormation dynamic
 * references, shell-style placeholders).
 */
function isPlainSetting(value: string): boolean {
  const trimmed = value.trim();
  return (
    trimmed === '' ||
    /^(true|false|yes|no|on|off|enabled|disabled|none|null)$/i.test(trimmed) ||
    /^\d{1,6}$/.test(trimmed) ||
    /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/.test(trimmed) ||
    /^\{\{resolve:/.test(trimmed) ||
    /^\$\{[^}]+\}$/.test(trimmed)
  );
}

type Reason = 'FSBP ECS.8 credential variable' | 'secret-shaped value' | 'secret-sounding name';

function reasonFor(name: string, value: string): Reason | undefined {
  if (ECS8_NAMES.has(name) && value.trim() !== '') return 'FSBP ECS.8 credential variable';
  if (isSecretValue(value)) return 'secret-shaped value';
  if (isSecretName(name) && !isPlainSetting(value)) return 'secret-sounding name';
  return undefined;
}

/**
 * Secrets in clear text in ECS task definitions: container `environment` entries named like
 * credentials (FSBP ECS.8's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / ECS_ENGINE_AUTH_DATA, or
 * names such as *_PASSWORD, *_TOKEN, *_SECRET) with a literal value, or any value shaped like a
 * known secret (AWS secret keys, private keys, provider tokens, credentials in URLs). Evidence and
 * messages name the container and variable, never the value. (Lambda is not covered: CloudTrail
 * does not record function environment values.)
 */
export const secretInTaskDefinition: Control = {
  id: 'data.secret-in-task-definition',
  area: 'data',
  title: 'Secret in clear text in an ECS task definition',
  severity: 'HIGH',
  rationale:
    'Environment values of a task definition are readable by anyone with ecs:DescribeTaskDefinition, copied into CloudTrail and kept in every revision; a secret placed there is exposed far beyond the container that needs it.',
  runbook: [
    'Treat the value as leaked: rotate the credential now (for an IAM access key: `aws iam create-access-key`, switch clients, then `aws iam delete-access-key --user-name <user> --access-key-id <id>`).',
    "Store it in Secrets Manager or SSM Parameter Store (`aws secretsmanager create-secret --name <name> --secret-string file://value.txt`) and reference it from the container definition's `secrets` (valueFrom: the secret ARN), giving the task execution role secretsmanager:GetSecretValue on it.",
    'Register a new revision without the variable, update services to it (`aws ecs update-service --cluster <cluster> --service <service> --task-definition <family>:<new-revision>`), then retire the exposed revision: `aws ecs deregister-task-definition --task-definition <family>:<revision>` and `aws ecs delete-task-definitions --task-definitions <family>:<revision>` (console: ECS → Task definitions → <family> → Deregister, then Delete).',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'ECS.8' },
    { framework: 'pci-dss-4.0', requirement: '8.6.2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5(7)' },
  ],
  patterns: [registerTaskDefinitionPattern],
  evaluate(event) {
    const taskDefinition = registeredTaskDefinitionArn(event);
    if (!taskDefinition) return [];
    const violations: Violation[] = [];
    containersOf(event).forEach((container, index) => {
      const containerName = containerNameOf(container, index);
      for (const entry of asArray(container.environment)) {
        const variable = asRecord(entry);
        const name = asString(variable.name);
        const value = asString(variable.value);
        if (!name || value === undefined) continue;
        const reason = reasonFor(name, value);
        if (!reason) continue;
        violations.push({
          resourceId: taskDefinition,
          resourceType: TASK_DEFINITION_TYPE,
          qualifier: `${containerName}/${name}`,
          severity: reason === 'secret-sounding name' ? 'HIGH' : 'CRITICAL',
          message: `Task definition ${taskDefinition} passes ${name} to container ${containerName} as a clear-text environment variable (${reason})`,
          evidence: { container: containerName, variable: name, reason },
        });
      }
    });
    return violations;
  },
  resolution: {
    description: 'DeregisterTaskDefinition or DeleteTaskDefinitions retiring the revision (the credential itself must still be rotated)',
    patterns: [retireTaskDefinitionPattern],
    resolve(event) {
      return retiredTaskDefinitionArns(event).map((arn) => ({
        resourceId: arn,
        message: `Task definition ${arn} was retired; rotate any credential it exposed`,
      }));
    },
  },
};
