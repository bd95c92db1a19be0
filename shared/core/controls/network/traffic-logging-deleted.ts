import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { EC2_SOURCE, ROUTE53_RESOLVER_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** Every id in a value that is an id, an array of ids, or EC2's XML-shaped {content} / {item} wrappers. */
function idsIn(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(idsIn);
  const record = asRecord(value);
  if ('content' in record) return idsIn(record.content);
  if ('item' in record) return idsIn(record.item);
  return [];
}

/**
 * Flow log ids a DeleteFlowLogs call removed. CloudTrail logs the request XML-shaped
 * (DeleteFlowLogsRequest.FlowLogId, one {content} or a list) or, from some clients, as flowLogId;
 * ids listed under `unsuccessful` in the response were not deleted.
 */
function deletedFlowLogIds(event: EventBridgeEvent): string[] {
  const request = requestOf(event);
  const requested = [
    ...idsIn(pathGet(request, 'DeleteFlowLogsRequest.FlowLogId')),
    ...idsIn(request.flowLogId),
    ...idsIn(request.flowLogIds),
  ];
  const response = responseOf(event);
  const unsuccessful = asArray(pathGet(response, 'DeleteFlowLogsResponse.unsuccessful.item') ?? pathGet(response, 'unsuccessful'))
    .map((item) => asString(asRecord(item).resourceId))
    .filter((id): id is string => id !== undefined);
  return [...new Set(requested)].filter((id) => !unsuccessful.includes(id));
}

/**
 * VPC traffic records removed: flow logs deleted (DeleteFlowLogs), Route 53 Resolver query logging
 * configurations deleted (DeleteResolverQueryLogConfig), or a VPC detached from its query logging
 * (DisassociateResolverQueryLogConfig). Attackers remove these to hide exfiltration and C2 traffic.
 */
export const trafficLoggingDeleted: Control = {
  id: 'network.traffic-logging-deleted',
  area: 'network',
  title: 'VPC flow logs or DNS query logging removed',
  severity: 'MEDIUM',
  rationale:
    'VPC flow logs and Resolver query logs are the only record of which hosts a workload talked to; deleting them blinds incident response and is a known defense-evasion step before exfiltration.',
  runbook: [
    "Confirm with the network owner whether the deletion was planned (e.g. the VPC is being decommissioned); otherwise treat it as possible defense evasion and review the actor's other recent calls.",
    'Flow logs: VPC console → Your VPCs → <vpc> → Flow logs → Create flow log (filter All or at least Reject); CLI `aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL --log-destination-type cloud-watch-logs --log-group-name <group> --deliver-logs-permission-arn <role-arn>`.',
    'DNS query logging: Route 53 console → Resolver → Query logging → Configure query logging, then associate the VPC; CLI `aws route53resolver create-resolver-query-log-config --name <name> --destination-arn <arn>` and `aws route53resolver associate-resolver-query-log-config --resolver-query-log-config-id <rqlc-id> --resource-id <vpc-id>`.',
    'Restrict ec2:DeleteFlowLogs and route53resolver:Delete*/Disassociate*QueryLogConfig to a break-glass role with an SCP.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '3.7' },
    { framework: 'fsbp', requirement: 'EC2.6' },
    { framework: 'nist-800-53-r5', requirement: 'AU-2' },
    { framework: 'nist-800-53-r5', requirement: 'AU-12' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4(26)' },
    { framework: 'hipaa', requirement: '164.312(b)' },
  ],
  patterns: [
    apiCallPattern(EC2_SOURCE, ['DeleteFlowLogs']),
    apiCallPattern(ROUTE53_RESOLVER_SOURCE, ['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig']),
  ],
  evaluate(event) {
    const eventName = recordOf(event).eventName;
    if (eventName === 'DeleteFlowLogs') {
      return deletedFlowLogIds(event).map(
        (id): Violation => ({
          resourceId: id,
          resourceType: 'AWS::EC2::FlowLog',
          message: `VPC flow log ${id} was deleted`,
          evidence: { flowLogId: id },
        }),
      );
    }
    const request = requestOf(event);
    const configId = asString(request.resolverQueryLogConfigId);
    if (eventName === 'DeleteResolverQueryLogConfig') {
      if (!configId) return [];
      const config = asRecord(responseOf(event).resolverQueryLogConfig);
      const destination = asString(config.destinationArn);
      return [
        {
          resourceId: asString(config.arn) ?? arnIn(event, 'route53resolver', `resolver-query-log-config/${configId}`),
          resourceType: 'AWS::Route53Resolver::ResolverQueryLoggingConfig',
          message: `Route 53 Resolver query logging configuration ${configId}${destination ? ` (to ${destination})` : ''} was deleted`,
          evidence: {
            resolverQueryLogConfigId: configId,
            name: config.name ?? null,
            destinationArn: destination ?? null,
            status: config.status ?? null,
          },
        },
      ];
    }
    const vpc = asString(request.resourceId);
    if (!vpc) return [];
    return [
      {
        resourceId: vpc,
        resourceType: 'AWS::EC2::VPC',
        message: `VPC ${vpc} was detached from Route 53 Resolver query logging configuration ${configId ?? '(unknown)'}`,
        evidence: { resourceId: vpc, resolverQueryLogConfigId: configId ?? null },
      },
    ];
  },
  resolution: {
    description:
      'AssociateResolverQueryLogConfig re-attaching the VPC to query logging (a deleted flow log or configuration cannot be restored by id)',
    patterns: [apiCallPattern(ROUTE53_RESOLVER_SOURCE, ['AssociateResolverQueryLogConfig'])],
    resolve(event) {
      const vpc = asString(requestOf(event).resourceId);
      return vpc ? [{ resourceId: vpc, message: `VPC ${vpc} is associated with Route 53 Resolver query logging again` }] : [];
    },
  },
};
