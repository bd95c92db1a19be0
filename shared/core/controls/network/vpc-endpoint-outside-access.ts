import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { apiNameOf, recordOf } from '../../kernel/records';
import { WATCHED_SERVICE_SOURCES } from '../../kernel/sources';

/** CloudTrail network activity events (eventType AwsVpceEvent) log API calls made through a VPC endpoint. */
const VPCE_EVENT = 'AwsVpceEvent';
const ENDPOINT_DENIED = 'VpceAccessDenied';

interface EndpointCall {
  endpointId: string;
  endpointAccount: string;
  callerAccount: string | undefined;
  denied: boolean;
}

function endpointCallOf(event: EventBridgeEvent): EndpointCall | undefined {
  const record = recordOf(event);
  if (record.eventType !== VPCE_EVENT) return undefined;
  const endpointId = asString(record.vpcEndpointId);
  const endpointAccount = asString(record.vpcEndpointAccountId) ?? asString(record.recipientAccountId);
  if (!endpointId || !endpointAccount) return undefined;
  return {
    endpointId,
    endpointAccount,
    callerAccount: asString(record.userIdentity?.accountId),
    denied: record.errorCode === ENDPOINT_DENIED,
  };
}

/**
 * A VPC endpoint used across the network perimeter, as CloudTrail network activity events show it:
 * a principal of an account that is neither the endpoint's owner nor in settings.trustedAccounts
 * calling an AWS service through the endpoint (MEDIUM; LOW when the endpoint policy denied it), or
 * any call the endpoint policy refused (errorCode VpceAccessDenied, LOW): something inside the VPC
 * tried to reach a resource the data perimeter excludes, such as a bucket in an unknown account.
 * The finding is keyed on the endpoint, qualified by the outside account or by the refusal, so a
 * stream of such calls makes one finding. Volume thresholds come later. Network activity events of
 * the services in WATCHED_SERVICE_SOURCES are examined.
 */
export const vpcEndpointOutsideAccess: Control = {
  id: 'network.vpc-endpoint-outside-access',
  area: 'network',
  title: 'VPC endpoint used by an outside account or refused by its policy',
  severity: 'MEDIUM',
  rationale:
    'VPC endpoints and their policies enforce the network side of a data perimeter; credentials of a foreign account used from inside the VPC, or requests the endpoint policy has to refuse, are how data is moved out to attacker-controlled accounts and resources.',
  runbook: [
    'Identify the caller (userIdentity, sourceIPAddress inside the VPC) and the resource it called (requestParameters): an outside account’s credentials inside the VPC, or calls to resources outside the organization, are not normal for a workload.',
    'Find the instance or task behind the source address (VPC flow logs, `aws ec2 describe-network-interfaces --filters Name=addresses.private-ip-address,Values=<ip>`) and investigate it for compromise.',
    'Tighten the endpoint policy to the organization’s principals and resources (conditions aws:PrincipalOrgID and aws:ResourceOrgID): VPC console → Endpoints → <vpce> → Policy → Edit policy; CLI `aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> --policy-document file://policy.json`.',
    'If the outside account is a known partner, add it to trustedAccounts in the trailwarden settings.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7(5)' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  patterns: [{ source: [...WATCHED_SERVICE_SOURCES], detail: { eventType: [VPCE_EVENT], vpcEndpointId: [{ exists: true }] } }],
  evaluate(event, { settings }) {
    const call = endpointCallOf(event);
    if (!call) return [];
    const record = recordOf(event);
    const outside =
      call.callerAccount !== undefined &&
      call.callerAccount !== call.endpointAccount &&
      !settings.trustedAccounts.includes(call.callerAccount);
    if (!outside && !call.denied) return [];
    const api = apiNameOf(event);
    const from = asString(record.sourceIPAddress) ?? 'an unknown address';
    return [
      {
        resourceId: call.endpointId,
        resourceType: 'AWS::EC2::VPCEndpoint',
        qualifier: outside ? `principal account ${call.callerAccount}` : 'refused by endpoint policy',
        ...(call.denied ? { severity: 'LOW' as const } : {}),
        message: outside
          ? `A principal of outside account ${call.callerAccount} called ${api} through VPC endpoint ${call.endpointId} from ${from}${call.denied ? ' (refused by the endpoint policy)' : ''}`
          : `VPC endpoint ${call.endpointId} refused ${api} from ${from} under its endpoint policy`,
        evidence: {
          vpcEndpointId: call.endpointId,
          vpcEndpointAccountId: call.endpointAccount,
          userIdentity: {
            type: record.userIdentity?.type ?? null,
            accountId: call.callerAccount ?? null,
            principalId: record.userIdentity?.principalId ?? null,
          },
          eventSource: record.eventSource,
          eventName: record.eventName,
          errorCode: record.errorCode ?? null,
          requestParameters: record.requestParameters ?? null,
          sourceIPAddress: record.sourceIPAddress ?? null,
        },
      },
    ];
  },
};
