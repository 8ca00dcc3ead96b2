/**
 * Simulated digit collection with a prompt, like FreeSWITCH play_and_get_digits: keys pressed during the
 * prompt count (and stop it with barge-in); the first-digit timer starts when the prompt ends, the
 * inter-digit timer after each key; a terminator or `maxDigits` ends it at once.
 */
import type { CallLeg } from '../../ports/call-control.js';
import type { CancelTimer } from '../../ports/clock.js';
import type { CollectOptions, CollectResult, DigitEvent } from '../../ports/media.js';
import { SimCallEndedError } from './call-leg.js';
import { guardOp, simPlay } from './media.js';
import type { SimWorld } from './world.js';

/** Collect digits on a simulated leg. */
export function createSimCollect(world: SimWorld, leg: CallLeg, opts: CollectOptions, signal?: AbortSignal): Promise<CollectResult> {
  return new Promise<CollectResult>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    if (leg.state === 'ended') return reject(new SimCallEndedError(leg.info.id));
    const audio = world.audioOf(leg.info.id);
    const started = world.t();
    const promptAbort = new AbortController();
    let prompting = false;
    let digits = '';
    let done = false;
    let cancelTimer: CancelTimer = () => undefined;
    const promptIndex = world.record.prompts.length;
    world.active.listens++;

    const finish = (how: CollectResult['reason'] | 'ended' | 'aborted', terminator?: string): void => {
      if (done) return;
      done = true;
      world.active.listens--;
      cancelTimer();
      cleanup();
      promptAbort.abort();
      const i = audio.consumers.indexOf(consumer);
      if (i >= 0) audio.consumers.splice(i, 1);
      world.record.collects.push({ at: started, leg: leg.info.id, kind: 'collect', digits, reason: how });
      if (how === 'ended') reject(new SimCallEndedError(leg.info.id));
      else if (how === 'aborted') reject(signal?.reason as Error);
      else resolve(terminator === undefined ? { digits, reason: how } : { digits, reason: how, terminator });
    };
    const arm = (ms: number): void => {
      cancelTimer();
      cancelTimer = world.clock.setTimer(ms, () => finish('timeout'));
    };
    const consumer = (e: DigitEvent): boolean => {
      if (opts.terminators.includes(e.digit)) {
        finish('terminator', e.digit);
        return true;
      }
      digits += e.digit;
      if (digits.length >= opts.maxDigits) {
        finish('complete');
        return true;
      }
      if (prompting && opts.bargeIn !== false) {
        promptAbort.abort();
        const rec = world.record.prompts[promptIndex];
        if (rec) Object.assign(rec, { result: 'barge-in', digit: e.digit });
      }
      if (!prompting) arm(opts.interDigitTimeoutMs);
      return true;
    };
    const cleanup = guardOp(leg, signal, () => finish('ended'), () => finish('aborted'));

    while (!done && audio.buffer.length > 0) consumer(audio.buffer.shift() as DigitEvent);
    if (done) return;
    world.moment('listen');
    const afterPrompt = (): void => {
      prompting = false;
      if (!done) arm(digits.length > 0 ? opts.interDigitTimeoutMs : opts.firstDigitTimeoutMs);
    };
    if (opts.prompt && opts.prompt.length > 0 && !(digits.length > 0 && opts.bargeIn !== false)) {
      prompting = true;
      // The collect listens itself; the prompt only plays (its own barge-in would steal the first key).
      simPlay(world, leg, opts.prompt, { bargeIn: false }, promptAbort.signal).then(afterPrompt, afterPrompt);
    } else afterPrompt();
    audio.consumers.push(consumer);
  });
}
