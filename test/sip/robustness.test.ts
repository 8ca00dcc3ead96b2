/** Malformed input, fuzzing, access control, merged requests, OPTIONS keep-alive (no SIPp). */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SipStack, type SipStackOptions, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { RawPeer, rawRequest } from './raw-peer.js';

const open: { stack: SipStack; peer: RawPeer }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.peer.close();
    await o.stack.close();
  }
});

async function setup(opts: SipStackOptions = {}): Promise<{ stack: SipStack; peer: RawPeer; port: number }> {
  const stack = new SipStack(opts);
  const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
  const peer = await RawPeer.open();
  open.push({ stack, peer });
  return { stack, peer, port: bound.udp!.port };
}

let seq = 0;
const options = (port: number, peerPort: number) =>
  rawRequest({ method: 'OPTIONS', port, peerPort, branch: `z9hG4bKopt${++seq}`, callId: `opt-${seq}` });

describe('robustness', () => {
  it('answers OPTIONS keep-alives with 200 when nobody handles them', async () => {
    const { peer, port } = await setup();
    await peer.send(port, options(port, peer.port));
    const seen = await peer.waitFor((s) => s.length >= 1);
    expect(seen[0]!.text).toMatch(/^SIP\/2\.0 200 OK/);
    expect(seen[0]!.text).toMatch(/;rport=\d+/);
  });

  it('refuses a request that requires an extension we lack with 420 and Unsupported, before the application sees it', async () => {
    const { stack, peer, port } = await setup();
    let invites = 0;
    stack.on('invite', (_req: InboundRequest, res: OutboundResponse) => {
      invites++;
      res.send(486);
    });
    const invite = (n: number, extra: string[]): string =>
      rawRequest({ method: 'INVITE', port, peerPort: peer.port, branch: `z9hG4bKreq${n}`, callId: `req-${n}`, extra });
    await peer.send(port, invite(1, ['Require: 100rel', 'Require: timer, 100rel']));
    const seen = await peer.waitFor((s) => s.some((m) => /^SIP\/2\.0 420 /.test(m.text)));
    const refused = seen.find((m) => /^SIP\/2\.0 420 Bad Extension/.test(m.text));
    // `timer` (session timers, RFC 4028) is ours; 100rel is not.
    expect(refused?.text).toMatch(/\r\nUnsupported: 100rel\r\n/);
    expect(refused?.text).toMatch(/\r\nCSeq: 1 INVITE\r\n/);
    // Supported and Proxy-Require (a proxy's business, §20.29) do not stop a UAS: the application answers these.
    await peer.send(port, invite(2, ['Supported: 100rel, timer', 'Proxy-Require: sec-agree']));
    await peer.waitFor((s) => s.some((m) => /^SIP\/2\.0 486 [\s\S]*Call-ID: req-2\r\n/.test(m.text)));
    expect(invites).toBe(1);
    // In a dialog too: a BYE that requires an unknown extension is refused rather than ending the call.
    await peer.send(port, rawRequest({ method: 'BYE', port, peerPort: peer.port, branch: 'z9hG4bKreq3', callId: 'req-3', toTag: 'x', extra: ['Require: foo'] }));
    const bye = await peer.waitFor((s) => s.some((m) => /Call-ID: req-3\r\n/.test(m.text)));
    expect(bye.find((m) => /Call-ID: req-3\r\n/.test(m.text))?.text).toMatch(/^SIP\/2\.0 420 Bad Extension[\s\S]*\r\nUnsupported: foo\r\n/);
  });

  it('answers a malformed request with 400 naming the problem, drops garbage and counts both', async () => {
    const { stack, peer, port } = await setup();
    const bad = options(port, peer.port).replace('Max-Forwards: 70', 'Max-Forwards: lots');
    await peer.send(port, bad);
    const seen = await peer.waitFor((s) => s.length >= 1);
    expect(seen[0]!.text).toMatch(/^SIP\/2\.0 400 Bad Request \(.*Max-Forwards/);
    await peer.send(port, 'complete garbage\r\n\r\n');
    await peer.send(port, 'INVITE sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    expect(stack.stats.malformedRejected).toBe(1);
    expect(stack.stats.malformedDropped).toBe(2);
  });

  it('survives random and mutated datagrams and still answers OPTIONS', async () => {
    const { stack, peer, port } = await setup();
    const valid = Buffer.from(options(port, peer.port));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 1500 }).map((a) => Buffer.from(a)),
          fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }).map((muts) => {
            const b = Buffer.from(valid);
            for (const [i, v] of muts) b[i] = v;
            return b;
          }),
          fc.nat(valid.length).map((n) => valid.subarray(0, n)),
        ),
        async (datagram) => {
          await peer.send(port, datagram);
        },
      ),
      { numRuns: 400 },
    );
    await new Promise((r) => setTimeout(r, 200));
    const before = peer.seen.length;
    await peer.send(port, options(port, peer.port));
    const seen = await peer.waitFor((s) => s.slice(before).some((m) => /^SIP\/2\.0 200 OK[\s\S]*CSeq: 1 OPTIONS/.test(m.text)));
    expect(seen.length).toBeGreaterThan(before);
    expect(stack.stats.received).toBeGreaterThanOrEqual(400);
    expect(stack.stats.handlerErrors).toBe(0);
  });

  it('drops requests from sources outside the allow list, silently, and counts them', async () => {
    const { stack, peer, port } = await setup({ access: { allow: ['10.0.0.0/8', '2001:db8::/32'] } });
    await peer.send(port, options(port, peer.port));
    await new Promise((r) => setTimeout(r, 200));
    expect(peer.seen).toHaveLength(0);
    expect(stack.stats.accessDropped).toBe(1);
  });

  it('answers 403 to blocked sources when configured', async () => {
    const { peer, port } = await setup({ access: { allow: ['10.0.0.0/8'], rejectWith403: true } });
    await peer.send(port, options(port, peer.port));
    const seen = await peer.waitFor((s) => s.length >= 1);
    expect(seen[0]!.text).toMatch(/^SIP\/2\.0 403/);
  });

  it('rate limits a flooding source with a token bucket', async () => {
    const { stack, peer, port } = await setup({ access: { ratePerSecond: 5, burst: 5 } });
    for (let i = 0; i < 20; i++) await peer.send(port, options(port, peer.port));
    await new Promise((r) => setTimeout(r, 200));
    expect(peer.seen.length).toBeLessThanOrEqual(6);
    expect(peer.seen.length).toBeGreaterThanOrEqual(5);
    expect(stack.stats.rateLimited).toBeGreaterThanOrEqual(14);
  });

  it('detects a merged request (same From tag, Call-ID, CSeq; other branch) with 482', async () => {
    const { stack, peer, port } = await setup({ timers: { trying: 0 } });
    stack.on('invite', () => undefined);
    const base = { method: 'INVITE', port, peerPort: peer.port, callId: 'merged-1' };
    await peer.send(port, rawRequest({ ...base, branch: 'z9hG4bKpathA' }));
    await peer.send(port, rawRequest({ ...base, branch: 'z9hG4bKpathB' }));
    const seen = await peer.waitFor((s) => s.some((m) => m.text.startsWith('SIP/2.0 482')));
    expect(seen.find((m) => m.text.startsWith('SIP/2.0 482'))!.text).toContain('branch=z9hG4bKpathB');
    expect(stack.stats.merged).toBe(1);
  });

  it('answers 481 to a CANCEL for an unknown INVITE and to an in-dialog request for an unknown dialog', async () => {
    const { peer, port } = await setup();
    await peer.send(port, rawRequest({ method: 'CANCEL', port, peerPort: peer.port, branch: 'z9hG4bKnone', callId: 'c1' }));
    await peer.send(port, rawRequest({ method: 'BYE', port, peerPort: peer.port, branch: 'z9hG4bKbye', callId: 'c2', toTag: 'nope' }));
    const seen = await peer.waitFor((s) => s.length >= 2);
    expect(seen.every((m) => m.text.startsWith('SIP/2.0 481'))).toBe(true);
  });

  it('absorbs a retransmitted request and repeats the last response', async () => {
    const { stack, peer, port } = await setup();
    let calls = 0;
    stack.on('message', (_req: InboundRequest, res: OutboundResponse) => {
      calls++;
      res.send(202);
    });
    const msg = rawRequest({ method: 'MESSAGE', port, peerPort: peer.port, branch: 'z9hG4bKmsg', callId: 'm1' });
    await peer.send(port, msg);
    await peer.waitFor((s) => s.length >= 1);
    await peer.send(port, msg);
    const seen = await peer.waitFor((s) => s.length >= 2);
    expect(calls).toBe(1);
    expect(seen[1]!.text).toBe(seen[0]!.text);
    expect(stack.stats.retransmissionsAbsorbed).toBe(1);
  });
});
