/** Digest authentication in both directions; SIPp ports 15300-15349. */
import { afterEach, describe, expect, it } from 'vitest';
import { digestAuth, SipError, SipStack, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { OUR_SDP, runSipp, scenario } from './sipp.js';

const stacks: SipStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function server(
  algorithms: ('MD5' | 'SHA-256')[],
  nonceTtlMs = 60_000,
  now: () => number = Date.now,
): Promise<{ stack: SipStack; port: number; seen: string[] }> {
  const stack = new SipStack();
  stacks.push(stack);
  const seen: string[] = [];
  stack.use(
    'INVITE',
    digestAuth({ realm: 'callflow.test', algorithms, nonceTtlMs, now, lookup: async (u) => (u === 'alice' ? 'secret' : undefined) }),
  );
  stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
    seen.push(String(req.locals.authUser));
    stack.createUAS(req, res, { localSdp: OUR_SDP }).catch(() => undefined);
  });
  const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
  return { stack, port: bound.udp!.port, seen };
}

async function client(): Promise<SipStack> {
  const stack = new SipStack();
  stacks.push(stack);
  await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
  return stack;
}

describe('inbound digest', () => {
  it('SIPp answers our MD5 challenge and the call completes', async () => {
    const { port, seen } = await server(['MD5']);
    const r = await runSipp({ scenario: scenario('uac-auth'), port: 15300, remote: `127.0.0.1:${port}`, calls: 2 }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(seen).toEqual(['alice', 'alice']);
  });

  it('our UAC answers a SHA-256 challenge from our UAS', async () => {
    const { port, seen } = await server(['SHA-256', 'MD5']);
    const c = await client();
    const d = await c.createUAC(`sip:bob@127.0.0.1:${port}`, { localSdp: OUR_SDP, auth: { username: 'alice', password: 'secret' } });
    expect(seen).toEqual(['alice']);
    await d.destroy();
  });

  it('wrong password ends in 401 after one retry', async () => {
    const { port } = await server(['SHA-256']);
    const c = await client();
    const err = await c.createUAC(`sip:bob@127.0.0.1:${port}`, { localSdp: OUR_SDP, auth: { username: 'alice', password: 'nope' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SipError);
    expect((err as SipError).status).toBe(401);
  });

  it('an expired nonce is challenged again with stale=true', async () => {
    // Every clock reading is 5 s after the last, so a nonce is always older than its 1 s lifetime when it comes
    // back: a loopback round trip can be faster than any real TTL.
    let t = Date.now();
    const { port } = await server(['MD5'], 1000, () => (t += 5000));
    const c = await client();
    const first = await c.request(`sip:bob@127.0.0.1:${port}`, { method: 'INVITE', body: OUR_SDP, headers: { 'Content-Type': 'application/sdp' } });
    expect(first.status).toBe(401);
    expect(first.get('www-authenticate')).not.toContain('stale');
    const res = await c.request(`sip:bob@127.0.0.1:${port}`, { method: 'INVITE', body: OUR_SDP, auth: { username: 'alice', password: 'secret' } });
    expect(res.status).toBe(401);
    expect(res.get('www-authenticate')).toContain('stale=true');
  });
});
