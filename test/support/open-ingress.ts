/**
 * A notifier test's control and finding: a security group open to the internet, as the SNS and
 * EventBridge notifier tests send it.
 */
import type { Finding } from '../../shared/core/findings/finding';
import { findingIdOf } from '../../shared/core/findings/finding-id';
import type { Control } from '../../shared/core/model/control';
import type { Severity } from '../../shared/core/model/severity';

export const OPEN_INGRESS_CONTROL: Control = {
  id: 'network.test-open-ingress',
  area: 'network',
  title: 'Security group open to the internet',
  severity: 'HIGH',
  rationale: 'An open security group exposes the task to the whole internet.',
  runbook: ['aws ec2 revoke-security-group-ingress --group-id <sg> --cidr 0.0.0.0/0 --protocol tcp --port <port>'],
  frameworks: [{ framework: 'cis-aws', requirement: '5.2' }],
  patterns: [],
  evaluate: () => [],
};

/** An open finding of OPEN_INGRESS_CONTROL on `resourceId` in `account` (eu-west-1), opened by `event-<resourceId>`. */
export function openIngressFinding(severity: Severity, account: string, resourceId: string, overrides: Partial<Finding> = {}): Finding {
  const control = OPEN_INGRESS_CONTROL;
  const region = 'eu-west-1';
  return {
    id: findingIdOf({ controlId: control.id, account, region, resourceId }),
    controlId: control.id,
    area: 'network',
    title: control.title,
    severity,
    status: 'open',
    account,
    region,
    resourceId,
    resourceType: 'AWS::EC2::SecurityGroup',
    message: `${resourceId} allows tcp/22 from 0.0.0.0/0`,
    firstSeen: '2026-03-01T10:00:00.000Z',
    lastSeen: '2026-03-01T10:00:00.000Z',
    count: 1,
    evidence: {
      eventId: `event-${resourceId}`,
      eventTime: '2026-03-01T10:00:00.000Z',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      detailType: 'AWS API Call via CloudTrail',
      actor: { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/deployer/ci`, accountId: account },
      sourceIp: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      fields: { groupId: resourceId },
    },
    version: 1,
    ...overrides,
  };
}
