/** Simulated CallControl: dialled targets behave as the script says; bridges last until a leg ends. */
import type { CallControl, CallInfo, CallLeg, DialRequest, DialResult, EndCause } from '../../ports/call-control.js';
import { SimCallLeg } from './call-leg.js';
import type { DialRecord } from './record.js';
import { lookupGlob, type SimTarget } from './script.js';
import type { SimWorld } from './world.js';

const FAILURE_STATUS = { busy: 486, declined: 603, invalid: 404, failed: 503, 'no-answer': 408 } as const;

/** The user part of a number or SIP URI, for `call.to` / `call.from` of a dialled leg. */
function userOf(uri: string): string {
  const m = /^(?:sips?:|tel:)?([^@;>]+)/.exec(uri);
  return m?.[1] ?? uri;
}

/** Create the simulated CallControl for a world. */
export function createSimCallControl(world: SimWorld): CallControl {
  const ended = new Set<string>();

  function dial(req: DialRequest, signal?: AbortSignal): Promise<DialResult> {
    const callId = world.newId('leg');
    const rec: DialRecord = { at: world.t(), to: req.to, callId };
    if (req.from !== undefined) rec.from = req.from;
    if (req.via !== undefined) rec.via = req.via;
    if (req.headers !== undefined) rec.headers = req.headers;
    world.record.dials.push(rec);
    const target: SimTarget = lookupGlob(world.script.targets, req.to) ?? world.script.defaultTarget ?? {};
    const result = target.result ?? 'answer';
    const ringMs = result === 'no-answer' ? req.timeoutMs : Math.min(target.after ?? 1000, req.timeoutMs);
    const timedOut = result !== 'no-answer' && (target.after ?? 1000) >= req.timeoutMs;

    return new Promise<DialResult>((resolve, reject) => {
      if (signal?.aborted) {
        rec.result = 'cancelled';
        reject(signal.reason as Error);
        return;
      }
      const onAbort = (): void => {
        cancelTimer();
        rec.result = 'cancelled';
        rec.status = 487;
        rec.endedAt = world.t();
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.onRinging?.();
      const cancelTimer = world.clock.setTimer(ringMs, () => {
        signal?.removeEventListener('abort', onAbort);
        if (result === 'no-answer' || timedOut) {
          rec.result = 'no-answer';
          rec.status = FAILURE_STATUS['no-answer'];
          rec.endedAt = world.t();
          resolve({ outcome: 'no-answer', status: rec.status });
          return;
        }
        if (result !== 'answer') {
          rec.result = result;
          rec.status = target.status ?? FAILURE_STATUS[result];
          rec.endedAt = world.t();
          resolve({ outcome: result, status: rec.status });
          return;
        }
        rec.result = 'answered';
        rec.status = 200;
        resolve({ outcome: 'answered', leg: answeredLeg(req, callId, target, rec) });
      });
    });
  }

  function answeredLeg(req: DialRequest, callId: string, target: SimTarget, rec: DialRecord): CallLeg {
    const info: CallInfo = {
      id: callId,
      direction: 'outbound',
      from: userOf(req.from ?? 'callflow'),
      to: userOf(req.to),
      fromUri: req.from ?? 'sip:callflow@sim.invalid',
      toUri: req.to,
      domain: 'sim.invalid',
      headers: { ...(req.headers ?? {}) },
    };
    const leg = new SimCallLeg(info, world);
    leg.markAnswered();
    const timers: Array<() => void> = [];
    if (target.hangupAfter !== undefined) timers.push(world.clock.setTimer(target.hangupAfter, () => leg.endFromFar()));
    for (const d of target.digits ?? []) {
      timers.push(world.clock.setTimer(d.delay ?? 0, () => world.pressKeys(callId, d.keys, { at: world.t() }, d.gap)));
    }
    leg.onEnd(() => {
      for (const cancel of timers) cancel();
      rec.endedAt = world.t();
    });
    return leg;
  }

  function bridge(a: CallLeg, b: CallLeg, signal?: AbortSignal): Promise<{ endedBy: 'a' | 'b' | 'aborted' }> {
    world.record.events.push({ at: world.t(), type: 'bridge', leg: a.info.id, with: b.info.id });
    return new Promise((resolve) => {
      const offs: Array<() => void> = [];
      let done = false;
      const finish = (endedBy: 'a' | 'b' | 'aborted'): void => {
        if (done) return;
        done = true;
        for (const off of offs) off();
        world.record.events.push({ at: world.t(), type: 'unbridge', leg: a.info.id, with: b.info.id, endedBy });
        resolve({ endedBy });
      };
      if (a.state === 'ended') return finish('a');
      if (b.state === 'ended') return finish('b');
      if (signal?.aborted) return finish('aborted');
      const onAbort = (): void => finish('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      offs.push(() => signal?.removeEventListener('abort', onAbort));
      offs.push(watchEnd(a, () => finish('a')));
      offs.push(watchEnd(b, () => finish('b')));
    });
  }

  async function endCall(callId: string, cause: EndCause = 'local-hangup'): Promise<boolean> {
    const leg = world.legs.get(callId);
    let found = false;
    if (leg && leg.state !== 'ended') {
      (leg as SimCallLeg).end(cause);
      found = true;
    } else if (world.script.otherCalls?.includes(callId) && !ended.has(callId)) {
      ended.add(callId);
      found = true;
    }
    world.record.events.push({ at: world.t(), type: 'end-call', callId, found });
    return found;
  }

  return { dial, bridge, endCall };
}

/** Call `fn` when a leg ends; simulated legs say so synchronously, others through `ended`. */
function watchEnd(leg: CallLeg, fn: () => void): () => void {
  if (leg instanceof SimCallLeg) return leg.onEnd(fn);
  let live = true;
  void leg.ended.then(() => live && fn());
  return () => (live = false);
}
