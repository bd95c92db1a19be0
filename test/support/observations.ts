/** Builders for observations in store and lifecycle tests. */
import { findingIdOf } from '../../shared/core/findings/finding-id';
import type { ResolutionObservation, ViolationObservation } from '../../shared/core/findings/observation';
import type { Severity } from '../../shared/core/model/severity';

export interface ViolationInput {
  controlId?: string;
  account?: string;
  region?: string;
  resourceId?: string;
  qualifier?: string;
  eventId: string;
  eventTime: string;
  severity?: Severity;
  area?: ViolationObservation['area'];
}

export function violation(input: ViolationInput): ViolationObservation {
  const key = {
    controlId: input.controlId ?? 'network.security-group-open-to-internet',
    account: input.account ?? '111122223333',
    region: input.region ?? 'eu-west-1',
    resourceId: input.resourceId ?? 'sg-0123456789abcdef0',
    ...(input.qualifier !== undefined ? { qualifier: input.qualifier } : {}),
  };
  return {
    ...key,
    findingId: findingIdOf(key),
    area: input.area ?? 'network',
    title: 'Security group open to the internet',
    severity: input.severity ?? 'HIGH',
    resourceType: 'AWS::EC2::SecurityGroup',
    message: `${key.resourceId} opens a port to 0.0.0.0/0`,
    eventId: input.eventId,
    eventTime: input.eventTime,
    evidence: {
      eventId: input.eventId,
      eventTime: input.eventTime,
      detailType: 'AWS API Call via CloudTrail',
      eventName: 'AuthorizeSecurityGroupIngress',
      actor: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' },
      sourceIp: '203.0.113.10',
      fields: { ipPermissions: [{ fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }] },
    },
  };
}

export function resolution(input: Omit<ViolationInput, 'severity' | 'area'>): ResolutionObservation {
  return {
    controlId: input.controlId ?? 'network.security-group-open-to-internet',
    account: input.account ?? '111122223333',
    region: input.region ?? 'eu-west-1',
    resourceId: input.resourceId ?? 'sg-0123456789abcdef0',
    ...(input.qualifier !== undefined ? { qualifier: input.qualifier } : {}),
    eventId: input.eventId,
    eventTime: input.eventTime,
    message: 'rule revoked',
    actor: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob' },
  };
}
