/** The `config.*` a flow runs with under `callflow serve`: the deployment's values plus the SIP address default. */
import { describe, expect, it } from 'vitest';
import type { FlowIr } from '../../src/compiler/ir.js';
import { flowConfigSource, sipHostPort } from '../../src/server/compose-flow-config.js';

const declaring = { configs: [{ name: 'sip_address' }, { name: 'dids' }] } as unknown as FlowIr;
const other = { configs: [{ name: 'dids' }] } as unknown as FlowIr;

describe('flow config under serve', () => {
  it('brackets an IPv6 advertised host and keeps IPv4 and names as they are', () => {
    expect(sipHostPort({ advertised: '2001:db8::10', port: 5062 })).toBe('[2001:db8::10]:5062');
    expect(sipHostPort({ advertised: '[::1]', port: 5060 })).toBe('[::1]:5060');
    expect(sipHostPort({ advertised: '203.0.113.10', port: 16100 })).toBe('203.0.113.10:16100');
    expect(sipHostPort({ advertised: 'sip.example.com', port: 5080 })).toBe('sip.example.com:5080');
  });

  it('fills sip_address only for a flow that declares it and only when the deployment left it unset', () => {
    const flows: Record<string, FlowIr> = { gw: declaring, plain: other };
    const source = flowConfigSource({ gw: { dids: { '*': ['1'] } }, set: { sip_address: 'a.example:1' } }, (n) => flows[n] ?? (n === 'set' ? declaring : undefined), { advertised: '::1', port: 7000 });
    expect(source('gw')).toEqual({ dids: { '*': ['1'] }, sip_address: '[::1]:7000' });
    expect(source('set')).toEqual({ sip_address: 'a.example:1' });
    expect(source('plain')).toEqual({});
    expect(source('unknown')).toEqual({});
  });
});
