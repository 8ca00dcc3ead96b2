/** Retransmission timers observed on the wire, and calls completing under SIPp packet loss (ports 15400-15449). */
import { afterEach, describe, expect, it } from 'vitest';
import { SipError, SipStack, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { RawPeer, rawRequest } from './raw-peer.js';
import { OUR_SDP, runSipp, scenario } from './sipp.js';

const T1 = 120; // large enough that event-loop lag on a loaded CI machine stays small beside it
const T2 = 480;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function stackWithPeer(): Promise<{ stack: SipStack; peer: RawPeer; port: number }> {
  const stack = new SipStack({ timers: { t1: T1, t2: T2, t4: 300 } });
  const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
  const peer = await RawPeer.open();
  closers.push(() => peer.close(), () => stack.close());
  return { stack, peer, port: bound.udp!.port };
}

/**
 * Each gap must be near its expected value; the machine is shared, so the window is generous. The lower bound
 * is looser than it looks: the peer timestamps on receipt, so a first packet delayed by a busy event loop
 * shortens the first measured gap even when our timer fired on time.
 */
function expectGaps(times: number[], expected: number[]): void {
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  expected.forEach((e, i) => {
    expect(gaps[i], `gap ${i} of ${gaps.map((g) => g.toFixed(0)).join(',')}`).toBeGreaterThanOrEqual(e * 0.6);
    expect(gaps[i], `gap ${i} of ${gaps.map((g) => g.toFixed(0)).join(',')}`).toBeLessThanOrEqual(e * 2 + 120);
  });
}

describe('timers on the wire', () => {
  it('an unanswered INVITE is retransmitted at T1, 2·T1, 4·T1 … and fails with 408 at 64·T1 (Timers A, B)', async () => {
    const { stack, peer } = await stackWithPeer();
    const t0 = performance.now();
    const err = await stack.createUAC(`sip:nobody@127.0.0.1:${peer.port}`, { localSdp: OUR_SDP }).catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    expect((err as SipError).status).toBe(408);
    expect(elapsed).toBeGreaterThanOrEqual(64 * T1 * 0.9);
    const invites = peer.seen.filter((s) => s.text.startsWith('INVITE')).map((s) => s.at);
    expect(invites.length).toBeGreaterThanOrEqual(6);
    expectGaps(invites, [T1, 2 * T1, 4 * T1, 8 * T1]);
  });

  it('an unacknowledged 200 is retransmitted T1, 2·T1, then capped at T2, and the dialog ends with BYE after 64·T1', async () => {
    const { stack, peer, port } = await stackWithPeer();
    const outcome = new Promise<unknown>((resolve) => {
      stack.on('invite', (req: InboundRequest, res: OutboundResponse) => void stack.createUAS(req, res, { localSdp: OUR_SDP }).then(resolve, resolve));
    });
    await peer.send(port, rawRequest({ method: 'INVITE', port, peerPort: peer.port, branch: 'z9hG4bKnoack', callId: 'noack-1', body: OUR_SDP }));
    const err = await outcome;
    expect(err).toBeInstanceOf(SipError);
    expect((err as SipError).status).toBe(408);
    const oks = peer.seen.filter((s) => s.text.startsWith('SIP/2.0 200')).map((s) => s.at);
    expectGaps(oks, [T1, 2 * T1, T2, T2]);
    await peer.waitFor((s) => s.some((m) => m.text.startsWith('BYE ')), 3000);
  });

  it('an ACK stops the 200 retransmissions', async () => {
    const { stack, peer, port } = await stackWithPeer();
    const up = new Promise<unknown>((resolve) => {
      stack.on('invite', (req: InboundRequest, res: OutboundResponse) => void stack.createUAS(req, res, { localSdp: OUR_SDP }).then(resolve, resolve));
    });
    await peer.send(port, rawRequest({ method: 'INVITE', port, peerPort: peer.port, branch: 'z9hG4bKack', callId: 'ack-1', body: OUR_SDP }));
    const ok = await peer.waitFor((s) => s.some((m) => m.text.startsWith('SIP/2.0 200')));
    const toTag = /To: [^\r]*;tag=([^;\r]+)/.exec(ok.find((m) => m.text.startsWith('SIP/2.0 200'))!.text)![1]!;
    await peer.send(port, rawRequest({ method: 'ACK', port, peerPort: peer.port, branch: 'z9hG4bKack2', callId: 'ack-1', toTag }));
    const d = await up;
    expect(d).not.toBeInstanceOf(Error);
    const count = peer.seen.filter((s) => s.text.startsWith('SIP/2.0 200')).length;
    await new Promise((r) => setTimeout(r, 6 * T1));
    expect(peer.seen.filter((s) => s.text.startsWith('SIP/2.0 200')).length).toBe(count);
  });
});

describe('packet loss', () => {
  it('SIPp with -lost 10: calls still complete against our UAS', async () => {
    const stack = new SipStack({ timers: { t1: 200, t2: 1000 } });
    closers.push(() => stack.close());
    const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
    stack.on('invite', (req: InboundRequest, res: OutboundResponse) => void stack.createUAS(req, res, { localSdp: OUR_SDP }).catch(() => undefined));
    const r = await runSipp({
      scenario: scenario('uac-basic'),
      port: 15400,
      remote: `127.0.0.1:${bound.udp!.port}`,
      calls: 20,
      extra: ['-lost', '10', '-r', '10'],
      timeoutSec: 25,
    }).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    // SIPp abandons a call whose ACK it chose to lose, without a BYE; our UAS must still end that dialog,
    // by the ACK timeout (64·T1) at the latest.
    const until = Date.now() + 64 * 200 + 3000;
    while (stack.dialogCount > 0 && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
    expect(stack.dialogCount).toBe(0);
  }, 60_000);
});
