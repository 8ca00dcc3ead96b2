/**
 * The stream-to-websocket step itself, with the real WebSocket bots port and a real local bot: the rate the
 * tap is opened at agrees with what `start` announces, credentials never reach traces, and an empty bearer
 * token sends no Authorization header.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWsBots } from '../../src/bots/index.js';
import type { CallLeg } from '../../src/ports/index.js';
import { redact, stripUrlCredentials } from '../../src/runtime/trace.js';
import type { StepContext, StepTraceEvent } from '../../src/runtime/step-context.js';
import { run } from '../../src/steps/stream-to-websocket.js';
import { startTestBot, type TestBot } from './bot-server.js';
import { ManualTap } from './manual-tap.js';

const call = { id: 'CA9', direction: 'inbound' as const, from: '+15550001', to: '+15550100', fromUri: 'sip:+15550001@x', toUri: 'sip:+15550100@y', domain: 'y', headers: {} };
const range = { file: 'bot.flow', start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

/** A pino logger writing JSON lines into `lines`. */
function capturingLog(lines: Array<Record<string, unknown>>): pino.Logger {
  return pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
}

interface StepRig {
  ctx: StepContext;
  taps: ManualTap[];
  traces: StepTraceEvent[];
  logs: Array<Record<string, unknown>>;
}

/** A step context over the real bots port; the media port hands out manual taps at the rate asked. */
function rig(args: Record<string, unknown>): StepRig {
  const taps: ManualTap[] = [];
  const traces: StepTraceEvent[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const leg = { info: call, state: 'answered', ended: new Promise(() => undefined) } as unknown as CallLeg;
  const media = {
    tap: (_leg: CallLeg, o: { sampleRate: number }) => {
      const t = new ManualTap(o.sampleRate);
      taps.push(t);
      return t;
    },
  };
  const ctx = {
    step: 'stream-to-websocket',
    range,
    args: { protocol: 'exotel', 'sample-rate': '8000', encoding: 'pcm', bidirectional: true, 'connect-timeout': 2000, 'max-duration': 60_000, ...args },
    argExprs: {},
    evaluate: () => undefined,
    call: leg,
    ports: { media, bots: createWsBots({ log: capturingLog(logs) }) },
    sessions: {},
    flowDir: '/',
    signal: new AbortController().signal,
    trace: (e: StepTraceEvent) => void traces.push(e),
  } as unknown as StepContext;
  return { ctx, taps, traces, logs };
}

let bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.map((b) => b.close()));
  bots = [];
});
const newBot = async (): Promise<TestBot> => {
  const b = await startTestBot();
  bots.push(b);
  return b;
};

describe('stream-to-websocket sample rate', () => {
  it('twilio with sample-rate 16000 opens the tap at 8000, announces 8000, sends 160-byte frames, warns once', async () => {
    const bot = await newBot();
    const r = rig({ url: bot.url, protocol: 'twilio', 'sample-rate': '16000' });
    const done = run(r.ctx);
    const ws = await bot.nextSocket();
    const start = await bot.waitFor((m) => m.event === 'start');
    expect((start.start as { mediaFormat: unknown }).mediaFormat).toMatchObject({ encoding: 'audio/x-mulaw', sampleRate: 8000 });
    expect(r.taps.map((t) => t.sampleRate)).toEqual([8000]);
    r.taps[0]?.speak(new Int16Array(160).fill(300));
    const media = await bot.waitFor((m) => m.event === 'media');
    expect(Buffer.from((media.media as { payload: string }).payload, 'base64')).toHaveLength(160);
    ws.close(1000, 'bye');
    expect((await done).outcome).toBe('closed');
    const warnings = r.logs.filter((l) => typeof l.msg === 'string' && l.msg.includes('sample-rate 16000 ignored'));
    expect(warnings).toHaveLength(1);
  });

  it('exotel µ-law with sample-rate 24000 opens the tap at 8000 and announces 8000', async () => {
    const bot = await newBot();
    const r = rig({ url: bot.url, encoding: 'mulaw', 'sample-rate': '24000' });
    const done = run(r.ctx);
    const ws = await bot.nextSocket();
    const start = await bot.waitFor((m) => m.event === 'start');
    expect((start.start as { media_format: unknown }).media_format).toMatchObject({ encoding: 'audio/x-mulaw', sample_rate: '8000' });
    expect(r.taps.map((t) => t.sampleRate)).toEqual([8000]);
    ws.close(1000);
    expect((await done).outcome).toBe('closed');
    expect(r.logs.filter((l) => typeof l.msg === 'string' && l.msg.includes('ignored'))).toHaveLength(1);
  });

  it('exotel PCM keeps the rate asked for, without a warning', async () => {
    const bot = await newBot();
    const r = rig({ url: bot.url, 'sample-rate': '16000' });
    const done = run(r.ctx);
    const ws = await bot.nextSocket();
    const start = await bot.waitFor((m) => m.event === 'start');
    expect((start.start as { media_format: unknown }).media_format).toMatchObject({ encoding: 'audio/x-raw', sample_rate: '16000' });
    expect(r.taps.map((t) => t.sampleRate)).toEqual([16000]);
    ws.close(1000);
    await done;
    expect(r.logs.filter((l) => l.level === 40)).toEqual([]);
  });
});

describe('stream-to-websocket with an Exotel URL query', () => {
  it("without a sample-rate argument, the URL's sample-rate is used and its other parameters reach start", async () => {
    const bot = await newBot();
    const r = rig({ url: `${bot.url}?sample-rate=16000&lang=hi`, 'sample-rate': undefined, params: { campaign: 'c1' } });
    const done = run(r.ctx);
    const ws = await bot.nextSocket();
    const start = (await bot.waitFor((m) => m.event === 'start')).start as Record<string, unknown>;
    expect(start.media_format).toMatchObject({ sample_rate: '16000' });
    expect(start.custom_parameters).toEqual({ lang: 'hi', campaign: 'c1' });
    expect(r.taps.map((t) => t.sampleRate)).toEqual([16000]);
    ws.close(1000);
    expect((await done).outcome).toBe('closed');
  });

  it("the step's own sample-rate and params win over the URL's", async () => {
    const bot = await newBot();
    const r = rig({ url: `${bot.url}?sample-rate=24000&lang=hi`, 'sample-rate': '8000', params: { lang: 'en' } });
    const done = run(r.ctx);
    const ws = await bot.nextSocket();
    const start = (await bot.waitFor((m) => m.event === 'start')).start as Record<string, unknown>;
    expect(start.media_format).toMatchObject({ sample_rate: '8000' });
    expect(start.custom_parameters).toEqual({ lang: 'en' });
    ws.close(1000);
    expect((await done).outcome).toBe('closed');
  });
});

describe('stream-to-websocket credentials', () => {
  it('keeps user:password out of traces but sends them as Basic auth', async () => {
    const bot = await newBot();
    const url = bot.url.replace('ws://', 'ws://key:s3cret@');
    const r = rig({ url });
    const done = run(r.ctx);
    const ws = await bot.nextSocket();
    await bot.waitFor((m) => m.event === 'start');
    ws.close(1000);
    await done;
    expect(bot.upgrades[0]?.authorization).toBe(`Basic ${Buffer.from('key:s3cret').toString('base64')}`);
    const urls = r.traces.map((t) => t.url);
    expect(urls).toEqual([bot.url, bot.url]);
    expect(JSON.stringify(r.traces)).not.toContain('s3cret');
    expect(JSON.stringify(r.logs)).not.toContain('s3cret');
  });

  it('keeps credentials out of the error detail when the bot is unreachable', async () => {
    const bot = await newBot();
    await bot.close();
    const r = rig({ url: bot.url.replace('ws://', 'ws://key:s3cret@') });
    expect((await run(r.ctx)).outcome).toBe('error');
    expect(JSON.stringify(r.traces)).toContain('could not connect');
    expect(JSON.stringify(r.traces)).not.toContain('s3cret');
    expect(JSON.stringify(r.logs)).not.toContain('s3cret');
  });

  it('redact strips credentials from values under url-like keys (step.start args)', () => {
    const args = { url: 'wss://key:tok@bot.example/v1?x=1', 'callback-url': 'https://u:p@h/cb', targets: ['sip:a@b'], webhookUrls: ['https://a:b@c/d', 'https://plain/e'], note: 'wss://k:t@x/' };
    const out = redact(args) as Record<string, unknown>;
    expect(out.url).toBe('wss://bot.example/v1?x=1');
    expect(out['callback-url']).toBe('https://h/cb');
    expect(out.webhookUrls).toEqual(['https://c/d', 'https://plain/e']);
    expect(out.targets).toBe(args.targets);
    // Any value that is a URL with a password loses it too (a variable set from a credentialed config value);
    // other strings, and a URL with a user but no password, stay as they are.
    expect(out.note).toBe('wss://x/');
    expect(redact('https://u:p@h/x')).toBe('https://h/x');
    expect(redact({ value: ['ws://a:b@c/', 'plain'] })).toEqual({ value: ['ws://c/', 'plain'] });
    for (const keep of ['sip:alice@example.com', 'https://user@host/', 'not a url: a:b@c']) expect(redact(keep)).toBe(keep);
    expect(args.url).toContain('key:tok@');
    expect(redact({ url: 'wss://bot.example/v1' })).toEqual({ url: 'wss://bot.example/v1' });
    expect(stripUrlCredentials('wss://k:p%40ss@host:9/a@b')).toBe('wss://host:9/a@b');
  });
});

describe('stream-to-websocket bearer', () => {
  it("an empty bearer ('') sends no Authorization header; a URL's credentials still do", async () => {
    const bot = await newBot();
    for (const url of [bot.url, bot.url.replace('ws://', 'ws://key:tok@')]) {
      const r = rig({ url, bearer: '' });
      const done = run(r.ctx);
      const ws = await bot.nextSocket();
      await bot.waitFor((m) => m.event === 'start');
      ws.close(1000);
      await done;
      bot.messages.length = 0;
    }
    expect(bot.upgrades[0]?.authorization).toBeUndefined();
    expect(bot.upgrades[1]?.authorization).toBe(`Basic ${Buffer.from('key:tok').toString('base64')}`);
  });

  it('a non-empty bearer is sent', async () => {
    const bot = await newBot();
    const r = rig({ url: bot.url, bearer: 'abc' });
    const done = run(r.ctx);
    const ws = await bot.nextSocket();
    await bot.waitFor((m) => m.event === 'start');
    ws.close(1000);
    await done;
    expect(bot.upgrades[0]?.authorization).toBe('Bearer abc');
  });
});
