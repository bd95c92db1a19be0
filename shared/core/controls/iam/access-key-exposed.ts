import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { IAM_USER_TYPE, callerEvidenceOf } from '../../kernel/principals';
import { iamCall } from './support';

/** arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine, …V2, …V3 (any partition). */
const QUARANTINE_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/AWSCompromisedKeyQuarantine(V\d+)?$/;
/** Before the managed policies, AWS put an inline policy of this name on the user. */
const QUARANTINE_POLICY_NAME = /^AWSCompromisedKeyQuarantine/;

/** The quarantine policy a call applies, by ARN or inline name, or undefined. */
function quarantinePolicyOf(event: EventBridgeEvent): string | undefined {
  const request = requestOf(event);
  if (recordOf(event).eventName === 'AttachUserPolicy') {
    const arn = asString(request.policyArn);
    return arn && QUARANTINE_POLICY_ARN.test(arn) ? arn : undefined;
  }
  const name = asString(request.policyName);
  return name && QUARANTINE_POLICY_NAME.test(name) ? name : undefined;
}

/**
 * AWS quarantined an IAM user because one of its access keys was found exposed in public (a code
 * repository, a paste site): AWS attaches the managed AWSCompromisedKeyQuarantine policy (V1, V2 or
 * V3), or on older cases puts an inline policy of that name, denying the actions fraud usually
 * starts with. The key itself still works for everything else, and whoever copied it may already
 * have used it.
 */
export const accessKeyExposed: Control = {
  id: 'iam.access-key-exposed',
  area: 'iam',
  title: 'AWS quarantined an IAM user whose access key was exposed publicly',
  severity: 'HIGH',
  rationale:
    'AWS applies the AWSCompromisedKeyQuarantine policy only when it has found the user’s secret access key in public; the quarantine blocks a short list of actions, everything else the key may do still works, and its finders may have used it already.',
  runbook: [
    'Open the AWS Support case or Health notification AWS created for the exposure; it names the key and where it was found.',
    'Rotate the key: create a replacement for the workload if one is needed, then deactivate and delete the exposed one (IAM console → Users → <user> → Security credentials → Access keys → Actions → Deactivate, then Delete; CLI `aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive` and `aws iam delete-access-key --user-name <user> --access-key-id <key-id>`).',
    'Review CloudTrail for everything the key did since it was published (resources created in any Region, IAM changes, data reads) and remove what the owner did not do; check the bill for unexpected usage.',
    'Leave the quarantine policy attached until the key is deleted and the review is finished, as AWS asks; remove the secret from where it was published and purge it from the repository history.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
    { framework: 'nist-800-53-r5', requirement: 'IR-4' },
  ],
  patterns: [iamCall(['AttachUserPolicy', 'PutUserPolicy'])],
  evaluate(event) {
    const policy = quarantinePolicyOf(event);
    const userName = asString(requestOf(event).userName);
    if (!policy || !userName) return [];
    const record = recordOf(event);
    return [
      {
        resourceId: userName,
        resourceType: IAM_USER_TYPE,
        message: `AWS quarantined IAM user ${userName} (${policy}): one of its access keys was found exposed in public`,
        evidence: {
          eventName: record.eventName,
          userName,
          policy,
          userIdentity: callerEvidenceOf(event),
          userAgent: record.userAgent ?? null,
        },
      },
    ];
  },
};
