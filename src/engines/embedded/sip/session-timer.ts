/**
 * Session timers (RFC 4028) on the dialogs we answer. When an INVITE or UPDATE asks for a session interval, the
 * 2xx confirms it and names who refreshes: the caller if it supports the extension (it then gets
 * `Require: timer`), else us (§9). The refresher sends a re-INVITE or UPDATE each half interval (§7.4,
 * §10); a dialog not refreshed by `interval − min(32 s, interval/3)` is ended with BYE (§10), so a call whose far
 * end vanished does not stay up.
 */
import type { BodyMessage } from './body.js';
import { splitValues } from './header-util.js';

/** Who refreshes, as RFC 4028 names it from the dialog-creating INVITE. */
export type Refresher = 'uac' | 'uas';

/** Local policy. */
export interface SessionTimerOptions {
  /** The shortest interval we accept, seconds (default and RFC floor 90, §4; lower only in tests). */
  minSE?: number;
}

/** The RFC floor of Min-SE (§4). */
export const MIN_SE_FLOOR = 90;

/** What an INVITE or UPDATE asks of the session timer, and our answer to it. */
export type TimerRequest =
  /** No Session-Expires: no session timer. */
  | { kind: 'none' }
  /** Interval shorter than we accept: 422 with Min-SE (§9). */
  | { kind: 'too-small'; minSE: number }
  /** A Session-Expires that does not parse: 400. */
  | { kind: 'malformed'; reason: string }
  | { kind: 'accept'; interval: number; refresher: Refresher; uacSupports: boolean };

/** Our answer to a request's session-timer headers (we are the UAS of the request). */
export function timerRequest(msg: Pick<BodyMessage, 'get'> & { getAll(name: string): string[] }, opts: SessionTimerOptions = {}): TimerRequest {
  const raw = msg.get('session-expires');
  if (raw === undefined) return { kind: 'none' };
  const parsed = parseSessionExpires(raw);
  if (!parsed) return { kind: 'malformed', reason: `Session-Expires "${raw.slice(0, 40)}" is not delta-seconds` };
  const uacSupports = msg.getAll('supported').some((v) => splitValues(v).some((t) => t.toLowerCase() === 'timer'));
  const minSE = opts.minSE ?? MIN_SE_FLOOR;
  if (parsed.interval < minSE) {
    // §9: only a UAC that knows the extension understands 422; for one that does not (a proxy added the
    // header), the session goes on without a timer.
    return uacSupports ? { kind: 'too-small', minSE } : { kind: 'none' };
  }
  // §9: a UAC without the extension cannot refresh; one with it may name the refresher, else it refreshes.
  const refresher: Refresher = !uacSupports ? 'uas' : (parsed.refresher ?? 'uac');
  return { kind: 'accept', interval: parsed.interval, refresher, uacSupports };
}

/** The headers of our 2xx for an accepted request (§9): the interval, the refresher and, for uac, Require. */
export function acceptHeaders(t: Extract<TimerRequest, { kind: 'accept' }>): Record<string, string> {
  return {
    'Session-Expires': `${t.interval};refresher=${t.refresher}`,
    Supported: 'timer',
    ...(t.refresher === 'uac' ? { Require: 'timer' } : {}),
  };
}

/** `delta-seconds [;refresher=uac|uas]` (§4), or undefined when it does not parse. */
export function parseSessionExpires(v: string): { interval: number; refresher?: Refresher } | undefined {
  const [head, ...params] = v.split(';');
  const n = head?.trim() ?? '';
  if (!/^\d{1,10}$/.test(n)) return undefined;
  const interval = Number(n);
  if (interval < 1) return undefined;
  for (const p of params) {
    const [k, val] = p.split('=').map((s) => s.trim().toLowerCase());
    if (k === 'refresher' && (val === 'uac' || val === 'uas')) return { interval, refresher: val };
  }
  return { interval };
}

/** When a dialog not refreshed since now must be ended, ms (§10: the interval minus min(32 s, a third)). */
export function expiryMs(intervalSec: number): number {
  return (intervalSec - Math.min(32, intervalSec / 3)) * 1000;
}

/** A cancellable scheduled callback (the stack's timer wheel). */
interface Scheduled {
  cancel(): void;
}

/** What a dialog's session timer drives. */
export interface SessionTimerIo {
  schedule(ms: number, fn: () => void): Scheduled;
  /** Send a refresh asking for `interval` seconds; the dialog restarts or stops the timer from its answer. */
  refresh(interval: number): void;
  /** Nobody refreshed in time: end the dialog with BYE. */
  expire(): void;
}

/** The timers of one dialog: the expiry guard always, the half-interval refresh when we refresh. */
export class SessionTimer {
  private refreshAt: Scheduled | undefined;
  private expiresAt: Scheduled | undefined;
  /** The negotiated interval, seconds (0: no session timer). */
  interval = 0;
  /** True when this side sends the refreshes. */
  weRefresh = false;

  constructor(private readonly io: SessionTimerIo) {}

  /** (Re)start from now: after the 2xx that set the interval, or a successful refresh either way. */
  start(interval: number, weRefresh: boolean): void {
    this.stop();
    this.interval = interval;
    this.weRefresh = weRefresh;
    this.expiresAt = this.io.schedule(expiryMs(interval), () => this.io.expire());
    if (weRefresh) this.refreshAt = this.io.schedule(interval * 500, () => this.io.refresh(interval));
  }

  /** Try the refresh again in `ms` (after a glare or a transient failure); the expiry guard still stands. */
  retry(ms: number): void {
    this.refreshAt?.cancel();
    this.refreshAt = this.io.schedule(ms, () => this.io.refresh(this.interval));
  }

  /** No session timer from now on (a refresh without Session-Expires turns it off, §9; the dialog ended). */
  stop(): void {
    this.refreshAt?.cancel();
    this.expiresAt?.cancel();
    this.refreshAt = this.expiresAt = undefined;
    this.interval = 0;
    this.weRefresh = false;
  }
}
