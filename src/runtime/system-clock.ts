/** The real clock: wall time from Date.now, monotonic time from performance.now, timers from setTimeout. */
import type { Clock } from '../ports/clock.js';

/** Node's setTimeout caps delays at 2^31-1 ms; longer timers are chained. */
const MAX_DELAY = 2_147_483_647;

/** The process clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(ms, fn) {
    let handle: NodeJS.Timeout;
    const due = performance.now() + Math.max(0, ms);
    const arm = (): void => {
      const left = due - performance.now();
      handle = setTimeout(left > MAX_DELAY ? arm : fn, Math.min(Math.max(0, left), MAX_DELAY));
    };
    arm();
    return () => clearTimeout(handle);
  },
};
