/**
 * Security group rules as Authorize/RevokeSecurityGroupIngress requests and responses describe them:
 * one entry per source (an IPv4 or IPv6 CIDR, another security group, or a managed prefix list) of
 * each permission, in the `ipPermissions.items` form or the older top-level form (ipProtocol,
 * fromPort, toPort, cidrIp) that the CLI's --protocol/--port/--cidr uses.
 */
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { canonicalCidr } from '../../kernel/cidr';
import { normalizeProtocol, trafficLabel, type Protocol } from './support';

export type SourceKind = 'cidr' | 'security-group' | 'prefix-list';

/** One source of one rule. */
export interface RuleRange {
  protocol: Protocol;
  fromPort: unknown;
  toPort: unknown;
  kind: SourceKind;
  /** The CIDR (kind cidr), security group id (or name, with its owner as "<account>/<group>" when another account's), or prefix list id. */
  source: string;
  /** The permission exactly as logged, for evidence. */
  permission: Record<string, unknown>;
}

/** The group a request names: groupId, else groupName (default VPC and EC2-Classic calls). */
export function groupOf(event: EventBridgeEvent): string | undefined {
  const request = requestOf(event);
  return asString(request.groupId) ?? asString(request.groupName);
}

function referencedGroup(value: unknown): string | undefined {
  const group = asRecord(value);
  const id = asString(group.groupId) ?? asString(group.groupName);
  if (!id) return undefined;
  const owner = asString(group.userId);
  return owner && !id.startsWith('sg-') ? `${owner}/${id}` : id;
}

/** Every source of one permission; `cidrOnly` keeps IPv4/IPv6 ranges alone. */
export function rangesOfPermission(permission: Record<string, unknown>, cidrOnly = false): RuleRange[] {
  const protocol = normalizeProtocol(permission.ipProtocol);
  if (!protocol) return [];
  const base = { protocol, fromPort: permission.fromPort, toPort: permission.toPort, permission };
  const ranges: RuleRange[] = [
    ...asArray(pathGet(permission, 'ipRanges.items')).map((range) => asRecord(range).cidrIp),
    ...asArray(pathGet(permission, 'ipv6Ranges.items')).map((range) => asRecord(range).cidrIpv6),
  ].flatMap((cidr) => (typeof cidr === 'string' ? [{ ...base, kind: 'cidr' as const, source: cidr }] : []));
  if (cidrOnly) return ranges;
  for (const item of asArray(pathGet(permission, 'groups.items'))) {
    const group = referencedGroup(item);
    if (group) ranges.push({ ...base, kind: 'security-group', source: group });
  }
  for (const item of asArray(pathGet(permission, 'prefixListIds.items'))) {
    const list = asString(asRecord(item).prefixListId);
    if (list) ranges.push({ ...base, kind: 'prefix-list', source: list });
  }
  return ranges;
}

/** The sources an Authorize/RevokeSecurityGroupIngress request names, in either request form. */
export function requestedRanges(event: EventBridgeEvent, cidrOnly = false): RuleRange[] {
  const request = requestOf(event);
  const ranges = asArray(pathGet(request, 'ipPermissions.items')).flatMap((item) => rangesOfPermission(asRecord(item), cidrOnly));
  const protocol = normalizeProtocol(request.ipProtocol);
  if (protocol && typeof request.cidrIp === 'string') {
    const legacy = { ipProtocol: request.ipProtocol, fromPort: request.fromPort, toPort: request.toPort, cidrIp: request.cidrIp };
    ranges.push({ protocol, fromPort: request.fromPort, toPort: request.toPort, kind: 'cidr', source: request.cidrIp, permission: legacy });
  }
  const legacyGroup = asString(request.sourceSecurityGroupName);
  if (!cidrOnly && legacyGroup) {
    // The legacy form grants every protocol and port from the named group (default VPC / EC2-Classic).
    const owner = asString(request.sourceSecurityGroupOwnerId);
    const legacy = { sourceSecurityGroupName: legacyGroup, sourceSecurityGroupOwnerId: owner ?? null };
    ranges.push({
      protocol: 'all',
      fromPort: undefined,
      toPort: undefined,
      kind: 'security-group',
      source: owner ? `${owner}/${legacyGroup}` : legacyGroup,
      permission: legacy,
    });
  }
  return ranges;
}

/** A rule from a rule set of a response (securityGroupRuleSet, revokedSecurityGroupRuleSet): CIDR, referenced group or prefix list. */
function rangeOfRule(item: unknown, cidrOnly: boolean): RuleRange | undefined {
  const rule = asRecord(item);
  const protocol = normalizeProtocol(rule.ipProtocol);
  if (!protocol || rule.isEgress === true) return undefined;
  const base = { protocol, fromPort: rule.fromPort, toPort: rule.toPort, permission: rule };
  const cidr = asString(rule.cidrIpv4) ?? asString(rule.cidrIpv6);
  if (cidr) return { ...base, kind: 'cidr', source: cidr };
  if (cidrOnly) return undefined;
  const group = referencedGroup(rule.referencedGroupInfo);
  if (group) return { ...base, kind: 'security-group', source: group };
  const list = asString(rule.prefixListId);
  return list ? { ...base, kind: 'prefix-list', source: list } : undefined;
}

/** Ranges of the ingress rules a RevokeSecurityGroupIngress response says it revoked (rules revoked by securityGroupRuleIds). */
export function revokedRuleRanges(event: EventBridgeEvent, cidrOnly = false): RuleRange[] {
  return asArray(pathGet(responseOf(event), 'revokedSecurityGroupRuleSet.items')).flatMap((item) => rangeOfRule(item, cidrOnly) ?? []);
}

/** Qualifiers of the permissions a revoke did not find (in a default VPC a non-matching revoke succeeds and lists them). */
export function unknownPermissionQualifiers(event: EventBridgeEvent): Set<string> {
  return new Set(
    asArray(pathGet(responseOf(event), 'unknownIpPermissionSet.items'))
      .flatMap((item) => rangesOfPermission(asRecord(item)))
      .map(qualifierOf),
  );
}

/** The rule, as a finding qualifier: "tcp/22 from 0.0.0.0/0", "tcp/5432 from sg-0abc…". AWS canonicalizes CIDRs, so this does too. */
export function qualifierOf(range: RuleRange): string {
  const source = range.kind === 'cidr' ? (canonicalCidr(range.source) ?? range.source) : range.source;
  return `${trafficLabel(range.protocol, range.fromPort, range.toPort)} from ${source}`;
}

/** The security group rule id AWS assigned to this range, from the Authorize response (securityGroupRuleSet). */
export function ruleIdFor(event: EventBridgeEvent, range: RuleRange): string | undefined {
  const wanted = qualifierOf(range);
  for (const item of asArray(pathGet(responseOf(event), 'securityGroupRuleSet.items'))) {
    const rule = rangeOfRule(item, false);
    if (rule && qualifierOf(rule) === wanted) return asString(asRecord(item).securityGroupRuleId);
  }
  return undefined;
}
