import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf, requestOf } from '../../kernel/records';
import { itemsOf } from '../../kernel/ec2';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** CloudFormation-style names (CloudFormation itself has no AMI or EBS snapshot resource). */
const IMAGE_TYPE = 'AWS::EC2::Image';
const SNAPSHOT_TYPE = 'AWS::EC2::Snapshot';

interface Target {
  id: string;
  kind: 'AMI' | 'EBS snapshot';
  resourceType: string;
  permission: 'launchPermission' | 'createVolumePermission';
}

/**
 * The AMI or snapshot a call acts on. ModifyImageAttribute / ModifySnapshotAttribute records carry
 * `launchPermission` / `createVolumePermission` with `add` and `remove` item lists of
 * `{group: "all"}`, `{userId}` or (AMIs) `{organizationArn}` / `{organizationalUnitArn}`.
 */
function targetOf(event: EventBridgeEvent): Target | undefined {
  const request = requestOf(event);
  const imageId = asString(request.imageId);
  if (imageId) return { id: imageId, kind: 'AMI', resourceType: IMAGE_TYPE, permission: 'launchPermission' };
  const snapshotId = asString(request.snapshotId);
  if (snapshotId) return { id: snapshotId, kind: 'EBS snapshot', resourceType: SNAPSHOT_TYPE, permission: 'createVolumePermission' };
  return undefined;
}

interface Grantee {
  kind: 'all' | 'account' | 'organization';
  value: string;
  item: Record<string, unknown>;
}

/** Who an add/remove list names: "all", account ids, organization/OU ARNs. */
function granteesOf(event: EventBridgeEvent, target: Target, operation: 'add' | 'remove'): Grantee[] {
  return itemsOf(pathGet(requestOf(event), `${target.permission}.${operation}`)).flatMap((item): Grantee[] => {
    if (asString(item.group)?.toLowerCase() === 'all') return [{ kind: 'all', value: 'all', item }];
    const userId = asString(item.userId);
    if (userId) return [{ kind: 'account', value: userId, item }];
    const org = asString(item.organizationArn) ?? asString(item.organizationalUnitArn);
    return org ? [{ kind: 'organization', value: org, item }] : [];
  });
}

const qualifierOf = (value: string) => (value === 'all' ? 'public' : `account ${value}`);

const MODIFY_CALLS = ['ModifyImageAttribute', 'ModifySnapshotAttribute'];

/**
 * AMIs and EBS snapshots of container hosts made public (launch / create-volume permission for
 * group "all", CRITICAL; FSBP EC2.1 for snapshots) or shared with an account that is neither this
 * one nor in settings.trustedAccounts (HIGH). Sharing with an organization or OU ARN is accepted.
 */
export const imageOrSnapshotShared: Control = {
  id: 'host.image-or-snapshot-shared',
  area: 'host',
  title: 'AMI or EBS snapshot made public or shared with an untrusted account',
  severity: 'HIGH',
  rationale:
    'An AMI or snapshot carries the whole disk of a host — configuration, keys, credentials, application data; once public or shared outside the organization anyone can launch or restore a copy, and copies cannot be recalled.',
  runbook: [
    'Make it private: EC2 console → AMIs (or Snapshots) → <id> → Actions → Edit AMI permissions (Modify permissions) → Private, or `aws ec2 modify-image-attribute --image-id <ami> --launch-permission "Remove=[{Group=all}]"` / `aws ec2 modify-snapshot-attribute --snapshot-id <snap> --attribute createVolumePermission --operation-type remove --group-names all` (use `--user-ids <account>` for an account).',
    'Or reset all sharing: `aws ec2 reset-image-attribute --image-id <ami> --attribute launchPermission` / `aws ec2 reset-snapshot-attribute --snapshot-id <snap> --attribute createVolumePermission`.',
    'Block it account-wide: `aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing` and `aws ec2 enable-snapshot-block-public-access --state block-all-sharing`.',
    'Assume the content is exposed: rotate any credentials, keys or tokens stored on the disk.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'EC2.1' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-21' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(b)' },
    { framework: 'hipaa', requirement: '164.312(a)(1)' },
  ],
  attack: ['T1537'],
  patterns: [apiCallPattern(EC2_SOURCE, MODIFY_CALLS)],
  evaluate(event, context): Violation[] {
    const target = targetOf(event);
    if (!target) return [];
    const own = accountOf(event);
    return granteesOf(event, target, 'add')
      .filter((g) => g.kind === 'all' || (g.kind === 'account' && g.value !== own && !context.settings.trustedAccounts.includes(g.value)))
      .map((g) => ({
        resourceId: target.id,
        resourceType: target.resourceType,
        qualifier: qualifierOf(g.value),
        severity: g.kind === 'all' ? 'CRITICAL' : 'HIGH',
        message:
          g.kind === 'all'
            ? `${target.kind} ${target.id} was made public: any AWS account can ${target.kind === 'AMI' ? 'launch it' : 'create a volume from it'}`
            : `${target.kind} ${target.id} was shared with account ${g.value}, which is not a trusted account`,
        evidence: { [target.kind === 'AMI' ? 'imageId' : 'snapshotId']: target.id, [target.permission]: { add: { items: [g.item] } } },
      }));
  },
  resolution: {
    description:
      'ModifyImageAttribute / ModifySnapshotAttribute removing "all" or the account; ResetImageAttribute / ResetSnapshotAttribute; DeregisterImage / DeleteSnapshot',
    patterns: [
      apiCallPattern(EC2_SOURCE, [...MODIFY_CALLS, 'ResetImageAttribute', 'ResetSnapshotAttribute', 'DeregisterImage', 'DeleteSnapshot']),
    ],
    resolve(event): Resolution[] {
      const target = targetOf(event);
      if (!target) return [];
      switch (recordOf(event).eventName) {
        case 'ResetImageAttribute':
        case 'ResetSnapshotAttribute':
          return [{ resourceId: target.id, message: `${target.kind} ${target.id} permissions were reset: it is private again` }];
        case 'DeregisterImage':
          return [{ resourceId: target.id, message: `AMI ${target.id} was deregistered` }];
        case 'DeleteSnapshot':
          return [{ resourceId: target.id, message: `EBS snapshot ${target.id} was deleted` }];
        default:
          return granteesOf(event, target, 'remove')
            .filter((g) => g.kind !== 'organization')
            .map((g) => ({
              resourceId: target.id,
              qualifier: qualifierOf(g.value),
              message: `${target.kind} ${target.id} is no longer shared with ${g.value === 'all' ? 'everyone' : `account ${g.value}`}`,
            }));
      }
    },
  },
};
