import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asBoolean, asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { GUARDDUTY_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const IPSET_TYPE = 'AWS::GuardDuty::IPSet';

/**
 * GuardDuty trusted IP list calls (API reference CreateIPSet / UpdateIPSet / DeleteIPSet):
 * `detectorId` and, for Update/Delete, `ipSetId` in the URI; body `name`, `format` (TXT, STIX, …),
 * `location` (the S3 URI of the list file) and `activate`; CreateIPSet answers with `ipSetId`.
 */
function ipSetOf(event: EventBridgeEvent): { arn: string; id: string; detectorId: string; name?: string } | undefined {
  const request = requestOf(event);
  const detectorId = asString(request.detectorId);
  const id = asString(request.ipSetId) ?? asString(responseOf(event).ipSetId);
  if (!detectorId || !id) return undefined;
  return { arn: arnIn(event, 'guardduty', `detector/${detectorId}/ipset/${id}`), id, detectorId, name: asString(request.name) };
}

/**
 * GuardDuty trusted IP lists (IPSets): GuardDuty generates no findings for traffic from the
 * addresses they list, whatever the finding type — a blind spot an attacker who reaches the account
 * creates for their own addresses. A list created or updated with activate true is HIGH (what it
 * trusts is in an S3 file the event does not show); an update that points a list at a new file
 * without saying whether it is active is MEDIUM. Deactivating or deleting the list resolves it.
 */
export const guarddutyTrustedIpList: Control = {
  id: 'runtime.guardduty-trusted-ip-list',
  area: 'runtime',
  title: 'GuardDuty trusted IP list activated or changed',
  severity: 'HIGH',
  rationale:
    'GuardDuty stays silent about every address on an active trusted IP list, so adding a list — or swapping the file an active list reads — silences detection of whoever those addresses belong to; attackers use it to hide their own infrastructure.',
  runbook: [
    'Check who changed the list (userIdentity of the event) and read the file it points to (`location`, an S3 object): GuardDuty console → Settings → Lists → Trusted IP lists, or `aws guardduty get-ip-set --detector-id <detector-id> --ip-set-id <id>`.',
    "If the list or an address on it is not a reviewed exception (for example the organization's own scanners), deactivate or delete it: `aws guardduty update-ip-set --detector-id <detector-id> --ip-set-id <id> --no-activate`, or `aws guardduty delete-ip-set --detector-id <detector-id> --ip-set-id <id>`.",
    'Review activity from the listed addresses in CloudTrail and VPC flow logs for the time the list was active.',
    "Restrict guardduty:CreateIPSet / guardduty:UpdateIPSet (and write access to the list file's bucket) to the security team.",
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'pci-dss-4.0', requirement: '11.5.1' },
  ],
  patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['CreateIPSet', 'UpdateIPSet'])],
  evaluate(event): Violation[] {
    const ipSet = ipSetOf(event);
    if (!ipSet) return [];
    const activate = asBoolean(requestOf(event).activate);
    const request = requestOf(event);
    const location = asString(request.location);
    const label = `GuardDuty trusted IP list ${ipSet.name ?? ipSet.id} (detector ${ipSet.detectorId})`;
    const evidence = { ipSetId: ipSet.id, name: ipSet.name, format: request.format, location, activate: request.activate };
    if (activate === true) {
      return [
        {
          resourceId: ipSet.arn,
          resourceType: IPSET_TYPE,
          message: `${label} is active${location ? ` with the addresses in ${location}` : ''}: GuardDuty reports nothing about them`,
          evidence,
        },
      ];
    }
    if (activate === undefined && recordOf(event).eventName === 'UpdateIPSet' && location) {
      return [
        {
          resourceId: ipSet.arn,
          resourceType: IPSET_TYPE,
          severity: 'MEDIUM',
          message: `${label} now reads its addresses from ${location}; if the list is active, GuardDuty reports nothing about them`,
          evidence,
        },
      ];
    }
    return [];
  },
  resolution: {
    description: 'UpdateIPSet with activate false, or DeleteIPSet',
    patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['UpdateIPSet', 'DeleteIPSet'])],
    resolve(event): Resolution[] {
      const ipSet = ipSetOf(event);
      if (!ipSet) return [];
      if (recordOf(event).eventName === 'DeleteIPSet')
        return [{ resourceId: ipSet.arn, message: `GuardDuty trusted IP list ${ipSet.id} was deleted` }];
      return asBoolean(requestOf(event).activate) === false
        ? [{ resourceId: ipSet.arn, message: `GuardDuty trusted IP list ${ipSet.name ?? ipSet.id} was deactivated` }]
        : [];
    },
  },
};
