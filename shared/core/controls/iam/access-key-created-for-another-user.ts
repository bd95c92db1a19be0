import type { Control, DetectionSignal, Resolution } from '../../model/control';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { IAM_USER_TYPE, accessKeyLabel, callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import { WATCHED_SERVICE_SOURCES } from '../../kernel/sources';
import { accessKeyQualifier, accessKeyRevocationOf, iamCall, isSelfService, targetUserName } from './support';

const WINDOW = 'createdThenUsed';
const CREATED = 'created for another user';
const USED = 'used from another address';

/**
 * A planted key put to use: CreateAccessKey by one principal for another IAM user (responseElements.accessKey:
 * accessKeyId, userName), then a call signed with that key (userIdentity.accessKeyId) from a source address
 * other than the one the key was created from, within `createdThenUsed` (24 hours by default). Each key's
 * first use from each address is a step; the sequence is HIGH, one finding per key, on the user. Creating
 * the key alone is iam.user-credentials-created (MEDIUM); a key its own user creates and uses is not selected.
 * Resolved when the key is deleted or deactivated.
 */
export const accessKeyCreatedForAnotherUser: Control = {
  id: 'iam.access-key-created-for-another-user',
  area: 'iam',
  title: 'Access key created for another user, then used from a new address',
  severity: 'HIGH',
  rationale:
    'Creating an access key for someone else and using it from elsewhere is how an intruder with iam:CreateAccessKey takes over a more privileged user and keeps access after the first foothold is closed; administrators hand keys over, they rarely see them used minutes later from another network.',
  runbook: [
    'Ask the user and the principal that created the key (evidence: both source addresses, the creator’s ARN) whether the key was handed over on purpose, and where it is used.',
    'If not: deactivate the key at once (`aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive`), review what it did (CloudTrail, userIdentity.accessKeyId), and revoke the creator’s credentials too.',
    'Restrict iam:CreateAccessKey on other users (the aws:username policy variable in the resource ARN lets users manage only their own keys) to the identity team’s role.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.11' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
  ],
  attack: ['T1098.001', 'T1078.004'],
  patterns: [
    iamCall(['CreateAccessKey']),
    {
      source: [...WATCHED_SERVICE_SOURCES],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
      detail: { userIdentity: { type: ['IAMUser'], accessKeyId: [{ prefix: 'AKIA' }] } },
    },
  ],
  detection: {
    windows: { [WINDOW]: { minutes: 1440, threshold: 1, counts: 'steps', steps: [CREATED, USED], distinctEnds: true } },
    detect(event): DetectionSignal[] {
      const record = recordOf(event);
      const sourceIp = asString(record.sourceIPAddress) ?? 'unknown';
      const created = record.eventName === 'CreateAccessKey' && record.eventSource === 'iam.amazonaws.com' && !record.errorCode;
      const accessKeyId = created
        ? asString(pathGet(responseOf(event), 'accessKey.accessKeyId'))
        : asString(record.userIdentity?.accessKeyId);
      const userName = created
        ? (asString(requestOf(event).userName) ?? asString(pathGet(responseOf(event), 'accessKey.userName')) ?? targetUserName(event))
        : asString(record.userIdentity?.userName);
      if (!accessKeyId || !userName) return [];
      if (created && isSelfService(event, userName)) return [];
      if (!created && record.userIdentity?.type !== 'IAMUser') return [];
      return [
        {
          kind: 'step',
          window: WINDOW,
          key: `${accountOf(event)}/${accessKeyId}`,
          step: created ? CREATED : USED,
          value: sourceIp,
          raises: () => ({
            resourceId: userName,
            resourceType: IAM_USER_TYPE,
            qualifier: accessKeyQualifier(accessKeyId),
            message: `Access key ${accessKeyLabel(accessKeyId)} of IAM user ${userName} was created by someone else and then used from another address`,
            evidence: {
              userName,
              eventName: record.eventName ?? null,
              userIdentity: callerEvidenceOf(event),
              caller: callerArnOf(event) ?? null,
              sourceIPAddress: record.sourceIPAddress ?? null,
              userAgent: record.userAgent ?? null,
            },
          }),
        },
      ];
    },
  },
  resolution: {
    description: 'DeleteAccessKey or UpdateAccessKey to Inactive of the same key',
    patterns: [iamCall(['DeleteAccessKey', 'UpdateAccessKey'])],
    resolve(event): Resolution[] {
      const userName = targetUserName(event);
      return userName ? accessKeyRevocationOf(event, userName) : [];
    },
  },
};
