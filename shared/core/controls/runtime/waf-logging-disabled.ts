import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { WAF_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const WEB_ACL_TYPE = 'AWS::WAFv2::WebACL';

/**
 * WAFv2 logging calls (API reference): DeleteLoggingConfiguration `resourceArn` (the web ACL),
 * `logType` (WAF_LOGS), `logScope` (CUSTOMER, the default, or SECURITY_LAKE for the configuration Amazon Security Lake
 * manages); PutLoggingConfiguration `loggingConfiguration` with
 * `resourceArn`, `logDestinationConfigs`, `logScope`, ….
 */
function scopeOf(value: unknown): string {
  return asString(value)?.toUpperCase() ?? 'CUSTOMER';
}

function deletedLogging(event: EventBridgeEvent): { webAcl: string; logType?: string } | undefined {
  const request = requestOf(event);
  const webAcl = asString(request.resourceArn);
  if (!webAcl || scopeOf(request.logScope) !== 'CUSTOMER') return undefined;
  return { webAcl, logType: asString(request.logType) };
}

function putLogging(event: EventBridgeEvent): { webAcl: string; destinations: unknown[] } | undefined {
  const configuration = asRecord(requestOf(event).loggingConfiguration);
  const webAcl = asString(configuration.resourceArn);
  const destinations = asArray(configuration.logDestinationConfigs);
  if (!webAcl || destinations.length === 0 || scopeOf(configuration.logScope) !== 'CUSTOMER') return undefined;
  return { webAcl, destinations };
}

/** `…:regional/webacl/<name>/<id>` → the web ACL's name, for messages. */
function webAclName(arn: string): string {
  return /\/webacl\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}

/**
 * AWS WAF web ACL traffic logging turned off (DeleteLoggingConfiguration of the customer-managed
 * logging configuration): the requests the web ACL blocks, counts and allows in front of the
 * workloads are no longer recorded. Configurations managed by Security Lake are out of scope.
 */
export const wafLoggingDisabled: Control = {
  id: 'runtime.waf-logging-disabled',
  area: 'runtime',
  title: 'AWS WAF web ACL logging turned off',
  severity: 'MEDIUM',
  rationale:
    'WAF logs are the record of the attacks against internet-facing services and of which rule stopped them; without them an intrusion through the web tier cannot be reconstructed, and attackers disable them before probing.',
  runbook: [
    'Check who removed the logging configuration and why (userIdentity of the event).',
    'Turn logging back on: WAF console → Web ACLs → <web ACL> → Logging and metrics → Enable, with a destination whose name starts with aws-waf-logs-, or `aws wafv2 put-logging-configuration --logging-configuration ResourceArn=<web-acl-arn>,LogDestinationConfigs=<log-group-or-firehose-or-bucket-arn>`.',
    'Keep logging enforced with a Firewall Manager WAF policy that sets the logging destination, and deny wafv2:DeleteLoggingConfiguration outside the security team.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'WAF.11' },
    { framework: 'nist-800-53-r5', requirement: 'AU-2' },
    { framework: 'nist-800-53-r5', requirement: 'AU-12' },
  ],
  patterns: [apiCallPattern(WAF_SOURCE, ['DeleteLoggingConfiguration'])],
  evaluate(event): Violation[] {
    const deleted = deletedLogging(event);
    if (!deleted) return [];
    return [
      {
        resourceId: deleted.webAcl,
        resourceType: WEB_ACL_TYPE,
        message: `Web ACL ${webAclName(deleted.webAcl)} no longer logs the traffic it inspects (logging configuration deleted)`,
        evidence: { resourceArn: deleted.webAcl, ...(deleted.logType ? { logType: deleted.logType } : {}) },
      },
    ];
  },
  resolution: {
    description: 'PutLoggingConfiguration for the same web ACL with a log destination',
    patterns: [apiCallPattern(WAF_SOURCE, ['PutLoggingConfiguration'])],
    resolve(event): Resolution[] {
      if (recordOf(event).eventName !== 'PutLoggingConfiguration') return [];
      const put = putLogging(event);
      return put ? [{ resourceId: put.webAcl, message: `Web ACL ${webAclName(put.webAcl)} logs its traffic again` }] : [];
    },
  },
};
