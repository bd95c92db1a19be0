/**
 * IPv4 and IPv6 CIDR arithmetic for controls: parse a block the way AWS canonicalizes it,
 * tell whether it is the whole internet, and whether it lies inside an allowed block.
 * Total: anything that does not parse is `undefined` / `false`, never an exception.
 */

export interface CidrBlock {
  family: 4 | 6;
  /** The network address with the host bits cleared (AWS canonicalizes 10.1.2.3/8 to 10.0.0.0/8). */
  network: bigint;
  prefix: number;
}

const V4_BITS = 32;
const V6_BITS = 128;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseHextets(text: string): bigint[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const out: bigint[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two hextets.
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (v4 === undefined) return undefined;
      out.push(v4 >> 16n, v4 & 0xffffn);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    out.push(BigInt(parseInt(group, 16)));
  }
  return out;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0]!);
  const tail = halves.length === 2 ? parseHextets(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const hextets = [...head, ...Array<bigint>(Math.max(missing, 0)).fill(0n), ...tail];
  return hextets.reduce((acc, hextet) => (acc << 16n) | hextet, 0n);
}

/** Parses "a.b.c.d/n", "x:y::z/n" or a bare address (a /32 or /128). */
export function parseCidr(value: unknown): CidrBlock | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const bits = family === 4 ? V4_BITS : V6_BITS;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const parsed = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (parsed === undefined) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { family, prefix, network: (parsed >> hostBits) << hostBits };
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatIpv6(value: bigint): string {
  const hextets = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((value >> shift) & 0xffffn));
  // Compress the longest run of two or more zero hextets, as RFC 5952 writes it.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = hextets.map((h) => h.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The canonical text of a block (host bits cleared), e.g. "208.236.235.254/0" → "0.0.0.0/0"; undefined when unparsable. */
export function canonicalCidr(value: unknown): string | undefined {
  const block = parseCidr(value);
  if (!block) return undefined;
  const address = block.family === 4 ? formatIpv4(block.network) : formatIpv6(block.network);
  return `${address}/${block.prefix}`;
}

/** True for a block that spans every address of its family: 0.0.0.0/0, ::/0 (or any address with a /0 prefix). */
export function isWholeInternet(value: unknown): boolean {
  return parseCidr(value)?.prefix === 0;
}

/** True when `inner` lies entirely inside `outer` (same family). */
export function cidrContains(outer: unknown, inner: unknown): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b || a.family !== b.family || b.prefix < a.prefix) return false;
  const bits = a.family === 4 ? V4_BITS : V6_BITS;
  const shift = BigInt(bits - a.prefix);
  return b.network >> shift === a.network >> shift;
}

/** True when the block lies inside any of the allowed blocks (e.g. settings.allowedCidrs). */
export function isInsideAny(value: unknown, allowed: readonly string[]): boolean {
  return allowed.some((outer) => cidrContains(outer, value));
}

/** True for a block that is the whole internet and not explicitly allowed by the organization. */
export function isOpenToInternet(value: unknown, allowedCidrs: readonly string[]): boolean {
  return isWholeInternet(value) && !isInsideAny(value, allowedCidrs);
}
