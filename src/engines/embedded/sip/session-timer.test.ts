import { describe, expect, it } from 'vitest';
import { TimerWheel } from './timer-wheel.js';
import { acceptHeaders, expiryMs, parseSessionExpires, SessionTimer, timerRequest } from './session-timer.js';

function req(headers: Array<[string, string]>): { get(n: string): string | undefined; getAll(n: string): string[] } {
  const all = (n: string): string[] => headers.filter(([k]) => k.toLowerCase() === n.toLowerCase()).map(([, v]) => v);
  return { get: (n) => all(n)[0], getAll: all };
}

describe('session-timer negotiation (RFC 4028 §9)', () => {
  it('parses delta-seconds with an optional refresher, and refuses anything else', () => {
    expect(parseSessionExpires('1800')).toEqual({ interval: 1800 });
    expect(parseSessionExpires(' 90 ; REFRESHER = UAS')).toEqual({ interval: 90, refresher: 'uas' });
    expect(parseSessionExpires('1800;refresher=both')).toEqual({ interval: 1800 });
    for (const bad of ['', 'soon', '-5', '0', '1.5', '99999999999']) expect(parseSessionExpires(bad)).toBeUndefined();
  });

  it('lets a caller with the extension refresh (its choice, else uac), and refreshes itself for one without', () => {
    expect(timerRequest(req([['Session-Expires', '1800'], ['Supported', 'replaces, timer']]))).toEqual({
      kind: 'accept', interval: 1800, refresher: 'uac', uacSupports: true,
    });
    expect(timerRequest(req([['Session-Expires', '1800;refresher=uas'], ['Supported', 'timer']]))).toMatchObject({ refresher: 'uas' });
    // Without Supported: timer the caller cannot refresh, whatever a proxy wrote.
    expect(timerRequest(req([['Session-Expires', '1800;refresher=uac']]))).toMatchObject({ refresher: 'uas', uacSupports: false });
    expect(timerRequest(req([['Supported', 'timer']]))).toEqual({ kind: 'none' });
  });

  it('answers a too-short interval with 422 and our minimum, only to a caller that understands it', () => {
    expect(timerRequest(req([['Session-Expires', '60'], ['Supported', 'timer']]))).toEqual({ kind: 'too-small', minSE: 90 });
    expect(timerRequest(req([['Session-Expires', '60']]))).toEqual({ kind: 'none' });
    expect(timerRequest(req([['Session-Expires', '3'], ['Supported', 'timer']]), { minSE: 2 })).toMatchObject({ kind: 'accept' });
    expect(timerRequest(req([['Session-Expires', 'later']]))).toMatchObject({ kind: 'malformed' });
  });

  it('puts Require: timer in the 2xx only when the caller refreshes', () => {
    expect(acceptHeaders({ kind: 'accept', interval: 1800, refresher: 'uac', uacSupports: true })).toEqual({
      'Session-Expires': '1800;refresher=uac', Supported: 'timer', Require: 'timer',
    });
    expect(acceptHeaders({ kind: 'accept', interval: 1800, refresher: 'uas', uacSupports: false })).toEqual({
      'Session-Expires': '1800;refresher=uas', Supported: 'timer',
    });
  });
});

describe('SessionTimer on the stack timer wheel (manual clock)', () => {
  function wheel(): { w: TimerWheel; at: (ms: number) => void } {
    let now = 0;
    const w = new TimerWheel({ tickMs: 10, autoDrive: false, now: () => now });
    return { w, at: (ms) => { now = ms; w.advanceTo(ms); } };
  }

  it('expires at interval − min(32 s, interval/3) and refreshes at half the interval when we refresh', () => {
    expect(expiryMs(1800)).toBe(1_768_000);
    expect(expiryMs(90)).toBe(60_000);
    const { w, at } = wheel();
    const log: string[] = [];
    const t = new SessionTimer({ schedule: (ms, fn) => w.schedule(ms, fn), refresh: (i) => log.push(`refresh ${i}`), expire: () => log.push('expire') });
    t.start(90, true);
    at(44_000);
    expect(log).toEqual([]);
    at(45_100);
    expect(log).toEqual(['refresh 90']);
    // The refresh succeeded: everything starts again from now.
    t.start(90, false);
    at(45_100 + 59_000);
    expect(log).toEqual(['refresh 90']);
    at(45_100 + 60_100);
    expect(log).toEqual(['refresh 90', 'expire']);
  });

  it('stops: a refresh without Session-Expires or the end of the dialog cancels both timers', () => {
    const { w, at } = wheel();
    const log: string[] = [];
    const t = new SessionTimer({ schedule: (ms, fn) => w.schedule(ms, fn), refresh: () => log.push('refresh'), expire: () => log.push('expire') });
    t.start(90, true);
    t.stop();
    at(200_000);
    expect(log).toEqual([]);
    expect(t.interval).toBe(0);
  });
});
