/**
 * Helpers shared by the network controls: the event's account, region and partition, ARNs,
 * numbers that CloudTrail writes either as numbers or as strings, IP protocols and port ranges.
 */
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel';
export { accountOf, regionOf, partitionOf } from '../../kernel';
import { accountOf, regionOf, partitionOf } from '../../kernel';

/** arn:<partition>:<service>:<region>:<account>:<resource> for the event's account and region. */
export function arnFor(event: EventBridgeEvent, service: string, resource: string): string {
  const region = regionOf(event);
  return `arn:${partitionOf(region)}:${service}:${region}:${accountOf(event)}:${resource}`;
}

/** A number from a number or a numeric string ("443"), else undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** True for boolean true and the string "true" (some services log booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

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
