import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asNumber, isTrue } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf } from '../../kernel/records';
import { iamCall } from './support';

/** CIS AWS Foundations v3.0.0 1.8 (length) and 1.9 (reuse, 24 per the CIS audit); FSBP IAM.7 (character classes). */
const MIN_LENGTH = 14;
const MIN_REUSE_PREVENTION = 24;
const REQUIRED_CLASSES = [
  ['requireUppercaseCharacters', 'an uppercase letter'],
  ['requireLowercaseCharacters', 'a lowercase letter'],
  ['requireNumbers', 'a number'],
  ['requireSymbols', 'a symbol'],
] as const;

/**
 * UpdateAccountPasswordPolicy replaces the whole policy: a parameter left out takes the API
 * default (minimum length 6, no character-class requirement, no reuse prevention).
 */
function weaknessesOf(event: EventBridgeEvent): string[] {
  const request = requestOf(event);
  const weaknesses: string[] = [];
  const length = asNumber(request.minimumPasswordLength) ?? 6;
  if (length < MIN_LENGTH) weaknesses.push(`minimum length ${length} (< ${MIN_LENGTH})`);
  const reuse = asNumber(request.passwordReusePrevention) ?? 0;
  if (reuse < MIN_REUSE_PREVENTION)
    weaknesses.push(reuse === 0 ? 'password reuse allowed' : `reuse prevention ${reuse} (< ${MIN_REUSE_PREVENTION})`);
  const missing = REQUIRED_CLASSES.filter(([field]) => !isTrue(request[field])).map(([, label]) => label);
  if (missing.length > 0) weaknesses.push(`no requirement for ${missing.join(', ')}`);
  return weaknesses;
}

const POLICY_FIELDS = [
  'minimumPasswordLength',
  'passwordReusePrevention',
  'requireUppercaseCharacters',
  'requireLowercaseCharacters',
  'requireNumbers',
  'requireSymbols',
  'maxPasswordAge',
  'hardExpiry',
  'allowUsersToChangePassword',
];

export const passwordPolicyWeakened: Control = {
  id: 'iam.password-policy-weakened',
  area: 'iam',
  title: 'Account password policy below CIS / FSBP strength, or deleted',
  severity: 'MEDIUM',
  rationale:
    'The account password policy is the only guard on IAM user passwords; short, single-class or reused passwords fall to guessing and credential stuffing, which MFA gaps then turn into account access.',
  runbook: [
    'IAM console → Account settings → Password policy → Edit: minimum length 14 or more, require uppercase, lowercase, numbers and symbols, prevent reuse of the last 24 passwords.',
    'CLI: `aws iam update-account-password-policy --minimum-password-length 14 --require-uppercase-characters --require-lowercase-characters --require-numbers --require-symbols --password-reuse-prevention 24 --allow-users-to-change-password`.',
    'Better still, replace IAM user passwords with IAM Identity Center sign-in.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.8' },
    { framework: 'cis-aws', requirement: '1.9' },
    { framework: 'fsbp', requirement: 'IAM.7' },
    { framework: 'pci-dss-4.0', requirement: '8.3.6' },
    { framework: 'pci-dss-4.0', requirement: '8.3.7' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5(1)' },
  ],
  patterns: [iamCall(['UpdateAccountPasswordPolicy', 'DeleteAccountPasswordPolicy'])],
  evaluate(event) {
    const account = accountOf(event);
    if (recordOf(event).eventName === 'DeleteAccountPasswordPolicy') {
      return [
        {
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          message: `The IAM password policy of account ${account} was deleted; AWS defaults now apply`,
          evidence: { eventName: 'DeleteAccountPasswordPolicy' },
        },
      ];
    }
    const weaknesses = weaknessesOf(event);
    if (weaknesses.length === 0) return [];
    const request = requestOf(event);
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        message: `The IAM password policy of account ${account} was set below CIS/FSBP strength: ${weaknesses.join('; ')}`,
        evidence: Object.fromEntries(POLICY_FIELDS.filter((f) => f in request).map((f) => [f, request[f]])),
      },
    ];
  },
  resolution: {
    description: 'UpdateAccountPasswordPolicy meeting every requirement',
    patterns: [iamCall(['UpdateAccountPasswordPolicy'])],
    resolve(event) {
      if (weaknessesOf(event).length > 0) return [];
      const account = accountOf(event);
      return [{ resourceId: account, message: `The IAM password policy of account ${account} meets CIS/FSBP strength again` }];
    },
  },
};
