import { describe, expect, it } from 'vitest';
import type { CallEntryIr } from '../compiler/ir.js';
import type { CallInfo } from '../ports/index.js';
import { callField, routeCall, type RankedCallRoute } from './call-routing.js';
import type { FlowVersion } from './registry.js';

/** A route of flow `name` with the given matchers (only what routing reads). */
function route(name: string, matchers: CallEntryIr['matchers'], tier?: number): RankedCallRoute {
  const entry = { kind: 'call', id: `${name}-call`, matchers } as unknown as CallEntryIr;
  return { flow: { name } as FlowVersion, entry, ...(tier === undefined ? {} : { tier }) };
}

/** An inbound call whose Request-URI user is `to` and whose To header is `toUri`. */
function call(to: string, toUri: string): CallInfo {
  return { id: 'c1', direction: 'inbound', from: '+14155550100', to, fromUri: 'sip:+14155550100@carrier.example', toUri, domain: 'gw.example', headers: {} };
}

describe('call routing', () => {
  it('matches `user` on the Request-URI user, not on a retargeted To header', () => {
    const info = call('lookup_783410988998', 'sip:+17377583411@carrier.example');
    expect(callField(info, 'user')).toBe('lookup_783410988998');
    const routes = [route('did', [{ field: 'to', pattern: '1737*' }]), route('sip', [{ field: 'user', pattern: 'lookup_*' }])];
    expect(routeCall(routes, info)?.flow.name).toBe('sip');
  });

  it('prefers the more specific entry within a tier', () => {
    const routes = [route('any', []), route('star', [{ field: 'to', pattern: '*' }]), route('exact', [{ field: 'to', pattern: '+1555' }])];
    expect(routeCall(routes, call('+1555', 'sip:+1555@x'))?.flow.name).toBe('exact');
    expect(routeCall(routes, call('+1666', 'sip:+1666@x'))?.flow.name).toBe('star');
  });

  it('lets any matching route of a lower tier win over a more specific route of a higher tier', () => {
    const routes = [route('bundled', [{ field: 'to', pattern: '*' }], 1), route('user', [], 0)];
    expect(routeCall(routes, call('+1555', 'sip:+1555@x'))?.flow.name).toBe('user');
    const onlyBundled = [route('bundled', [{ field: 'to', pattern: '*' }], 1), route('user', [{ field: 'to', pattern: '+1999' }], 0)];
    expect(routeCall(onlyBundled, call('+1555', 'sip:+1555@x'))?.flow.name).toBe('bundled');
  });
});
