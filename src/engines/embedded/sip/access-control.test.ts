import { describe, expect, it } from 'vitest';
import { AccessControl } from './access-control.js';

describe('AccessControl', () => {
  it('allows only listed CIDRs, IPv4 and IPv6', () => {
    const ac = new AccessControl({ allow: ['10.0.0.0/8', '192.168.1.5', '2001:db8::/32'] });
    expect(ac.check('10.1.2.3')).toBe('allow');
    expect(ac.check('192.168.1.5')).toBe('allow');
    expect(ac.check('192.168.1.6')).toBe('not-allowed');
    expect(ac.check('2001:db8::1')).toBe('allow');
    expect(ac.check('2001:db9::1')).toBe('not-allowed');
    expect(ac.check('::ffff:10.9.9.9')).toBe('allow');
    expect(ac.check('not-an-ip')).toBe('not-allowed');
  });

  it('allows everyone without a list', () => {
    expect(new AccessControl().check('1.2.3.4')).toBe('allow');
  });

  it('rate limits per source with a token bucket', () => {
    let now = 0;
    const ac = new AccessControl({ ratePerSecond: 10, burst: 5, now: () => now });
    const results = Array.from({ length: 7 }, () => ac.check('1.1.1.1'));
    expect(results.filter((r) => r === 'allow')).toHaveLength(5);
    expect(results[6]).toBe('rate-limited');
    expect(ac.check('2.2.2.2')).toBe('allow');
    now += 200;
    expect(ac.check('1.1.1.1')).toBe('allow');
    expect(ac.check('1.1.1.1')).toBe('allow');
    expect(ac.check('1.1.1.1')).toBe('rate-limited');
  });
});
