/**
 * The far side of bench:stream's RTP leg, in its own process so its work is not charged to the system under
 * test: N "caller" RTP peers (legs of a second media engine, sending a 20 ms frame every 20 ms) and a minimal
 * Exotel bot that sends one 20 ms chunk per stream every `chunkEveryMs` and times the chunk's first packet
 * arriving back at the caller. Send times go back to the parent as CLOCK_MONOTONIC ms
 * (`process.hrtime.bigint()`), the clock both processes share on one machine.
 *
 * Started by bench/stream-rtp.ts with `fork(..., { execArgv: ['--import', 'tsx'] })`; talks over IPC only.
 */
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { pcmToBase64 } from '../src/bots/audio-codec.js';
import { createMediaEngine, type AudioInfo, type UdpRtpLeg } from '../src/engines/embedded/media/index.js';
import { benchSid, monoMs, type FromPeer, type ToPeer } from './stream-peer-proto.js';

const FRAME = Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
const CHUNK_B64 = pcmToBase64(Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 600 * i) / 8000))));
/** Bits of send time (µs, CLOCK_MONOTONIC, modulo 2^40: 12 days) carried by each caller frame. */
const STAMP_BITS = 40;
const STAMP_MOD = 2 ** STAMP_BITS;
/** Samples after the stamp holding a fixed +/- pattern, so a frame the engine concealed or faded is not misread. */
const CHECK_SAMPLES = 8;
const LEVEL = 5000;
/** Base64 characters covering the stamp and check samples (2 bytes each; 3 bytes per 4 characters). */
const STAMP_B64 = (4 * 2 * (STAMP_BITS + CHECK_SAMPLES)) / 3;

/**
 * A caller frame carrying its send time: one bit per sample in the sign of samples 0..39 (±5000 keeps its sign
 * and roughly its level through G.711 and our decode), so the bot can time caller RTP out → WebSocket frame in.
 */
function stampedFrame(): Int16Array {
  const f = FRAME.slice();
  let t = Math.floor(monoMs() * 1000) % STAMP_MOD;
  for (let b = 0; b < STAMP_BITS; b++, t = Math.floor(t / 2)) f[b] = t % 2 === 1 ? LEVEL : -LEVEL;
  for (let c = 0; c < CHECK_SAMPLES; c++) f[STAMP_BITS + c] = c % 2 === 0 ? LEVEL : -LEVEL;
  return f;
}

/** The send time (monotonic ms) in a frame from stampedFrame(), from the bot's 16-bit LE PCM; NaN if absent. */
function readStamp(pcm: Buffer, nowMs: number): number {
  if (pcm.length < 2 * (STAMP_BITS + CHECK_SAMPLES)) return NaN;
  for (let b = 0; b < STAMP_BITS + CHECK_SAMPLES; b++) {
    const v = pcm.readInt16LE(2 * b);
    if (Math.abs(Math.abs(v) - LEVEL) > LEVEL / 10) return NaN;
    if (b >= STAMP_BITS && v > 0 !== ((b - STAMP_BITS) % 2 === 0)) return NaN;
  }
  let t = 0;
  for (let b = STAMP_BITS - 1; b >= 0; b--) t = t * 2 + (pcm.readInt16LE(2 * b) > 0 ? 1 : 0);
  const nowUs = Math.floor(nowMs * 1000);
  const base = nowUs - (nowUs % STAMP_MOD);
  const us = base + t > nowUs ? base + t - STAMP_MOD : base + t;
  return us / 1000;
}

const loud = (pcm: Int16Array): boolean => {
  let e = 0;
  for (let i = 0; i < pcm.length; i += 8) e += Math.abs(pcm[i] as number);
  return e / (pcm.length / 8) > 1000;
};

async function main(count: number, portMin: number): Promise<void> {
  const send = (m: FromPeer): void => void process.send?.(m);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sockets: Array<WebSocket | undefined> = [];
  let connected = 0;
  const arrivals: number[] = [];
  const inSamples: Array<{ mono: number; lat: number }> = [];
  /** Frames whose stamp did not survive (concealed or faded by the engine): counted, not timed. */
  const unstamped: number[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (d) => {
      const text = (d as Buffer).toString('utf8');
      if (text.includes('"event":"media"')) {
        const now = monoMs();
        arrivals.push(now);
        // Only the stamp's samples are decoded (128 base64 characters = 48 samples), to keep the peer light.
        const at = text.indexOf('"payload":"') + 11;
        const sent = at < 11 ? NaN : readStamp(Buffer.from(text.slice(at, at + STAMP_B64), 'base64'), now);
        if (Number.isNaN(sent)) unstamped.push(now);
        else inSamples.push({ mono: now, lat: now - sent });
        return;
      }
      const m = JSON.parse(text) as { event?: string; stream_sid?: string };
      if (m.event !== 'start' || !m.stream_sid?.startsWith('MZbench')) return;
      const i = Number(m.stream_sid.slice(7));
      if (sockets[i] === undefined) connected++;
      sockets[i] = ws;
      send({ type: 'connected', count: connected });
    });
  });

  const engine = createMediaEngine({ portMin, portMax: portMin + 4 * count + 50, localAddress: '127.0.0.1' });
  const legs: UdpRtpLeg[] = [];
  const pendingOut: Array<{ perf: number; mono: number } | undefined> = [];
  const outSamples: Array<{ mono: number; lat: number }> = [];
  for (let i = 0; i < count; i++) {
    const leg = await engine.createLeg();
    legs.push(leg);
    leg.on('audio', (pcm: Int16Array, info: AudioInfo) => {
      const p = pendingOut[i];
      if (p === undefined || !loud(pcm)) return;
      pendingOut[i] = undefined;
      outSamples.push({ mono: p.mono, lat: info.arrival - p.perf });
    });
  }
  send({ type: 'ready', wsPort: (wss.address() as AddressInfo).port, callerPorts: legs.map((l) => l.localPort) });

  const chunkSends: number[][] = Array.from({ length: count }, () => []);
  let timer: NodeJS.Timeout | undefined;
  process.on('message', (m: ToPeer) => {
    if (m.type === 'remote') m.ports.forEach((p, i) => legs[i]?.setRemote('127.0.0.1', p));
    else if (m.type === 'go') {
      for (const l of legs) l.setSource({ next: stampedFrame });
      // One chunk per stream every chunkEveryMs, phases spread evenly; at most one in flight per stream.
      const t0 = performance.now();
      const due = legs.map((_, i) => t0 + (i * m.chunkEveryMs) / count);
      timer = setInterval(() => {
        const now = performance.now();
        for (let i = 0; i < count; i++) {
          const ws = sockets[i];
          if (!ws || (due[i] as number) > now) continue;
          due[i] = (due[i] as number) + m.chunkEveryMs;
          if (pendingOut[i] !== undefined) continue;
          const mono = monoMs();
          pendingOut[i] = { perf: performance.now(), mono };
          chunkSends[i]?.push(mono);
          ws.send(`{"event":"media","stream_sid":"${benchSid(i)}","media":{"payload":"${CHUNK_B64}"}}`);
        }
      }, 2);
    } else if (m.type === 'report') {
      const inWin = (t: number): boolean => t >= m.fromMs && t < m.toMs;
      send({
        type: 'report',
        chunkSends,
        inLat: inSamples.filter((x) => inWin(x.mono)).map((x) => x.lat),
        outLat: outSamples.filter((s) => inWin(s.mono)).map((s) => s.lat),
        framesToBot: arrivals.filter(inWin).length,
        unstamped: unstamped.filter(inWin).length,
        chunksBack: chunkSends.reduce((n, c) => n + c.filter(inWin).length, 0),
      });
    } else if (m.type === 'exit') {
      clearInterval(timer);
      for (const ws of sockets) ws?.terminate();
      for (const l of legs) l.close();
      void engine.close();
      wss.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 1000).unref();
    }
  });
  process.on('disconnect', () => process.exit(0));
}

const [countArg, portArg] = process.argv.slice(2);
setMaxListeners(0);
await main(Number(countArg), Number(portArg));
