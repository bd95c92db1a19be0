/**
 * IPv4 / IPv6 parsing and CIDR matching for the `cidr` operator ("IP address matching" in
 * "Content filtering in Amazon EventBridge event patterns": works for IPv4 and IPv6).
 * Event values are parsed without allocating: IPv4 into a uint32, IPv6 into a shared scratch buffer.
 */
import type { StringTest } from './types';

/** Parses dotted-quad IPv4 in text[start, end): four decimal parts 0-255 without leading zeros. -1 if malformed. */
export function parseIPv4(text: string, start: number, end: number): number {
  let result = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    const partStart = i;
    let value = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
      if (i - partStart > 3) return -1;
    }
    const length = i - partStart;
    if (length === 0 || value > 255) return -1;
    if (length > 1 && text.charCodeAt(partStart) === 48) return -1; // leading zero: nonstandard
    result = result * 256 + value;
    parts++;
    if (parts < 4) {
      if (i >= end || text.charCodeAt(i) !== 46) return -1; // '.'
      i++;
    }
  }
  return i === end ? result : -1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const groupScratch = new Uint16Array(8);

/**
 * Parses an IPv6 address (RFC 4291 text forms: full, `::`-compressed, trailing dotted IPv4) into
 * eight 16-bit groups written to `out`. False if malformed (zone ids like `%eth0` are refused).
 */
export function parseIPv6(text: string, out: Uint16Array): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  let i = 0;
  let groups = 0;
  let gap = -1; // group index where '::' stands
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const groupStart = i;
    let value = 0;
    while (i < n && i - groupStart < 5) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    if (i < n && text.charCodeAt(i) === 46) {
      // Trailing IPv4 in the last 32 bits.
      if (groups > 6) return false;
      const v4 = parseIPv4(text, groupStart, n);
      if (v4 < 0) return false;
      groupScratch[groups++] = Math.floor(v4 / 65536);
      groupScratch[groups++] = v4 % 65536;
      i = n;
      break;
    }
    const length = i - groupStart;
    if (length === 0 || length > 4 || groups >= 8) return false;
    groupScratch[groups++] = value;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i === n) return false; // a single trailing ':'
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return false; // '::' may appear once
      gap = groups;
      i++;
    }
  }
  if (gap < 0) {
    if (groups !== 8) return false;
    out.set(groupScratch);
    return true;
  }
  if (groups > 7) return false;
  const tail = groups - gap;
  out.fill(0);
  for (let g = 0; g < gap; g++) out[g] = groupScratch[g];
  for (let g = 0; g < tail; g++) out[8 - tail + g] = groupScratch[gap + g];
  return true;
}

/** Result of parsing a `cidr` operand: the test, or the reason it is refused. */
export type CidrParse = { ok: true; test: StringTest } | { ok: false; reason: string };

const eventScratch = new Uint16Array(8);

/** Compiles `"10.0.0.0/24"` or `"2001:db8::/64"` into a test of event strings. Host bits beyond the mask are ignored. */
export function compileCidr(cidr: string): CidrParse {
  const slash = cidr.indexOf('/');
  if (slash < 0 || slash !== cidr.lastIndexOf('/')) {
    return { ok: false, reason: `malformed CIDR "${cidr}": exactly one '/' is required` };
  }
  const address = cidr.slice(0, slash);
  const bitsText = cidr.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bitsText)) {
    return { ok: false, reason: `malformed CIDR "${cidr}": mask bits must be an integer` };
  }
  const bits = Number(bitsText);
  const v4 = parseIPv4(address, 0, address.length);
  if (v4 >= 0) {
    if (bits > 32) return { ok: false, reason: `malformed CIDR "${cidr}": an IPv4 mask is 0 to 32 bits` };
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const network = (v4 & mask) >>> 0;
    return {
      ok: true,
      test: (value) => {
        const ip = parseIPv4(value, 0, value.length);
        return ip >= 0 && (ip & mask) >>> 0 === network;
      },
    };
  }
  const groups = new Uint16Array(8);
  if (!parseIPv6(address, groups)) {
    return { ok: false, reason: `malformed CIDR "${cidr}": nonstandard IP address "${address}"` };
  }
  if (bits > 128) return { ok: false, reason: `malformed CIDR "${cidr}": an IPv6 mask is 0 to 128 bits` };
  const masks = new Uint16Array(8);
  for (let g = 0; g < 8; g++) {
    const groupBits = Math.max(0, Math.min(16, bits - g * 16));
    masks[g] = groupBits === 0 ? 0 : (0xffff << (16 - groupBits)) & 0xffff;
    groups[g] &= masks[g];
  }
  return {
    ok: true,
    test: (value) => {
      if (!parseIPv6(value, eventScratch)) return false;
      for (let g = 0; g < 8; g++) {
        if ((eventScratch[g] & masks[g]) !== groups[g]) return false;
      }
      return true;
    },
  };
}
