import { canonicalCidr, cidrContains, isInsideAny, isOpenToInternet, isWholeInternet, parseCidr } from '../../shared/core/kernel/cidr';

describe('parseCidr', () => {
  it('parses IPv4 blocks, clearing host bits as AWS does', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, prefix: 8, network: 10n << 24n });
    expect(parseCidr(' 192.0.2.1 ')).toEqual({ family: 4, prefix: 32, network: (192n << 24n) | (2n << 8n) | 1n });
  });

  it('parses IPv6 blocks, compressed, full and with an embedded IPv4 tail', () => {
    expect(parseCidr('::/0')).toEqual({ family: 6, prefix: 0, network: 0n });
    expect(parseCidr('2001:db8::1/32')?.prefix).toBe(32);
    expect(parseCidr('2001:0db8:0000:0000:0000:0000:0000:0001')?.prefix).toBe(128);
    expect(parseCidr('::ffff:192.0.2.1/128')?.network).toBe((0xffffn << 32n) | (192n << 24n) | (2n << 8n) | 1n);
  });

  it.each([
    undefined,
    null,
    42,
    '',
    'any',
    '10.0.0.0/33',
    '256.0.0.0/8',
    '10.0.0/8',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '2001:db8::/129',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    'gggg::/16',
    '10.0.0.0/ 8',
  ])('refuses %p without throwing', (value) => {
    expect(parseCidr(value)).toBeUndefined();
  });
});

describe('canonicalCidr', () => {
  it('writes blocks the way AWS canonicalizes them', () => {
    expect(canonicalCidr('208.236.235.254/0')).toBe('0.0.0.0/0');
    expect(canonicalCidr('10.1.2.3/16')).toBe('10.1.0.0/16');
    expect(canonicalCidr('2001:0DB8:0:0:1::/64')).toBe('2001:db8::/64');
    expect(canonicalCidr('2001:db8:0:1:0:0:0:1/128')).toBe('2001:db8:0:1::1/128');
    expect(canonicalCidr('::/0')).toBe('::/0');
    expect(canonicalCidr('not a cidr')).toBeUndefined();
  });
});

describe('internet and allowed blocks', () => {
  it('recognizes the whole internet in both families', () => {
    expect(isWholeInternet('0.0.0.0/0')).toBe(true);
    expect(isWholeInternet('::/0')).toBe(true);
    expect(isWholeInternet('1.2.3.4/0')).toBe(true);
    expect(isWholeInternet('0.0.0.0/1')).toBe(false);
    expect(isWholeInternet(undefined)).toBe(false);
  });

  it('tells whether a block lies inside another of the same family', () => {
    expect(cidrContains('10.0.0.0/8', '10.20.0.0/16')).toBe(true);
    expect(cidrContains('10.20.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::/48')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '::/0')).toBe(false);
    expect(cidrContains('junk', '10.0.0.0/8')).toBe(false);
  });

  it('treats the internet as open unless an allowed block covers it', () => {
    expect(isInsideAny('203.0.113.0/25', ['198.51.100.0/24', '203.0.113.0/24'])).toBe(true);
    expect(isOpenToInternet('0.0.0.0/0', [])).toBe(true);
    expect(isOpenToInternet('::/0', ['0.0.0.0/0'])).toBe(true);
    expect(isOpenToInternet('::/0', ['::/0'])).toBe(false);
    expect(isOpenToInternet('10.0.0.0/8', [])).toBe(false);
  });
});
