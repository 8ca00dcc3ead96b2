/**
 * Edge cases of the WebSocket bots port over real sockets: how a failing socket ends the stream, listen-only
 * (not bidirectional) streams, a mark whose audio was sent just before a clear, bot audio split at odd bytes
 * or sent as wrapped base64, and what is logged for a binary frame.
 */
import type { Duplex } from 'node:stream';
import pino from 'pino';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createWsBots } from '../../src/bots/index.js';
import { pcmToBase64 } from '../../src/bots/audio-codec.js';
import { AudioTap } from '../../src/engines/embedded/media/tap/tap.js';
import type { AudioTap as AudioTapPort, BotStreamOptions } from '../../src/ports/index.js';
import { FakeLeg } from '../media/support/fake-leg.js';
import { startTestBot, type TestBot } from './bot-server.js';
import { ManualTap } from './manual-tap.js';

const silent = pino({ level: 'silent' });
const call = { id: 'CA5', direction: 'inbound' as const, from: '+15550001', to: '+15550100', fromUri: 'sip:+15550001@x', toUri: 'sip:+15550100@y', domain: 'y', headers: {} };

function options(url: string, over: Partial<BotStreamOptions> = {}): BotStreamOptions {
  return { url, protocol: 'exotel', params: {}, sampleRate: 8000, encoding: 'pcm', bidirectional: true, connectTimeoutMs: 1000, maxDurationMs: 60_000, call, accountId: 'AC1', ...over };
}

/** The manual tap, also counting clears. */
class CountingTap extends ManualTap {
  clears = 0;
  override clear(): string[] {
    this.clears++;
    return super.clear();
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.map((b) => b.close()));
  bots = [];
});

/** A bot, a stream to it, and the bot's side of the socket once `start` has arrived. */
async function connect(tap: AudioTapPort, over: Partial<BotStreamOptions> = {}, log = silent) {
  const bot = await startTestBot();
  bots.push(bot);
  const ac = new AbortController();
  const done = createWsBots({ log }).stream(tap, options(bot.url, over), ac.signal);
  const ws: WebSocket = await bot.nextSocket();
  const start = await bot.waitFor((m) => m.event === 'start');
  const sid = (start.stream_sid ?? start.streamSid) as string;
  return { bot, ws, sid, done, ac };
}

describe('a bot socket that fails', () => {
  it('an abrupt close (1006) gives error', async () => {
    const { ws, done } = await connect(new ManualTap());
    ws.terminate();
    const res = await done;
    expect(res.outcome).toBe('error');
    expect(res.detail).toMatch(/1006/);
  });

  it('close code 1011 (or any code but 1000/1001) gives error', async () => {
    for (const code of [1011, 4000]) {
      const { ws, done } = await connect(new ManualTap());
      ws.close(code, 'internal');
      const res = await done;
      expect(res.outcome).toBe('error');
      expect(res.detail).toContain(String(code));
    }
  });

  it('a malformed frame gives error', async () => {
    const { ws, done } = await connect(new ManualTap());
    // FIN + reserved opcode 0x3 (RFC 6455 §5.2): the client must fail the connection.
    (ws as unknown as { _socket: Duplex })._socket.write(Buffer.from([0x83, 0x00]));
    const res = await done;
    expect(res.outcome).toBe('error');
    expect(res.detail).toMatch(/opcode/i);
  });

  it('a clean close by the bot (1000, 1001, or a close frame without a code) stays closed', async () => {
    for (const code of [1000, 1001, undefined]) {
      const { ws, done } = await connect(new ManualTap());
      if (code === undefined) ws.close();
      else ws.close(code, 'bye');
      const res = await done;
      expect(res.outcome).toBe('closed');
      expect(res.detail).toContain(String(code ?? 1005));
    }
  });
});

describe('a stream that is not bidirectional', () => {
  it('sends no dtmf, and ignores marks and clear from the bot', async () => {
    const tap = new CountingTap();
    const { bot, ws, sid, done, ac } = await connect(tap, { bidirectional: false });
    tap.press('5');
    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(new Int16Array(160)) } }));
    ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'm1' } }));
    ws.send(JSON.stringify({ event: 'clear', stream_sid: sid }));
    await pause(150);
    tap.playAll();
    tap.speak(new Int16Array(160));
    await bot.waitFor((m) => m.event === 'media');
    await pause(50);
    expect(bot.messages.map((m) => m.event)).toEqual(['connected', 'start', 'media']);
    expect(tap.received).toHaveLength(0);
    expect(tap.clears).toBe(0);
    ac.abort();
    await done;
  });

  it('a bidirectional stream still sends dtmf (control)', async () => {
    const tap = new ManualTap();
    const { bot, done, ac } = await connect(tap);
    tap.press('7');
    expect(await bot.waitFor((m) => m.event === 'dtmf')).toMatchObject({ dtmf: { digit: '7' } });
    ac.abort();
    await done;
  });
});

describe('a mark before a clear', () => {
  it('exotel: a mark whose audio was all sent is echoed when a clear arrives before the next pull', async () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg);
    const { bot, ws, sid, done, ac } = await connect(tap);
    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(new Int16Array(320).fill(9)) } }));
    ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'played' } }));
    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(new Int16Array(3200).fill(9)) } }));
    ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'dropped' } }));
    for (let i = 0; i < 100 && tap.queuedMs < 440; i++) await pause(10);
    expect(tap.queuedMs).toBe(440);
    leg.pull();
    leg.pull();
    ws.send(JSON.stringify({ event: 'clear', stream_sid: sid }));
    const mark = await bot.waitFor((m) => m.event === 'mark');
    expect(mark).toMatchObject({ mark: { name: 'played' } });
    await pause(50);
    expect(bot.messages.filter((m) => m.event === 'mark')).toHaveLength(1);
    ac.abort();
    await done;
    tap.close();
  });
});

describe('bot audio decoding', () => {
  it('carries an odd trailing byte over to the next media message', async () => {
    const tap = new ManualTap();
    const { ws, sid, done, ac } = await connect(tap);
    const bytes = Buffer.from(pcmToBase64(Int16Array.from([1, 2, 3, -4, 0x1234])), 'base64');
    for (const part of [bytes.subarray(0, 3), bytes.subarray(3, 4), bytes.subarray(4, 7), bytes.subarray(7)]) {
      ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: part.toString('base64') } }));
    }
    for (let i = 0; i < 100 && tap.received.length < 5; i++) await pause(10);
    expect(tap.received).toEqual([1, 2, 3, -4, 0x1234]);
    ac.abort();
    await done;
  });

  it('accepts base64 with line breaks and spaces, and without padding', async () => {
    const tap = new ManualTap();
    const { ws, sid, done, ac } = await connect(tap);
    const samples = Int16Array.from({ length: 61 }, (_, i) => i * 100 - 3000);
    const b64 = pcmToBase64(samples);
    expect(b64.endsWith('=')).toBe(true);
    const wrapped = `${b64.slice(0, 76)}\r\n${b64.slice(76, 100)} ${b64.slice(100).replace(/=+$/, '')}\n`;
    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: wrapped } }));
    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: 'A=B=' } }));
    for (let i = 0; i < 100 && tap.received.length < 61; i++) await pause(10);
    await pause(50);
    expect(tap.received).toEqual([...samples]);
    ac.abort();
    await done;
  });
});

describe('a binary frame from the bot', () => {
  it('is logged with its first 64 bytes as hex', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const { ws, done, ac } = await connect(new ManualTap(), {}, log);
    const payload = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 7 + 1) & 0xff));
    ws.send(payload, { binary: true });
    for (let i = 0; i < 100 && !lines.some((l) => 'head' in l); i++) await pause(10);
    const line = lines.find((l) => 'head' in l);
    expect(line).toMatchObject({ bytes: 100, head: payload.subarray(0, 64).toString('hex') });
    ac.abort();
    await done;
  });
});
