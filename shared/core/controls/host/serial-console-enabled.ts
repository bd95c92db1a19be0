import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf } from '../../kernel/records';
import { ec2ResponseField } from '../../kernel/ec2';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/**
 * Enable/DisableSerialConsoleAccess take no parameters (CloudTrail logs
 * `{"EnableSerialConsoleAccessRequest": ""}`); the outcome is the response's
 * `serialConsoleAccessEnabled`, inside `EnableSerialConsoleAccessResponse` /
 * `DisableSerialConsoleAccessResponse`.
 */
function consoleEnabled(event: EventBridgeEvent): boolean | undefined {
  const value = ec2ResponseField(event, 'serialConsoleAccessEnabled');
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * EC2 serial console access turned on for the account in a region (EnableSerialConsoleAccess
 * with serialConsoleAccessEnabled true): an out-of-band shell path into every Nitro instance
 * that bypasses security groups and network controls.
 */
export const serialConsoleEnabled: Control = {
  id: 'host.serial-console-enabled',
  area: 'host',
  title: 'EC2 serial console access enabled for the account',
  severity: 'MEDIUM',
  rationale:
    'The serial console reaches an instance without any network path, so security groups, NACLs and session logging do not apply; attackers use it (with SendSerialConsoleSSHPublicKey) to get an interactive shell on container hosts.',
  runbook: [
    'Turn it off unless a break-glass procedure needs it now: EC2 console → Settings → EC2 Serial Console → Manage → clear "Allow", or `aws ec2 disable-serial-console-access --region <region>`.',
    'Review who used it: CloudTrail SendSerialConsoleSSHPublicKey events (ec2-instance-connect.amazonaws.com) since it was enabled.',
    'Keep it off with an SCP denying ec2:EnableSerialConsoleAccess outside the break-glass role.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-17' },
    { framework: 'nist-800-53-r5', requirement: 'CM-7' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['EnableSerialConsoleAccess'])],
  evaluate(event): Violation[] {
    if (consoleEnabled(event) !== true) return [];
    const account = accountOf(event);
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: 'serial console',
        message: `EC2 serial console access was enabled for account ${account} in ${event.region}`,
        evidence: { serialConsoleAccessEnabled: true },
      },
    ];
  },
  resolution: {
    description: 'DisableSerialConsoleAccess (serialConsoleAccessEnabled false)',
    patterns: [apiCallPattern(EC2_SOURCE, ['DisableSerialConsoleAccess'])],
    resolve(event): Resolution[] {
      if (recordOf(event).eventName !== 'DisableSerialConsoleAccess' || consoleEnabled(event) !== false) return [];
      return [
        { resourceId: accountOf(event), qualifier: 'serial console', message: `EC2 serial console access was disabled in ${event.region}` },
      ];
    },
  },
};
