/**
 * Helpers shared by the network controls: IP protocols and port ranges as EC2 logs them, network
 * ACL entries, the activity records of topology changes, and the framework references of the
 * controls on encryption in transit.
 */
import type { Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { FrameworkRef } from '../../model/framework';
import { asNumber, asRecord, asString, isTrue } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { ec2RequestField, ec2ResponseField } from '../../kernel/ec2';
import { canonicalCidr, isWholeInternet } from '../../kernel/cidr';
import { callerEvidenceOf } from '../../kernel/principals';

/** Normalized IP protocol: tcp, udp, icmp, icmpv6, all, or the protocol number as text. */
export type Protocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'all' | string;

const PROTOCOL_NUMBERS: Record<string, Protocol> = { '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

/** "6" → tcp, "-1"/"all" → all, "TCP" → tcp; undefined when absent. */
export function normalizeProtocol(value: unknown): Protocol | undefined {
  const text = typeof value === 'number' ? String(value) : asString(value)?.trim().toLowerCase();
  if (text === undefined || text === '') return undefined;
  if (text === 'all') return 'all';
  return PROTOCOL_NUMBERS[text] ?? text;
}

export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/**
 * The ports a rule opens. For tcp and udp, the given range (a missing or -1 bound means all ports);
 * for every other protocol (all, or a number such as 50/ESP) AWS ignores ports, so all of them;
 * for icmp/icmpv6 undefined (types and codes, not ports).
 */
export function portsOf(protocol: Protocol, from: unknown, to: unknown): PortRange | undefined {
  if (protocol === 'icmp' || protocol === 'icmpv6') return undefined;
  if (protocol !== 'tcp' && protocol !== 'udp') return ALL_PORTS;
  const low = asNumber(from);
  const high = asNumber(to);
  if (low === undefined || high === undefined || low < 0 || high < 0) return ALL_PORTS;
  return { from: Math.min(low, high), to: Math.max(low, high) };
}

/** The sensitive ports (settings.sensitivePorts) a range covers, in ascending order. */
export function sensitivePortsIn(range: PortRange | undefined, sensitivePorts: readonly number[]): number[] {
  if (!range) return [];
  return [...new Set(sensitivePorts)].filter((port) => port >= range.from && port <= range.to).sort((a, b) => a - b);
}

/** Well-known names of sensitive ports, for messages. */
const PORT_NAMES: Record<number, string> = {
  20: 'FTP data',
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  25: 'SMTP',
  110: 'POP3',
  135: 'MS RPC',
  139: 'NetBIOS',
  143: 'IMAP',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle',
  2375: 'Docker API',
  2376: 'Docker API (TLS)',
  2379: 'etcd',
  2380: 'etcd peer',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5601: 'Kibana',
  5900: 'VNC',
  6379: 'Redis',
  6443: 'Kubernetes API',
  8080: 'HTTP alt',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch transport',
  10250: 'kubelet',
  11211: 'Memcached',
  27017: 'MongoDB',
  27018: 'MongoDB',
};

/** "SSH" for 22; undefined for ports without a well-known name. */
export function portName(port: number): string | undefined {
  return PORT_NAMES[port];
}

/** True when the range covers every port. */
export function isAllPorts(range: PortRange | undefined): boolean {
  return range !== undefined && range.from <= ALL_PORTS.from && range.to >= ALL_PORTS.to;
}

/**
 * How a rule's reach reads in a message: "tcp/22 (SSH)", "all traffic (every port)",
 * "tcp/1024-65535, including 1433 (SQL Server), 3306 (MySQL)…", or the bare label.
 */
export function describeReach(label: string, range: PortRange | undefined, sensitive: readonly number[]): string {
  if (isAllPorts(range)) return `${label} (every port)`;
  if (range && range.from === range.to) {
    const name = portName(range.from);
    return name ? `${label} (${name})` : label;
  }
  return sensitive.length > 0 ? `${label}, including ${describePorts(sensitive)}` : label;
}

/** "22 (SSH), 3389 (RDP)" — at most `limit` ports, then "and N more". */
export function describePorts(ports: readonly number[], limit = 4): string {
  const named = ports.slice(0, limit).map((port) => (PORT_NAMES[port] ? `${port} (${PORT_NAMES[port]})` : String(port)));
  return ports.length > limit ? `${named.join(', ')} and ${ports.length - limit} more` : named.join(', ');
}

/** "tcp/22", "tcp/1024-65535", "all traffic", "icmp type 8 code -1", "protocol 50". */
export function trafficLabel(protocol: Protocol, from: unknown, to: unknown): string {
  if (protocol === 'all') return 'all traffic';
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = asNumber(from);
    const code = asNumber(to);
    if (type === undefined || type === -1) return `${protocol} (all types)`;
    return `${protocol} type ${type} code ${code ?? -1}`;
  }
  const range = portsOf(protocol, from, to);
  if (protocol !== 'tcp' && protocol !== 'udp') return `protocol ${protocol}`;
  if (!range || (range.from === ALL_PORTS.from && range.to === ALL_PORTS.to)) return `${protocol}/all ports`;
  return range.from === range.to ? `${protocol}/${range.from}` : `${protocol}/${range.from}-${range.to}`;
}

/** A string member of an EC2 request, logged XML-shaped (`<Action>Request.<Field>`) or, from some clients, flat and camelCase. */
export function ec2RequestString(event: EventBridgeEvent, field: string): string | undefined {
  return asString(ec2RequestField(event, field));
}

/** A string member of an EC2 response (under `<Action>Response` or flat), by path. */
export function ec2ResponseString(event: EventBridgeEvent, path: string): string | undefined {
  return asString(ec2ResponseField(event, path));
}

// ---------------------------------------------------------------------------------------------
// Network ACL entries

export interface AclEntry {
  aclId: string;
  ruleNumber: number;
  egress: boolean;
  action: string;
  cidr: string | undefined;
}

/** The entry a Create/Replace/DeleteNetworkAclEntry request names (fields per the EC2 API, camelCase in CloudTrail). */
export function entryOf(event: EventBridgeEvent): AclEntry | undefined {
  const request = requestOf(event);
  const aclId = asString(request.networkAclId);
  const ruleNumber = asNumber(request.ruleNumber);
  if (!aclId || ruleNumber === undefined) return undefined;
  return {
    aclId,
    ruleNumber,
    egress: isTrue(request.egress),
    action: (asString(request.ruleAction) ?? '').toLowerCase(),
    cidr: asString(request.cidrBlock) ?? asString(request.ipv6CidrBlock),
  };
}

/** The traffic an entry request allows: "all traffic", "tcp/700-702", "icmp (all types)", and the ports it reaches (undefined for ICMP). */
export function aclTrafficOf(event: EventBridgeEvent): { label: string; ports: PortRange | undefined } | undefined {
  const request = requestOf(event);
  const protocol = normalizeProtocol(request.aclProtocol ?? request.protocol);
  if (!protocol) return undefined;
  const portRange = asRecord(request.portRange);
  const icmp = asRecord(request.icmpTypeCode);
  const isIcmp = protocol === 'icmp' || protocol === 'icmpv6';
  return {
    label: isIcmp ? trafficLabel(protocol, icmp.type, icmp.code) : trafficLabel(protocol, portRange.from, portRange.to),
    ports: portsOf(protocol, portRange.from, portRange.to),
  };
}

/** The request fields that show an entry, for evidence. */
export function aclEntryEvidence(event: EventBridgeEvent, entry: AclEntry): Record<string, unknown> {
  const request = requestOf(event);
  return {
    networkAclId: entry.aclId,
    ruleNumber: request.ruleNumber,
    egress: request.egress,
    ruleAction: request.ruleAction,
    aclProtocol: request.aclProtocol ?? request.protocol,
    portRange: request.portRange ?? null,
    ...(request.cidrBlock !== undefined ? { cidrBlock: request.cidrBlock } : { ipv6CidrBlock: request.ipv6CidrBlock }),
  };
}

/** DeleteNetworkAcl: every finding on the ACL resolves. */
export function aclDeletionOf(event: EventBridgeEvent): Resolution[] {
  const aclId = asString(requestOf(event).networkAclId);
  return aclId ? [{ resourceId: aclId, message: `Network ACL ${aclId} was deleted` }] : [];
}

// ---------------------------------------------------------------------------------------------
// Activity records of topology changes

/** A change an activity record reports: the resource, how messages name it, what happened, and the request fields that show it. */
export interface ResourceChange {
  resourceId: string;
  resourceType: string;
  /** "VPC vpc-0abc…", "Route table rtb-…". */
  label: string;
  /** What happened, worded to follow the label ("created", "had route 10.0.0.0/16 to pcx-…"); also the finding qualifier. */
  action: string;
  details: Record<string, unknown>;
}

/** How each EC2 call of an activity-record control names the resource it changed, by eventName. */
export type ChangeReaders = Record<string, (event: EventBridgeEvent) => ResourceChange | undefined>;

/**
 * The activity record of the change the event's call made (as the reader for its eventName reads
 * it): on the resource, qualified by the action; evidence the call, its details, the caller and the
 * user agent. None for calls no reader names.
 */
export function changeRecordsOf(event: EventBridgeEvent, readers: ChangeReaders, message: (change: ResourceChange) => string): Violation[] {
  const change = readers[recordOf(event).eventName ?? '']?.(event);
  if (!change) return [];
  return [
    {
      resourceId: change.resourceId,
      resourceType: change.resourceType,
      qualifier: change.action,
      message: message(change),
      evidence: {
        eventName: recordOf(event).eventName ?? '',
        ...change.details,
        userIdentity: callerEvidenceOf(event),
        userAgent: recordOf(event).userAgent ?? null,
      },
    },
  ];
}

/**
 * What PCI DSS (1.2.2, network configuration changes approved and managed) and NIST (CM-3, SC-7)
 * require of every change to a network boundary: the references the activity records share with
 * their CIS 4.x monitoring requirement.
 */
export const NETWORK_CHANGE_FRAMEWORKS: readonly FrameworkRef[] = [
  { framework: 'pci-dss-4.0', requirement: '1.2.2' },
  { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  { framework: 'nist-800-53-r5', requirement: 'SC-7' },
];

// ---------------------------------------------------------------------------------------------
// Encryption in transit

/** What PCI DSS, HIPAA, NIST and GDPR require of data in transit: the references of every control on viewer and listener TLS. */
export const IN_TRANSIT_ENCRYPTION_FRAMEWORKS: readonly FrameworkRef[] = [
  { framework: 'pci-dss-4.0', requirement: '4.2.1' },
  { framework: 'hipaa', requirement: '164.312(e)(1)' },
  { framework: 'nist-800-53-r5', requirement: 'SC-8' },
  { framework: 'nist-800-53-r5', requirement: 'SC-8(1)' },
  { framework: 'nist-800-53-r5', requirement: 'SC-13' },
  { framework: 'gdpr', requirement: 'Art. 32(1)(a)' },
];

// ---------------------------------------------------------------------------------------------
// Routes

/** A route's destination as CreateRoute / ReplaceRoute / DeleteRoute name it: an IPv4 or IPv6 CIDR (prefix-list destinations are not judged). */
export function routeDestinationOf(event: EventBridgeEvent): string | undefined {
  const request = requestOf(event);
  const cidr = asString(request.destinationCidrBlock) ?? asString(request.destinationIpv6CidrBlock);
  return cidr ? (canonicalCidr(cidr) ?? cidr) : undefined;
}

/** A default route (0.0.0.0/0 or ::/0) a CreateRoute / ReplaceRoute points at the target `targetOf` reads from the request. */
export interface DefaultRoute {
  routeTableId: string;
  destination: string;
  target: string;
}

export function defaultRouteTo(
  event: EventBridgeEvent,
  targetOf: (request: Record<string, unknown>) => string | undefined,
): DefaultRoute | undefined {
  const routeTableId = asString(requestOf(event).routeTableId);
  const destination = routeDestinationOf(event);
  const target = targetOf(requestOf(event));
  if (!routeTableId || !destination || !target || !isWholeInternet(destination)) return undefined;
  return { routeTableId, destination, target };
}

/**
 * The resolution of a finding on a route (resource the route table, qualifier the destination):
 * DeleteRoute of the destination, or ReplaceRoute pointing it at a target `targetOf` does not read.
 */
export function routeNoLongerTo(
  event: EventBridgeEvent,
  targetOf: (request: Record<string, unknown>) => string | undefined,
  what: string,
): Resolution[] {
  const routeTable = asString(requestOf(event).routeTableId);
  const destination = routeDestinationOf(event);
  if (!routeTable || !destination) return [];
  const deleted = recordOf(event).eventName === 'DeleteRoute';
  if (!deleted && targetOf(requestOf(event))) return [];
  return [
    {
      resourceId: routeTable,
      qualifier: destination,
      message: `The ${destination} route of route table ${routeTable} ${deleted ? 'was deleted' : `no longer points at ${what}`}`,
    },
  ];
}
