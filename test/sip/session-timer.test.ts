/**
 * Session timers (RFC 4028) with SIPp as the caller: the 2xx confirms the interval and the refresher, we
 * refresh with UPDATE (or re-INVITE) when we are the refresher, a dialog nobody refreshes ends with our BYE,
 * and a too-short interval gets 422. The stack accepts intervals from 2 s here (90 s in production) so the
 * timers run in seconds. Ports 15460-15469.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SipStack, type Dialog, type InboundRequest, type OutboundResponse } from '../../src/engines/embedded/sip/index.js';
import { OUR_SDP, runSipp, scenario } from './sipp.js';

let stack: SipStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Answered {
  stack: SipStack;
  port: number;
  dialogs: Dialog[];
  ended: Array<{ reason: string; at: number }>;
  invites: number;
}

/** A stack that answers every INVITE with 200 and records its dialogs and how they ended. */
async function answering(): Promise<Answered> {
  stack = new SipStack({ timers: { t1: 100 }, sessionTimer: { minSE: 2 } });
  const bound = await stack.listen({ udp: { port: 0, host: '127.0.0.1' } });
  const out: Answered = { stack, port: bound.udp!.port, dialogs: [], ended: [], invites: 0 };
  stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
    out.invites++;
    stack!.createUAS(req, res, { localSdp: OUR_SDP }).then(
      (d) => {
        out.dialogs.push(d);
        d.on('destroy', (e: { reason: string }) => out.ended.push({ reason: e.reason, at: performance.now() }));
      },
      () => undefined,
    );
  });
  return out;
}

function sipp(name: string, port: number, target: number): ReturnType<typeof runSipp> {
  return runSipp({ scenario: scenario(name), port, remote: `127.0.0.1:${target}`, timeoutSec: 20 });
}

describe('session timers (RFC 4028)', () => {
  it('the caller refreshes: 200 with refresher=uac and Require: timer; when the refreshes stop, we send BYE', async () => {
    const a = await answering();
    const started = performance.now();
    const r = await sipp('uac-timer-uac', 15460, a.port).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(a.ended.map((e) => e.reason)).toEqual(['session-expired']);
    // SIPp refreshed 1 s in, so the BYE is due 4 − 4/3 ≈ 2.7 s after that (generous bounds: a loaded machine).
    const byeAfter = (a.ended[0]!.at - started) / 1000;
    expect(byeAfter).toBeGreaterThan(3.2);
    expect(byeAfter).toBeLessThan(8);
    expect(a.stack.dialogCount).toBe(0);
  });

  it('a caller without the extension: 200 with refresher=uas, and we refresh with UPDATE every half interval', async () => {
    const a = await answering();
    const r = await sipp('uac-timer-uas', 15461, a.port).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    // SIPp saw two UPDATE refreshes (checked in the scenario) and then hung up itself: the session never expired.
    expect(a.ended.map((e) => e.reason)).toEqual(['remote']);
  });

  it('a caller that does not allow UPDATE is refreshed with a re-INVITE carrying our SDP', async () => {
    const a = await answering();
    const r = await sipp('uac-timer-reinvite', 15462, a.port).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(a.ended.map((e) => e.reason)).toEqual(['remote']);
    expect(a.dialogs[0]?.local.sdp).toBe(OUR_SDP);
  });

  it('our own re-INVITE (hold) during a timed session is a refresh: it carries Session-Expires naming the far end', async () => {
    const a = await answering();
    const run = sipp('uac-timer-hold', 15465, a.port);
    const until = Date.now() + 5000;
    while (a.dialogs.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const remote = await a.dialogs[0]!.modify('hold');
    expect(remote).toContain('m=audio');
    const r = await run.done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(a.ended.map((e) => e.reason)).toEqual(['remote']);
  });

  it('an interval below our minimum gets 422 with Min-SE before the application sees the call', async () => {
    const a = await answering();
    const r = await sipp('uac-timer-422', 15463, a.port).done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(a.invites).toBe(0);
  });

  it('a call without Session-Expires has no session timer: it outlives any interval', async () => {
    const a = await answering();
    // uac-remote-bye waits for our BYE; we send none, so SIPp times out unless we kill it: end the dialog ourselves
    // after 5 s (past twice the 2 s minimum) and check nothing expired before.
    const run = runSipp({ scenario: scenario('uac-remote-bye'), port: 15464, remote: `127.0.0.1:${a.port}`, timeoutSec: 20 });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(a.ended).toEqual([]);
    await a.dialogs[0]?.destroy();
    const r = await run.done;
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(a.ended.map((e) => e.reason)).toEqual(['local']);
  });
});
