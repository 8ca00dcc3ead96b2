/**
 * stream-to-websocket protocol conformance over real WebSockets: message shapes (field names, numbers as
 * strings), sequence and chunk numbering, marks, clear, DTMF, lifecycle and failure handling.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWsBots } from '../../src/bots/index.js';
import { pcmToBase64, pcmToMulawBase64 } from '../../src/bots/audio-codec.js';
import type { BotStreamOptions, BotStreamResult } from '../../src/ports/index.js';
import { startTestBot, type TestBot } from './bot-server.js';
import { ManualTap } from './manual-tap.js';

const log = pino({ level: 'silent' });
const call = { id: 'CA123', direction: 'inbound' as const, from: '+15550001', to: '+15550100', fromUri: 'sip:+15550001@x', toUri: 'sip:+15550100@y', domain: 'y', headers: {} };

function options(url: string, over: Partial<BotStreamOptions> = {}): BotStreamOptions {
  return {
    url,
    protocol: 'exotel',
    params: { lang: 'en' },
    sampleRate: 8000,
    encoding: 'pcm',
    bidirectional: true,
    connectTimeoutMs: 1000,
    maxDurationMs: 60_000,
    call,
    accountId: 'AC1',
    ...over,
  };
}

const tone = (n: number, v = 1000): Int16Array => Int16Array.from({ length: n }, (_, i) => (i % 2 ? v : -v));

let bots: TestBot[] = [];
const newBot = async (opts?: { reject?: number }): Promise<TestBot> => {
  const b = await startTestBot(opts);
  bots.push(b);
  return b;
};
afterEach(async () => {
  await Promise.all(bots.map((b) => b.close()));
  bots = [];
});

describe('exotel protocol', () => {
  it('sends connected, start and media with string numbers and snake_case fields', async () => {
    const bot = await newBot();
    const tap = new ManualTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(bot.url), ac.signal);
    await bot.waitFor((m) => m.event === 'start');
    tap.speak(tone(160));
    tap.speak(tone(160));
    await bot.waitFor((m) => m.event === 'media' && (m.media as { chunk: string }).chunk === '2');
    ac.abort();
    await done;
    const [connected, start, m1, m2] = bot.messages;
    expect(connected).toEqual({ event: 'connected' });
    expect(start).toMatchObject({
      event: 'start',
      sequence_number: '1',
      start: {
        call_sid: 'CA123',
        account_sid: 'AC1',
        from: '+15550001',
        to: '+15550100',
        custom_parameters: { lang: 'en' },
        media_format: { encoding: 'audio/x-raw', sample_rate: '8000', bit_rate: '16' },
      },
    });
    const sid = (start as { stream_sid: string }).stream_sid;
    expect(typeof sid).toBe('string');
    expect((start as { start: { stream_sid: string } }).start.stream_sid).toBe(sid);
    for (const [i, m] of [m1, m2].entries()) {
      expect(m).toMatchObject({ event: 'media', sequence_number: String(i + 2), stream_sid: sid, media: { chunk: String(i + 1) } });
      const media = (m as { media: { timestamp: unknown; payload: string } }).media;
      expect(typeof media.timestamp).toBe('string');
      expect(Buffer.from(media.payload, 'base64')).toHaveLength(320);
    }
    expect((m1 as { media: { payload: string } }).media.payload).toBe(pcmToBase64(tone(160)));
  });

  it('plays bot media, echoes marks only after playout, and does not echo marks on clear', async () => {
    const bot = await newBot();
    const tap = new ManualTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(bot.url), ac.signal);
    const ws = await bot.nextSocket();
    const start = await bot.waitFor((m) => m.event === 'start');
    const sid = start.stream_sid as string;
    // Exotel's helpers key by streamSid: accepted too. Odd sizes are fine; the tap re-chunks.
    ws.send(JSON.stringify({ event: 'media', streamSid: sid, media: { payload: pcmToBase64(tone(500)) } }));
    ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'after-hello' } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(tap.received).toHaveLength(500);
    expect(bot.messages.some((m) => m.event === 'mark')).toBe(false);
    tap.playAll();
    const mark = await bot.waitFor((m) => m.event === 'mark');
    expect(mark).toMatchObject({ stream_sid: sid, mark: { name: 'after-hello' } });
    expect(typeof mark.sequence_number).toBe('string');

    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(tone(3200)) } }));
    ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'dropped' } }));
    ws.send(JSON.stringify({ event: 'clear', stream_sid: sid }));
    await new Promise((r) => setTimeout(r, 100));
    expect(tap.pendingSamples()).toBe(0);
    expect(bot.messages.filter((m) => m.event === 'mark')).toHaveLength(1);
    ac.abort();
    await done;
  });

  it('forwards DTMF and sends stop with reason callended when the caller hangs up', async () => {
    const bot = await newBot();
    const tap = new ManualTap();
    let hangup: () => void = () => undefined;
    const callEnded = new Promise<void>((r) => (hangup = r));
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(bot.url, { callEnded }), ac.signal);
    await bot.waitFor((m) => m.event === 'start');
    tap.press('5', 140);
    const dtmf = await bot.waitFor((m) => m.event === 'dtmf');
    expect(dtmf).toMatchObject({ dtmf: { digit: '5', duration: '140' } });
    hangup();
    ac.abort();
    const result = await done;
    expect(result.outcome).toBe('hangup');
    const stop = await bot.waitFor((m) => m.event === 'stop');
    expect(stop).toMatchObject({ stop: { call_sid: 'CA123', account_sid: 'AC1', reason: 'callended' } });
  });

  it('reports 16 kHz and µ-law media formats when asked', async () => {
    for (const [over, format] of [
      [{ sampleRate: 16000 as const }, { encoding: 'audio/x-raw', sample_rate: '16000' }],
      [{ encoding: 'mulaw' as const }, { encoding: 'audio/x-mulaw', sample_rate: '8000' }],
    ] as const) {
      const bot = await newBot();
      const ac = new AbortController();
      const done = createWsBots({ log }).stream(new ManualTap(over.sampleRate ?? 8000), options(bot.url, over), ac.signal);
      const start = await bot.waitFor((m) => m.event === 'start');
      expect((start.start as { media_format: unknown }).media_format).toMatchObject(format);
      ac.abort();
      await done;
    }
  });

  it('survives bad JSON, unknown events, binary frames and wrong stream ids', async () => {
    const bot = await newBot();
    const tap = new ManualTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(bot.url), ac.signal);
    const ws = await bot.nextSocket();
    const start = await bot.waitFor((m) => m.event === 'start');
    ws.send('{not json');
    ws.send(JSON.stringify({ event: 'dance' }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(JSON.stringify({ event: 'media', stream_sid: 'someone-else', media: { payload: pcmToBase64(tone(160)) } }));
    ws.send(JSON.stringify({ event: 'media', stream_sid: start.stream_sid, media: { payload: '@@@' } }));
    ws.send(JSON.stringify({ event: 'media', stream_sid: start.stream_sid, media: { payload: pcmToBase64(tone(160)) } }));
    await new Promise((r) => setTimeout(r, 150));
    expect(tap.received).toHaveLength(160);
    tap.speak(tone(160));
    await bot.waitFor((m) => m.event === 'media');
    ac.abort();
    expect((await done).outcome).toBe('aborted');
  });
});

describe('twilio protocol', () => {
  it('sends camelCase messages with µ-law 20 ms frames and string counters', async () => {
    const bot = await newBot();
    const tap = new ManualTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(bot.url, { protocol: 'twilio' }), ac.signal);
    await bot.waitFor((m) => m.event === 'start');
    tap.speak(tone(160));
    tap.press('#');
    await bot.waitFor((m) => m.event === 'dtmf');
    ac.abort();
    await done;
    await bot.waitFor((m) => m.event === 'stop');
    const [connected, start, media, dtmf, stop] = bot.messages;
    expect(connected).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    const sid = (start as { streamSid: string }).streamSid;
    expect(start).toMatchObject({
      event: 'start',
      sequenceNumber: '1',
      start: { streamSid: sid, accountSid: 'AC1', callSid: 'CA123', tracks: ['inbound'], customParameters: { lang: 'en' }, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
    });
    expect(media).toMatchObject({ event: 'media', sequenceNumber: '2', streamSid: sid, media: { track: 'inbound', chunk: '1' } });
    expect(Buffer.from((media as { media: { payload: string } }).media.payload, 'base64')).toHaveLength(160);
    expect(dtmf).toMatchObject({ event: 'dtmf', sequenceNumber: '3', streamSid: sid, dtmf: { track: 'inbound_track', digit: '#' } });
    expect(stop).toMatchObject({ event: 'stop', sequenceNumber: '4', streamSid: sid, stop: { accountSid: 'AC1', callSid: 'CA123' } });
  });

  it('clear drops queued audio and echoes every pending mark at once', async () => {
    const bot = await newBot();
    const tap = new ManualTap();
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(tap, options(bot.url, { protocol: 'twilio' }), ac.signal);
    const ws = await bot.nextSocket();
    const start = await bot.waitFor((m) => m.event === 'start');
    const streamSid = start.streamSid as string;
    ws.send(JSON.stringify({ event: 'media', streamSid, media: { payload: pcmToMulawBase64(tone(1600)) } }));
    ws.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: 'm1' } }));
    ws.send(JSON.stringify({ event: 'media', streamSid, media: { payload: pcmToMulawBase64(tone(1600)) } }));
    ws.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: 'm2' } }));
    ws.send(JSON.stringify({ event: 'clear', streamSid }));
    await bot.waitFor((m) => m.event === 'mark' && (m.mark as { name: string }).name === 'm2');
    expect(bot.messages.filter((m) => m.event === 'mark').map((m) => (m.mark as { name: string }).name)).toEqual(['m1', 'm2']);
    expect(tap.pendingSamples()).toBe(0);
    ac.abort();
    await done;
  });
});

describe('bot stream lifecycle', () => {
  it('ends with closed when the bot closes the socket', async () => {
    const bot = await newBot();
    const done = createWsBots({ log }).stream(new ManualTap(), options(bot.url), new AbortController().signal);
    const ws = await bot.nextSocket();
    await bot.waitFor((m) => m.event === 'start');
    ws.close(1000, 'bye');
    const res: BotStreamResult = await done;
    expect(res.outcome).toBe('closed');
    expect(res.detail).toMatch(/1000 bye/);
  });

  it('gives error after one retry when the bot is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const res = await createWsBots({ log }).stream(new ManualTap(), options(`ws://127.0.0.1:${port}/gone`), new AbortController().signal);
    expect(res.outcome).toBe('error');
    expect(res.detail).toMatch(/2 attempts/);
  });

  it('gives error when the bot refuses the upgrade, having tried twice', async () => {
    const bot = await newBot({ reject: 403 });
    const res = await createWsBots({ log }).stream(new ManualTap(), options(bot.url), new AbortController().signal);
    expect(res.outcome).toBe('error');
    expect(res.detail).toMatch(/HTTP 403/);
    expect(bot.upgrades).toHaveLength(2);
  });

  it('sends Basic credentials from the URL and Bearer tokens on the upgrade', async () => {
    const bot = await newBot();
    const url = bot.url.replace('ws://', 'ws://key:tok%40en@');
    let ac = new AbortController();
    let done = createWsBots({ log }).stream(new ManualTap(), options(url), ac.signal);
    await bot.waitFor((m) => m.event === 'start');
    ac.abort();
    await done;
    expect(bot.upgrades[0]?.authorization).toBe(`Basic ${Buffer.from('key:tok@en').toString('base64')}`);
    ac = new AbortController();
    done = createWsBots({ log }).stream(new ManualTap(), options(bot.url, { auth: { bearer: 'abc' } }), ac.signal);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await done;
    expect(bot.upgrades[1]?.authorization).toBe('Bearer abc');
  });

  it('resolves the bot URL from an https-style endpoint answering {url}', async () => {
    const bot = await newBot();
    const resolver = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: bot.url })));
    await new Promise<void>((r) => resolver.listen(0, '127.0.0.1', r));
    const port = (resolver.address() as AddressInfo).port;
    const ac = new AbortController();
    const done = createWsBots({ log }).stream(new ManualTap(), options(`http://127.0.0.1:${port}/which-bot`), ac.signal);
    await bot.waitFor((m) => m.event === 'start');
    ac.abort();
    expect((await done).outcome).toBe('aborted');
    await new Promise<void>((r) => resolver.close(() => r()));
  });

  it('ends with timeout at max duration, telling the bot stop', async () => {
    const bot = await newBot();
    const res = await createWsBots({ log }).stream(new ManualTap(), options(bot.url, { maxDurationMs: 200 }), new AbortController().signal);
    expect(res.outcome).toBe('timeout');
    expect(await bot.waitFor((m) => m.event === 'stop')).toMatchObject({ stop: { reason: 'stopped' } });
  });

  it('treats a bot that stops answering pings as dead', async () => {
    const bot = await newBot();
    const done = createWsBots({ log, pingIntervalMs: 100 }).stream(new ManualTap(), options(bot.url), new AbortController().signal);
    const ws = await bot.nextSocket();
    // Simulate a hung bot: its socket stops reading, so pongs never come back.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const res = await done;
    expect(res.outcome).toBe('error');
    expect(res.detail).toMatch(/ping/);
  });
});
