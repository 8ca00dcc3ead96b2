/**
 * Part of the composition root: the `config.*` values each flow runs with. The deployment's `flowConfig`
 * comes first; a flow that declares `config sip_address` the deployment left unset gets the address this server
 * advertises for SIP (the host of our Via and Contact, and the SIP port), so the URIs it hands out are ones
 * callers can reach whatever HTTP Host header the request came with.
 */
import type { FlowIr } from '../compiler/ir.js';
import type { SipListening } from './engine-port.js';

/** `host:port` of our SIP side as a URI hostport (RFC 3261 §25.1): an IPv6 host goes in brackets. */
export function sipHostPort(sip: Pick<SipListening, 'advertised' | 'port'>): string {
  const host = sip.advertised.includes(':') && !sip.advertised.startsWith('[') ? `[${sip.advertised}]` : sip.advertised;
  return `${host}:${sip.port}`;
}

/** The `config` callback the runtime reads per flow name: deployment values plus the server-derived defaults. */
export function flowConfigSource(
  flowConfig: Record<string, Record<string, unknown>>,
  flowIr: (name: string) => FlowIr | undefined,
  sip: Pick<SipListening, 'advertised' | 'port'>,
): (flow: string) => Record<string, unknown> {
  return (flow) => {
    const set = flowConfig[flow] ?? {};
    const declares = flowIr(flow)?.configs.some((c) => c.name === 'sip_address' && c.default === undefined) ?? false;
    if (!declares || Object.prototype.hasOwnProperty.call(set, 'sip_address')) return set;
    return { ...set, sip_address: sipHostPort(sip) };
  };
}
