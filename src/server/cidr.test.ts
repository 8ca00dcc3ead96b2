import { describe, expect, it } from 'vitest';
import { cidrContains } from './cidr.js';
import { trunkOfSource } from './sip-ingress.js';

describe('cidrContains', () => {
  it('matches IPv4 prefixes and exact addresses', () => {
    expect(cidrContains('10.0.0.0/8', '10.20.30.40')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(cidrContains('192.0.2.7', '192.0.2.7')).toBe(true);
    expect(cidrContains('192.0.2.7', '192.0.2.8')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(cidrContains('127.0.0.0/31', '127.0.0.1')).toBe(true);
    expect(cidrContains('127.0.0.0/32', '127.0.0.1')).toBe(false);
  });
  it('matches IPv6 prefixes', () => {
    expect(cidrContains('2001:db8::/32', '2001:db8:1::5')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db9::5')).toBe(false);
    expect(cidrContains('::1', '::1')).toBe(true);
  });
  it('never matches malformed input', () => {
    expect(cidrContains('10.0.0.0/99', '10.0.0.1')).toBe(false);
    expect(cidrContains('nonsense', '10.0.0.1')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '::1')).toBe(false);
  });
  it('tags a source ip:port with its trunk', () => {
    const trunks = { carrier: { uri: 'sip:carrier.example', sources: ['198.51.100.0/24'] } };
    expect(trunkOfSource(trunks, '198.51.100.20:5060')).toBe('carrier');
    expect(trunkOfSource(trunks, '[2001:db8::1]:5060')).toBeUndefined();
    expect(trunkOfSource(trunks, '127.0.0.1:5060')).toBeUndefined();
  });
});
