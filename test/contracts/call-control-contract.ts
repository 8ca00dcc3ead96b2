/**
 * The CallControl / CallLeg contract. The harness plays the far ends: it places inbound calls to the engine,
 * provides dial targets that answer, are busy, decline or ring out, and hangs far ends up. The simulated
 * engine does that with its script; a SIP engine with SIPp or a second UA on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dialOutcomeOf, type CallControl, type CallLeg } from '../../src/ports/call-control.js';

/** How a far-end target behaves when dialled. */
export interface TargetBehaviour {
  result: 'answer' | 'busy' | 'no-answer' | 'declined' | 'invalid' | 'failed';
  /** Ring time before the result (ms). */
  afterMs?: number;
}

/** A harness for one test. */
export interface CallHarness {
  calls: CallControl;
  /** A new inbound call, ringing, and its far end's controls. */
  inbound(): Promise<{ leg: CallLeg; hangup: () => Promise<void> }>;
  /** A dial target behaving as asked; `hangup` makes the far end hang up once answered. */
  target(b: TargetBehaviour): Promise<{ uri: string; hangup: () => Promise<void> }>;
  /** Let `ms` pass (virtual or real), settling pending work. */
  pass(ms: number): Promise<void>;
  /** Await `p` while time passes as needed. */
  settle<T>(p: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Run the CallControl contract. */
export function describeCallControlContract(name: string, make: () => Promise<CallHarness>): void {
  describe(`CallControl contract: ${name}`, () => {
    let h: CallHarness | undefined;
    const open = async (): Promise<CallHarness> => (h = await make());
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('an inbound leg rings, answers (idempotently) and hangs up with local-hangup', async () => {
      const x = await open();
      const { leg } = await x.inbound();
      expect(leg.state).toBe('ringing');
      expect(leg.info.direction).toBe('inbound');
      await x.settle(leg.answer());
      await x.settle(leg.answer());
      expect(leg.state).toBe('answered');
      await x.settle(leg.hangup());
      await x.settle(leg.hangup());
      expect(leg.state).toBe('ended');
      expect((await x.settle(leg.ended)).cause).toBe('local-hangup');
    });

    it('rejecting a ringing call reports the status', async () => {
      const x = await open();
      const { leg } = await x.inbound();
      await x.settle(leg.hangup({ status: 486 }));
      expect(await x.settle(leg.ended)).toEqual({ cause: 'local-hangup', status: 486 });
    });

    it('a far-end hangup ends the leg with remote-hangup', async () => {
      const x = await open();
      const { leg, hangup } = await x.inbound();
      await x.settle(leg.answer());
      await hangup();
      expect((await x.settle(leg.ended)).cause).toBe('remote-hangup');
      expect(leg.state).toBe('ended');
      await expect(x.settle(leg.answer())).rejects.toBeDefined();
    });

    it('dials a target that answers: an answered outbound leg', async () => {
      const x = await open();
      const t = await x.target({ result: 'answer', afterMs: 100 });
      const r = await x.settle(x.calls.dial({ to: t.uri, timeoutMs: 5000 }));
      expect(r.outcome).toBe('answered');
      if (r.outcome !== 'answered') return;
      expect(r.leg.state).toBe('answered');
      expect(r.leg.info.direction).toBe('outbound');
      await x.settle(r.leg.hangup());
      expect(r.leg.state).toBe('ended');
    });

    it('reports busy, declined, invalid and failed targets with their status', async () => {
      const x = await open();
      for (const result of ['busy', 'declined', 'invalid', 'failed'] as const) {
        const t = await x.target({ result });
        const r = await x.settle(x.calls.dial({ to: t.uri, timeoutMs: 5000 }));
        expect(r.outcome).toBe(result);
        if (r.outcome !== 'answered' && r.status !== undefined) expect(dialOutcomeOf(r.status)).toBe(result);
      }
    });

    it('gives up with no-answer after the ring timeout', async () => {
      const x = await open();
      const t = await x.target({ result: 'no-answer' });
      const r = await x.settle(x.calls.dial({ to: t.uri, timeoutMs: 1000 }));
      expect(r.outcome).toBe('no-answer');
    });

    it('aborting a dial cancels it: the promise rejects', async () => {
      const x = await open();
      const t = await x.target({ result: 'no-answer' });
      const ac = new AbortController();
      const p = x.calls.dial({ to: t.uri, timeoutMs: 30_000 }, ac.signal);
      p.catch(() => undefined);
      await x.pass(200);
      ac.abort(new Error('cancel'));
      await expect(x.settle(p)).rejects.toBeDefined();
    });

    it('bridges two answered legs until one ends, or until aborted (both stay up)', async () => {
      const x = await open();
      const { leg: a } = await x.inbound();
      await x.settle(a.answer());
      const t = await x.target({ result: 'answer' });
      const r = await x.settle(x.calls.dial({ to: t.uri, timeoutMs: 5000, bridgeTo: a }));
      if (r.outcome !== 'answered') throw new Error('target did not answer');
      const ac = new AbortController();
      const aborted = x.calls.bridge(a, r.leg, ac.signal);
      await x.pass(200);
      ac.abort();
      expect(await x.settle(aborted)).toEqual({ endedBy: 'aborted' });
      expect([a.state, r.leg.state]).toEqual(['answered', 'answered']);
      const bridged = x.calls.bridge(a, r.leg);
      await x.pass(200);
      await t.hangup();
      expect(await x.settle(bridged)).toEqual({ endedBy: 'b' });
      await x.settle(a.hangup());
    });

    it('endCall ends a live call by id and reports unknown ids', async () => {
      const x = await open();
      const t = await x.target({ result: 'answer' });
      const r = await x.settle(x.calls.dial({ to: t.uri, timeoutMs: 5000 }));
      if (r.outcome !== 'answered') throw new Error('target did not answer');
      expect(await x.settle(x.calls.endCall(r.leg.info.id))).toBe(true);
      await x.settle(r.leg.ended);
      expect(r.leg.state).toBe('ended');
      expect(await x.settle(x.calls.endCall('no-such-call'))).toBe(false);
    });

    it('sends DTMF on an answered leg', async () => {
      const x = await open();
      const { leg } = await x.inbound();
      await x.settle(leg.answer());
      await x.settle(leg.sendDtmf('12#', { durationMs: 80, gapMs: 50 }));
      await x.settle(leg.hangup());
    });
  });
}
