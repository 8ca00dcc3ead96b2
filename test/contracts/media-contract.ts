/**
 * The Media port contract. The harness gives an answered call whose far end can press keys and hang up,
 * and a way to let time pass. Durations of prompts are engine-specific, so the contract uses short silence
 * and checks ordering and results, not exact times.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallLeg } from '../../src/ports/call-control.js';
import type { DigitEvent, Media } from '../../src/ports/media.js';

/** An answered call and its far end. */
export interface MediaCall {
  leg: CallLeg;
  /** The far end presses `keys`, `gapMs` apart (default 150). */
  press(keys: string, gapMs?: number): Promise<void>;
  hangup(): Promise<void>;
}

/** A harness for one test. */
export interface MediaHarness {
  media: Media;
  call(): Promise<MediaCall>;
  pass(ms: number): Promise<void>;
  settle<T>(p: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Run the Media contract. */
export function describeMediaContract(name: string, make: () => Promise<MediaHarness>): void {
  describe(`Media contract: ${name}`, () => {
    let h: MediaHarness | undefined;
    const open = async (): Promise<MediaHarness> => (h = await make());
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });
    const silence = (ms: number) => [{ kind: 'silence' as const, ms }];

    it('plays to the end', async () => {
      const x = await open();
      const c = await x.call();
      expect(await x.settle(x.media.play(c.leg, silence(200), { bargeIn: false }))).toEqual({ reason: 'done' });
    });

    it('barge-in: a key stops the play and is returned', async () => {
      const x = await open();
      const c = await x.call();
      const p = x.media.play(c.leg, silence(5000), { bargeIn: true });
      await x.pass(200);
      await c.press('4');
      expect(await x.settle(p)).toEqual({ reason: 'barge-in', digit: '4' });
    });

    it('aborting a play rejects promptly', async () => {
      const x = await open();
      const c = await x.call();
      const ac = new AbortController();
      const p = x.media.play(c.leg, silence(30_000), { bargeIn: false }, ac.signal);
      p.catch(() => undefined);
      await x.pass(100);
      ac.abort(new Error('stop'));
      await expect(x.settle(p)).rejects.toBeDefined();
    });

    it('waitForDigit: an accepted key, keys outside accept ignored, null on timeout', async () => {
      const x = await open();
      const c = await x.call();
      const p = x.media.waitForDigit(c.leg, { accept: '12', timeoutMs: 5000 });
      await x.pass(100);
      await c.press('92');
      expect((await x.settle(p))?.digit).toBe('2');
      expect(await x.settle(x.media.waitForDigit(c.leg, { timeoutMs: 300 }))).toBeNull();
    });

    it('collect: ends on the terminator (not included)', async () => {
      const x = await open();
      const c = await x.call();
      const p = x.media.collect(c.leg, { minDigits: 1, maxDigits: 8, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
      await x.pass(100);
      await c.press('123#');
      expect(await x.settle(p)).toEqual({ digits: '123', reason: 'terminator', terminator: '#' });
    });

    it('collect: complete at maxDigits; timeout keeps the partial digits', async () => {
      const x = await open();
      const c = await x.call();
      const p = x.media.collect(c.leg, { minDigits: 1, maxDigits: 2, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
      await x.pass(100);
      await c.press('789');
      expect(await x.settle(p)).toMatchObject({ digits: '78', reason: 'complete' });
      const q = x.media.collect(c.leg, { minDigits: 4, maxDigits: 8, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 400 });
      await x.pass(100);
      await c.press('5');
      const r = await x.settle(q);
      expect(r.reason).toBe('timeout');
      expect(r.digits).toMatch(/5$/);
    });

    it('collect with a prompt: keys during the prompt count and stop it', async () => {
      const x = await open();
      const c = await x.call();
      const p = x.media.collect(c.leg, { prompt: silence(10_000), bargeIn: true, minDigits: 1, maxDigits: 4, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
      await x.pass(200);
      await c.press('42#');
      expect(await x.settle(p)).toMatchObject({ digits: '42', reason: 'terminator' });
    });

    it('onDigit observes keys until unsubscribed', async () => {
      const x = await open();
      const c = await x.call();
      const seen: DigitEvent[] = [];
      const off = x.media.onDigit(c.leg, (e) => seen.push(e));
      await c.press('1');
      await x.pass(100);
      off();
      await c.press('2');
      await x.pass(100);
      expect(seen.map((e) => e.digit)).toEqual(['1']);
    });

    it('joinChannel: left when the channel is kicked; ended when the leg hangs up', async () => {
      const x = await open();
      const a = await x.call();
      const b = await x.call();
      const ja = x.media.joinChannel(a.leg, 'room-contract', { muted: false, beep: false });
      const jb = x.media.joinChannel(b.leg, 'room-contract', { muted: true, beep: false });
      await x.pass(100);
      await b.hangup();
      expect(await x.settle(jb)).toBe('ended');
      expect(await x.settle(x.media.kickChannel('room-contract'))).toBe(1);
      expect(await x.settle(ja)).toBe('left');
      expect(await x.settle(x.media.kickChannel('room-contract'))).toBe(0);
    });

    it('record ends on the terminator with a duration', async () => {
      const x = await open();
      const c = await x.call();
      const p = x.media.record(c.leg, { file: `/tmp/callflow-contract-${process.pid}.wav`, maxDurationMs: 10_000, mode: 'caller', terminators: '#', beep: false });
      await x.pass(500);
      await c.press('#');
      const r = await x.settle(p);
      expect(r.reason).toBe('terminator');
      expect(r.durationMs).toBeGreaterThan(0);
    });

    it('a tap plays queued audio and fires marks after it; clear returns pending marks', async () => {
      const x = await open();
      const c = await x.call();
      const tap = x.media.tap(c.leg, { sampleRate: 8000 });
      const marks: string[] = [];
      tap.onMark((m) => marks.push(m));
      tap.enqueue(new Int16Array(8000 * 0.2));
      tap.mark('one');
      await x.pass(50);
      expect(marks).toEqual([]);
      await x.pass(400);
      expect(marks).toEqual(['one']);
      tap.enqueue(new Int16Array(8000 * 2));
      tap.mark('two');
      expect(tap.clear()).toEqual(['two']);
      await x.pass(300);
      expect(marks).toEqual(['one']);
      tap.close();
    });

    it('operations settle promptly when the far end hangs up', async () => {
      const x = await open();
      const c = await x.call();
      const p = x.media.collect(c.leg, { minDigits: 1, maxDigits: 4, terminators: '#', firstDigitTimeoutMs: 60_000, interDigitTimeoutMs: 60_000 });
      const q = x.media.play(c.leg, silence(60_000), { bargeIn: false });
      const settled = Promise.allSettled([p, q]);
      await x.pass(100);
      await c.hangup();
      const results = await x.settle(settled);
      expect(results).toHaveLength(2);
    });
  });
}
