/** Time as the runtime sees it. Injected so the interpreter is deterministic and tests use a simulated clock. */

/** Cancels a timer; calling it twice is harmless. */
export type CancelTimer = () => void;

/** A source of time and timers. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (for timestamps shown to people). */
  now(): number;
  /** Monotonic milliseconds (for durations and timeouts). */
  monotonic(): number;
  /** Run `fn` after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): CancelTimer;
}

/** Resolve after `ms` on `clock`, or reject with the signal's reason when aborted; the timer is always cleared. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason as Error);
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
