/**
 * Digit collection with an optional prompt, like FreeSWITCH play_and_get_digits: keys pressed during the
 * prompt count (and stop it when barge-in is on), the first-digit timer starts when the prompt ends, the
 * inter-digit timer after each key; a terminator or `maxDigits` ends it at once. Type-ahead digits count.
 */
import type { LegDtmf, LegLike } from '../play/pcm.js';
import type { PlaybackResult } from '../play/player.js';
import type { DigitRouter } from './digit-router.js';

/** How a collection ended. */
export type CollectReason = 'complete' | 'terminator' | 'timeout' | 'aborted' | 'leg-closed';

/** Collected digits. */
export interface CollectOutcome {
  digits: string;
  reason: CollectReason;
  terminator?: string;
}

/** What to collect. */
export interface CollectSpec {
  /** Reported for the caller's validation; collection itself ends on max digits, a terminator or a timeout. */
  minDigits?: number;
  maxDigits: number;
  /** Keys that end collection; not included in `digits`. */
  terminators?: string;
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  /** Stop the prompt on the first key (default true). */
  bargeIn?: boolean;
  signal?: AbortSignal;
}

/** The pieces of an endpoint a collection uses. */
export interface CollectContext {
  leg: LegLike;
  digits: DigitRouter;
  /** Play the prompt without barge-in (the collector listens itself); null when there is none. */
  playPrompt: ((signal: AbortSignal) => Promise<PlaybackResult>) | null;
}

/** Collect digits; never rejects. */
export function collectDigits(ctx: CollectContext, spec: CollectSpec): Promise<CollectOutcome> {
  const signal = spec.signal;
  if (signal?.aborted) return Promise.resolve({ digits: '', reason: 'aborted' });
  const terminators = spec.terminators ?? '';
  return new Promise<CollectOutcome>((resolve) => {
    let digits = '';
    let done = false;
    let prompting = false;
    let timer: NodeJS.Timeout | undefined;
    const promptAbort = new AbortController();
    let offDigits: () => void = () => undefined;

    const finish = (reason: CollectReason, terminator?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      offDigits();
      promptAbort.abort();
      ctx.leg.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      resolve(terminator === undefined ? { digits, reason } : { digits, reason, terminator });
    };
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish('timeout'), ms);
    };
    const onDigit = (e: LegDtmf): boolean => {
      if (done) return false;
      if (terminators.includes(e.digit)) {
        finish('terminator', e.digit);
        return true;
      }
      digits += e.digit;
      if (digits.length >= spec.maxDigits) {
        finish('complete');
        return true;
      }
      if (prompting && spec.bargeIn !== false) promptAbort.abort();
      if (!prompting) arm(spec.interDigitTimeoutMs);
      return true;
    };
    const onClose = (): void => finish('leg-closed');
    const onAbort = (): void => finish('aborted');
    ctx.leg.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });

    offDigits = ctx.digits.subscribe(onDigit);
    if (done) {
      offDigits();
      return;
    }
    const afterPrompt = (): void => {
      prompting = false;
      if (!done) arm(digits.length > 0 ? spec.interDigitTimeoutMs : spec.firstDigitTimeoutMs);
    };
    if (ctx.playPrompt && !(digits.length > 0 && spec.bargeIn !== false)) {
      prompting = true;
      ctx.playPrompt(promptAbort.signal).then(afterPrompt, afterPrompt);
    } else afterPrompt();
  });
}
