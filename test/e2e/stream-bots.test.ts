/**
 * The example bots (examples/bots/*.ts), run as real processes and driven by our real WebSocket bot client
 * (createWsBots) through a hand-driven tap: echo comes back intact, marks are reported only after playout,
 * digits get a clear and an answer, `#` makes the DTMF bot hang up, a caller hangup reaches the bot as stop.
 */
import { spawnSync } from 'node:child_process';
import alawmulaw from 'alawmulaw';
import pino from 'pino';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createWsBots } from '../../src/bots/index.js';
import type { BotStreamOptions } from '../../src/ports/index.js';
import { ManualTap } from '../bots/manual-tap.js';
import { startBotProcess, type BotProcess } from './stream-bot-process.js';

const log = pino({ level: 'silent' });
const call = { id: 'CA77', direction: 'inbound' as const, from: '+15550001', to: '+15550100', fromUri: 'sip:+15550001@x', toUri: 'sip:+15550100@y', domain: 'y', headers: {} };

/** The manual tap, also counting clears (the bot's barge-in). */
class CountingTap extends ManualTap {
  clears = 0;
  override clear(): string[] {
    this.clears++;
    return super.clear();
  }
}

function options(url: string, over: Partial<BotStreamOptions> = {}): BotStreamOptions {
  return { url, protocol: 'exotel', params: { lang: 'en', campaign: 'spring' }, sampleRate: 8000, encoding: 'pcm', bidirectional: true, connectTimeoutMs: 2000, maxDurationMs: 60_000, call, accountId: 'AC9', ...over };
}

/** 20 ms frames with distinct, recognisable samples. */
const frames = (count: number, size: number): Int16Array[] => Array.from({ length: count }, (_, f) => Int16Array.from({ length: size }, (_, i) => ((f * size + i) * 37) % 20000 - 10000));

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let procs: BotProcess[] = [];
const bot = async (name: 'echo-bot' | 'dtmf-bot', args: string[]): Promise<BotProcess> => {
  const p = await startBotProcess(name, args);
  procs.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  procs = [];
});

describe('echo bot', () => {
  it('exotel: echoes 16-bit PCM intact in 200 ms chunks and reports each mark only after playout', async () => {
    const b = await bot('echo-bot', ['--protocol', 'exotel']);
    const tap = new CountingTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(b.url), ac.signal);
    await b.waitForLine(/start exotel pcm 8000 Hz call CA77 params \{"lang":"en","campaign":"spring"\}/);
    const sent = frames(10, 160);
    for (const f of sent) tap.speak(f);
    await until(() => tap.received.length >= 1600, 'the echo');
    expect(tap.received).toEqual(sent.flatMap((f) => [...f]));
    await new Promise((r) => setTimeout(r, 100));
    expect(b.lines.some((l) => l.includes('mark played: echo-1'))).toBe(false);
    tap.playAll();
    await b.waitForLine(/mark played: echo-1$/);
    ac.abort();
    expect((await done).outcome).toBe('aborted');
    await b.waitForLine(/stop stopped/);
  });

  it('exotel at 16 kHz: the bot reads the rate from start and echoes 3,200-sample chunks', async () => {
    const b = await bot('echo-bot', []);
    const tap = new CountingTap(16000);
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(b.url, { sampleRate: 16000 }), ac.signal);
    await b.waitForLine(/start exotel pcm 16000 Hz/);
    const sent = frames(10, 320);
    for (const f of sent) tap.speak(f);
    await until(() => tap.received.length >= 3200, 'the echo');
    expect(tap.received).toEqual(sent.flatMap((f) => [...f]));
    ac.abort();
    await done;
  });

  it('twilio: echoes µ-law 20 ms frames (equal to a µ-law round trip of what was said)', async () => {
    const b = await bot('echo-bot', ['--protocol', 'twilio']);
    const tap = new CountingTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(b.url, { protocol: 'twilio' }), ac.signal);
    await b.waitForLine(/start twilio mulaw 8000 Hz call CA77 params \{"lang":"en","campaign":"spring"\}/);
    const sent = frames(3, 160);
    for (const f of sent) tap.speak(f);
    await until(() => tap.received.length >= 480, 'the echo');
    const expected = sent.flatMap((f) => [...alawmulaw.mulaw.decode(alawmulaw.mulaw.encode(f))]);
    expect(tap.received).toEqual(expected);
    tap.playAll();
    await b.waitForLine(/mark played: echo-3$/);
    tap.press('7');
    await until(() => tap.clears === 1, 'the clear answering a digit');
    ac.abort();
    await done;
  });
});

describe('dtmf bot', () => {
  it('exotel: greets, answers a digit with clear + a tone + a mark, and does not echo the dropped mark', async () => {
    const b = await bot('dtmf-bot', ['--protocol', 'exotel']);
    const tap = new CountingTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(b.url), ac.signal);
    await until(() => tap.received.length === 8000, 'the 1 s greeting');
    tap.press('5');
    await b.waitForLine(/dtmf 5$/);
    await until(() => tap.received.length === 8000 + 3200, 'the 400 ms answer');
    expect(tap.clears).toBe(1);
    expect(tap.pendingSamples()).toBe(3200);
    tap.playAll();
    await b.waitForLine(/mark played: digit-5$/);
    expect(b.lines.some((l) => l.includes('mark played: greeting'))).toBe(false);
    ac.abort();
    await done;
  });

  it('twilio: clear echoes the pending greeting mark at once', async () => {
    const b = await bot('dtmf-bot', ['--protocol', 'twilio']);
    const tap = new CountingTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(b.url, { protocol: 'twilio' }), ac.signal);
    await until(() => tap.received.length === 8000, 'the greeting');
    tap.press('3');
    await b.waitForLine(/mark played: greeting$/);
    expect(tap.clears).toBe(1);
    ac.abort();
    await done;
  });

  it('# says goodbye, and once it has played the bot closes the socket: the stream ends closed', async () => {
    const b = await bot('dtmf-bot', []);
    const tap = new CountingTap();
    const done = createWsBots({ log }).stream(tap, options(b.url));
    await until(() => tap.received.length === 8000, 'the greeting');
    tap.press('#');
    await until(() => tap.received.length === 8000 + 1600, 'the goodbye');
    tap.playAll();
    const res = await done;
    expect(res.outcome).toBe('closed');
    expect(res.detail).toContain('1000 goodbye');
  });

  it('a caller hangup reaches the bot as stop with reason callended', async () => {
    const b = await bot('dtmf-bot', []);
    const tap = new CountingTap();
    let hangup: () => void = () => undefined;
    const callEnded = new Promise<void>((r) => (hangup = r));
    const done = createWsBots({ log }).stream(tap, options(b.url, { callEnded }));
    await until(() => tap.received.length === 8000, 'the greeting');
    hangup();
    expect((await done).outcome).toBe('hangup');
    await b.waitForLine(/stop callended$/);
  });
});

describe('bot auth (--auth)', () => {
  it('accepts Bearer and Basic credentials on the upgrade and refuses a client without them', async () => {
    const bearer = await bot('echo-bot', ['--auth', 's3cret']);
    const ok = new AbortController();
    const okDone = createWsBots({ log }).stream(new CountingTap(), options(bearer.url, { auth: { bearer: 's3cret' } }), ok.signal);
    await bearer.waitForLine(/start exotel/);
    ok.abort();
    expect((await okDone).outcome).toBe('aborted');
    const refused = await createWsBots({ log }).stream(new CountingTap(), options(bearer.url, { auth: { bearer: 'wrong' } }));
    expect(refused.outcome).toBe('error');
    expect(refused.detail).toContain('HTTP 401');
    await bearer.waitForLine(/refused an upgrade/);

    const basic = await bot('dtmf-bot', ['--auth', 'exotel:key']);
    const url = basic.url.replace('ws://', 'ws://exotel:key@');
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(new CountingTap(), options(url), ac.signal);
    await basic.waitForLine(/start exotel/);
    ac.abort();
    await done;
    expect((await createWsBots({ log }).stream(new CountingTap(), options(basic.url))).outcome).toBe('error');
  });
});

describe('bot robustness', () => {
  it('garbage, binary frames and unknown events are logged and ignored; the bot keeps serving', async () => {
    const b = await bot('echo-bot', []);
    const ws = new WebSocket(b.url);
    await new Promise((r) => ws.once('open', r));
    ws.send('not json');
    ws.send(Buffer.from([1, 2, 3]));
    ws.send(JSON.stringify({ event: 'bogus' }));
    ws.send(JSON.stringify({ event: 'media', media: {} }));
    ws.send(JSON.stringify([1, 2]));
    await b.waitForLine(/ignoring a message without an event/);
    expect(b.lines.filter((l) => l.includes('ignoring')).length).toBeGreaterThanOrEqual(4);
    ws.close();
    const tap = new CountingTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(b.url), ac.signal);
    await b.waitForLine(/start exotel/);
    ac.abort();
    await done;
  });

  it('bad command-line options exit with status 2 and the usage', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/bots/echo-bot.ts', '--protocol', 'sip'], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: npx tsx examples/bots/echo-bot.ts');
  });
});
