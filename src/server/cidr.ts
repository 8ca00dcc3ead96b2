/** CIDR matching for trunk sources: IPv4 prefixes, and exact IPv6 addresses (or prefixes on 16-bit groups). */
import { isIPv4, isIPv6 } from 'node:net';

function v4(addr: string): number {
  return addr.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v6Groups(addr: string): number[] {
  const [head = '', tail = ''] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = addr.includes('::') ? (tail ? tail.split(':') : []) : [];
  const fill = addr.includes('::') ? new Array<string>(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** Whether `address` lies in `cidr` (`10.0.0.0/8`, `192.0.2.7`, `2001:db8::/32`); malformed input never matches. */
export function cidrContains(cidr: string, address: string): boolean {
  const [net = '', bitsText] = cidr.split('/');
  if (isIPv4(net) && isIPv4(address)) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
    const size = 2 ** (32 - bits);
    return Math.floor(v4(net) / size) === Math.floor(v4(address) / size);
  }
  if (isIPv6(net) && isIPv6(address)) {
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    if (!Number.isInteger(bits) || bits < 0 || bits > 128) return false;
    const a = v6Groups(net);
    const b = v6Groups(address);
    for (let i = 0, left = bits; left > 0; i++, left -= 16) {
      const keep = Math.min(16, left);
      const shift = 16 - keep;
      if ((a[i] ?? 0) >> shift !== (b[i] ?? 0) >> shift) return false;
    }
    return true;
  }
  return false;
}
