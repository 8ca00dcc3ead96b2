/**
 * Wire-level checks of the fast media path over a real WebSocket: caller audio goes out as text frames whose
 * JSON carries the exact samples (the reused buffer is never sent twice or torn), and a text frame that is not
 * valid UTF-8 is logged and skipped instead of failing the connection.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ManualTap } from '../../test/bots/manual-tap.js';
import type { BotStreamOptions } from '../ports/index.js';
import { base64ToPcm, mulawBase64ToPcm, pcmToBase64 } from './audio-codec.js';
import { MediaWriter } from './media-writer.js';
import { createWsBots } from './ws-bots.js';

const call = { id: 'CA1', direction: 'inbound' as const, from: '+1', to: '+2', fromUri: 'sip:1@x', toUri: 'sip:2@x', domain: 'x', headers: {} };
const opts = (url: string, protocol: BotStreamOptions['protocol']): BotStreamOptions => ({
  url, protocol, params: {}, sampleRate: 8000, encoding: 'pcm', bidirectional: true, connectTimeoutMs: 2000, maxDurationMs: 60_000, call, accountId: 'AC1',
});

interface Frame {
  text: string;
  binary: boolean;
}

let servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  servers = [];
});

async function bot(): Promise<{ url: string; frames: Frame[]; socket: () => WebSocket | undefined }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(wss);
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const frames: Frame[] = [];
  let sock: WebSocket | undefined;
  wss.on('connection', (ws) => {
    sock = ws;
    ws.on('message', (d, binary) => frames.push({ text: (d as Buffer).toString('utf8'), binary }));
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, frames, socket: () => sock };
}

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const frameOf = (k: number): Int16Array => Int16Array.from({ length: 160 }, (_, i) => (k * 1000 + i * 37) % 30000 - 15000);

describe('ws-bots media on the wire', () => {
  for (const protocol of ['exotel', 'twilio'] as const) {
    it(`${protocol}: every caller frame arrives as its own text frame with its own samples`, async () => {
      const b = await bot();
      const tap = new ManualTap();
      const ac = new AbortController();
      const done = createWsBots({ log: pino({ level: 'silent' }) }).stream(tap, opts(b.url, protocol), ac.signal);
      await until(() => b.frames.some((f) => f.text.includes('"start"')));
      for (let k = 0; k < 20; k++) tap.speak(frameOf(k));
      await until(() => b.frames.filter((f) => f.text.includes('"media"')).length === 20);
      ac.abort();
      await done;
      const media = b.frames.filter((f) => f.text.includes('"media"'));
      media.forEach((f, k) => {
        expect(f.binary).toBe(false);
        const m = JSON.parse(f.text) as { media: { payload: string; chunk: string } };
        expect(m.media.chunk).toBe(String(k + 1));
        const pcm = protocol === 'twilio' ? mulawBase64ToPcm(m.media.payload) : base64ToPcm(m.media.payload);
        const want = frameOf(k);
        // µ-law is lossy: within its quantisation step (< 1/16 of the magnitude, plus a little near zero).
        pcm.forEach((s, i) => expect(Math.abs(s - (want[i] as number))).toBeLessThanOrEqual(protocol === 'twilio' ? Math.abs(want[i] as number) / 16 + 8 : 0));
      });
    });
  }

  it('frames stay intact when the socket cannot take them at once (the writer moves to fresh memory)', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    servers.push(wss);
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const chunks: string[] = [];
    let serverSocket: { pause(): void; resume(): void } | undefined;
    wss.on('connection', (ws, req) => {
      serverSocket = req.socket;
      ws.on('message', (d) => {
        const t = (d as Buffer).toString('utf8');
        if (t.includes('"media"')) chunks.push(t);
        else req.socket.pause();
      });
    });
    const tap = new ManualTap();
    const ac = new AbortController();
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    const done = createWsBots({ log: pino({ level: 'silent' }) }).stream(tap, opts(url, 'exotel'), ac.signal);
    await until(() => serverSocket !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    // The bot reads nothing now: enough frames to fill the loopback buffers, so later writes are queued.
    const n = 30_000;
    const renew = vi.spyOn(MediaWriter.prototype, 'renew');
    for (let k = 0; k < n; k++) tap.speak(frameOf(k % 97));
    expect(renew).toHaveBeenCalled();
    renew.mockRestore();
    serverSocket?.resume();
    await until(() => chunks.length === n, 20_000);
    ac.abort();
    await done;
    chunks.forEach((t, k) => {
      const m = JSON.parse(t) as { media: { payload: string; chunk: string } };
      expect(m.media.chunk).toBe(String(k + 1));
      if (k % 101 === 0 || k > n - 50) expect([...base64ToPcm(m.media.payload)]).toEqual([...frameOf(k % 97)]);
    });
  }, 30_000);

  it('skips a text frame that is not valid UTF-8 and keeps the stream', async () => {
    const b = await bot();
    const tap = new ManualTap();
    const ac = new AbortController();
    const done = createWsBots({ log: pino({ level: 'silent' }) }).stream(tap, opts(b.url, 'exotel'), ac.signal);
    await until(() => b.frames.some((f) => f.text.includes('"start"')));
    const sid = (JSON.parse(b.frames.find((f) => f.text.includes('"start"'))?.text ?? '{}') as { stream_sid: string }).stream_sid;
    const ws = b.socket();
    ws?.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    ws?.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(frameOf(3)) } }));
    await until(() => tap.received.length === 160);
    expect(tap.received).toEqual([...frameOf(3)]);
    ac.abort();
    expect((await done).outcome).toBe('aborted');
  });
});
