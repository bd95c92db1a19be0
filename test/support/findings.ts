/** A finding as the stores hold one, for tests of what is built from findings (messages, digests, exports). */
import type { Finding } from '../../shared/core/findings/finding';

const AT = '2026-03-01T10:00:00.000Z';

/** An open HIGH finding of a security group seen once on 1 March 2026; `overrides` change any field. */
export function testFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f1',
    controlId: 'network.security-group-open-to-internet',
    area: 'network',
    title: 'Security group ingress open to the internet',
    severity: 'HIGH',
    status: 'open',
    account: '111122223333',
    region: 'eu-west-1',
    resourceId: 'sg-1',
    resourceType: 'AWS::EC2::SecurityGroup',
    message: 'm',
    firstSeen: AT,
    lastSeen: AT,
    count: 1,
    evidence: { eventId: 'e1', eventTime: AT, detailType: 'AWS API Call via CloudTrail', fields: {} },
    version: 1,
    ...overrides,
  };
}
