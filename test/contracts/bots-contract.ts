/**
 * The Bots port contract. The harness supplies the port, a tap for the caller side (that the test can press
 * digits on), and scripted bots: the simulated engine scripts them in memory; the WebSocket engine runs a
 * local ws server speaking the protocol.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BotStreamOptions, Bots } from '../../src/ports/bots.js';
import type { AudioTap } from '../../src/ports/media.js';

/** What a scripted bot does after the stream starts (times in ms). */
export interface BotBehaviour {
  unreachable?: boolean;
  /** Send this much audio then a mark named `mark`, at `afterMs`. */
  speak?: { afterMs: number; ms: number; mark: string };
  closeAfterMs?: number;
}

/** What the bot saw: marks echoed to it and digits forwarded. */
export interface BotSeen {
  marks: string[];
  digits: string[];
}

/** A harness for one test. */
export interface BotsHarness {
  bots: Bots;
  /** A caller-side tap and a way to press digits on it. */
  tap(): { tap: AudioTap; press: (digit: string) => void };
  /** A bot URL behaving as asked, and what it saw. */
  bot(b: BotBehaviour): Promise<{ url: string; seen(): BotSeen }>;
  pass(ms: number): Promise<void>;
  settle<T>(p: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const CALL = { id: 'c-contract', direction: 'inbound', from: '+15550001', to: '+15550100', fromUri: 'sip:a@x', toUri: 'sip:b@x', domain: 'x', headers: {} } as const;

function options(url: string, extra: Partial<BotStreamOptions> = {}): BotStreamOptions {
  return { url, protocol: 'exotel', params: {}, sampleRate: 8000, encoding: 'pcm', bidirectional: true, connectTimeoutMs: 2000, maxDurationMs: 60_000, call: { ...CALL, headers: {} }, accountId: 'acct', ...extra };
}

/** Run the Bots contract. */
export function describeBotsContract(name: string, make: () => Promise<BotsHarness>): void {
  describe(`Bots contract: ${name}`, () => {
    let h: BotsHarness | undefined;
    const open = async (): Promise<BotsHarness> => (h = await make());
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('closed when the bot closes; its audio plays and the mark comes back; digits reach it', async () => {
      const x = await open();
      const bot = await x.bot({ speak: { afterMs: 50, ms: 200, mark: 'hello' }, closeAfterMs: 1500 });
      const { tap, press } = x.tap();
      const p = x.bots.stream(tap, options(bot.url));
      await x.pass(700);
      press('7');
      const r = await x.settle(p);
      expect(r.outcome).toBe('closed');
      expect(bot.seen().marks).toEqual(['hello']);
      expect(bot.seen().digits).toEqual(['7']);
      tap.close();
    });

    it('error when the bot cannot be reached', async () => {
      const x = await open();
      const bot = await x.bot({ unreachable: true });
      const { tap } = x.tap();
      expect((await x.settle(x.bots.stream(tap, options(bot.url, { connectTimeoutMs: 500 })))).outcome).toBe('error');
      tap.close();
    });

    it('timeout after maxDurationMs', async () => {
      const x = await open();
      const bot = await x.bot({});
      const { tap } = x.tap();
      expect((await x.settle(x.bots.stream(tap, options(bot.url, { maxDurationMs: 1000 })))).outcome).toBe('timeout');
      tap.close();
    });

    it('hangup when the call ends; aborted when the signal fires', async () => {
      const x = await open();
      const bot = await x.bot({});
      const one = x.tap();
      let endCall: () => void = () => undefined;
      const callEnded = new Promise<void>((r) => (endCall = r));
      const p = x.bots.stream(one.tap, options(bot.url, { callEnded }));
      await x.pass(300);
      endCall();
      expect((await x.settle(p)).outcome).toBe('hangup');
      const two = x.tap();
      const ac = new AbortController();
      const q = x.bots.stream(two.tap, options(bot.url), ac.signal);
      await x.pass(300);
      ac.abort();
      expect((await x.settle(q)).outcome).toBe('aborted');
      one.tap.close();
      two.tap.close();
    });
  });
}
