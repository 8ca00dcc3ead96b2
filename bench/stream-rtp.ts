/**
 * The RTP leg of bench:stream: N streams through the real media engine (RTP legs, pacer, the engine's audio
 * tap) and our WebSocket bot client, to a minimal Exotel bot in this process (one clock for every timestamp).
 * Each stream is a pair of engine legs on 127.0.0.1: a "caller" leg sending a 20 ms frame every 20 ms and
 * the server leg whose tap feeds the bot. Measured per frame:
 * - RTP in → WebSocket frame out: from the packet's arrival at the server leg to our client having handed
 *   the media message to the socket (a tap subscriber registered after the client's runs right after it);
 * - WebSocket frame in → queued: from the bot sending a 20 ms chunk to our client handing its PCM to the tap
 *   (loopback TCP, JSON, base64, decode): the processing our layer adds on the way back;
 * - WebSocket frame in → RTP out: from the bot sending the chunk to its first packet arriving at the caller
 *   leg. This adds the wait for the next 20 ms pacer tick (0-20 ms by design) and UDP loopback.
 */
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { pcmToBase64 } from '../src/bots/audio-codec.js';
import { createWsBots } from '../src/bots/index.js';
import { createMediaEngine, type AudioInfo, type UdpRtpLeg } from '../src/engines/embedded/media/index.js';
import type { BotStreamOptions } from '../src/ports/index.js';

/** Figures of one RTP run. */
export interface RtpRow {
  streams: number;
  connected: number;
  inP50: number;
  inP99: number;
  queuedP50: number;
  queuedP99: number;
  outP50: number;
  outP99: number;
  framesToBot: number;
  chunksBack: number;
  cpuPct: number;
  pacerLateP99: number;
}

const pct = (v: number[], p: number): number => {
  if (v.length === 0) return NaN;
  const s = Float64Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

const FRAME = Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
const CHUNK_B64 = pcmToBase64(Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 600 * i) / 8000))));
const loud = (pcm: Int16Array): boolean => {
  let e = 0;
  for (let i = 0; i < pcm.length; i += 8) e += Math.abs(pcm[i] as number);
  return e / (pcm.length / 8) > 1000;
};

/** Run `count` streams for `seconds` after `warmupMs`; the bot sends a chunk per stream every `chunkEveryMs`. */
export async function runRtpStreams(count: number, seconds: number, warmupMs: number, portMin: number, chunkEveryMs = 200): Promise<RtpRow> {
  let measuring = false;
  const inLat: number[] = [];
  const outLat: number[] = [];
  const queuedLat: number[] = [];
  let framesToBot = 0;

  // The bot: Exotel, in-process. Counts media, and sends paced-out test chunks on demand.
  const http: WebSocketServer = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) => http.once('listening', () => resolve()));
  const botSockets: Array<{ ws: WebSocket; sid: string }> = [];
  http.on('connection', (ws) => {
    ws.on('message', (d) => {
      const text = (d as Buffer).toString('utf8');
      if (text.includes('"event":"media"')) {
        if (measuring) framesToBot++;
        return;
      }
      const m = JSON.parse(text) as { event?: string; stream_sid?: string };
      if (m.event === 'start' && m.stream_sid) botSockets.push({ ws, sid: m.stream_sid });
    });
  });
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/bench`;

  const engine = createMediaEngine({ portMin, portMax: portMin + 6 * count + 50, localAddress: '127.0.0.1' });
  const bots = createWsBots({ log: pino({ level: 'silent' }) });
  const ac = new AbortController();
  setMaxListeners(count + 10, ac.signal);
  const call = { id: 'bench', direction: 'inbound' as const, from: '+1', to: '+2', fromUri: 'sip:1@x', toUri: 'sip:2@x', domain: 'x', headers: {} };
  const opts: BotStreamOptions = { url, protocol: 'exotel', params: {}, sampleRate: 8000, encoding: 'pcm', bidirectional: true, connectTimeoutMs: 10_000, maxDurationMs: 600_000, call, accountId: 'bench' };
  const pendingOut: Array<number | undefined> = [];
  const pendingQueued: Array<number | undefined> = [];
  const legs: UdpRtpLeg[] = [];
  const done: Array<Promise<unknown>> = [];
  const subscribed: boolean[] = [];
  const t00 = performance.now();
  for (let i = 0; i < count; i++) {
    const caller = (await engine.createLeg());
    const server = (await engine.createLeg());
    legs.push(caller, server);
    caller.setRemote('127.0.0.1', server.localPort);
    server.setRemote('127.0.0.1', caller.localPort);
    caller.on('audio', (pcm: Int16Array, info: AudioInfo) => {
      const t = pendingOut[i];
      if (t === undefined || !loud(pcm)) return;
      pendingOut[i] = undefined;
      if (measuring) outLat.push(info.arrival - t);
    });
    const tap = engine.endpoint(server).tap({ sampleRate: 8000 });
    // Subscribe after the client's own subscription (made once connected), so this runs right after its send.
    const realOnAudio = tap.onAudio.bind(tap);
    tap.onAudio = (fn) => {
      const off = realOnAudio(fn);
      if (!subscribed[i]) {
        subscribed[i] = true;
        realOnAudio((_pcm, arrival) => {
          if (measuring) inLat.push(performance.now() - arrival);
        });
      }
      return off;
    };
    const realEnqueue = tap.enqueue.bind(tap);
    tap.enqueue = (pcm) => {
      const t = pendingQueued[i];
      if (t !== undefined) {
        pendingQueued[i] = undefined;
        if (measuring) queuedLat.push(performance.now() - t);
      }
      realEnqueue(pcm);
    };
    done.push(bots.stream(tap, opts, ac.signal));
    // Ramp up one stream at a time (bounded), so handshakes do not queue behind every leg's packets.
    const rampEnd = performance.now() + 2000;
    while (botSockets.length <= i && performance.now() < rampEnd && performance.now() - t00 < 30_000) await new Promise((r) => setTimeout(r, 2));
  }
  // On a loaded machine some handshakes can be slow: measure whatever connected within 30 s, and say so.
  while (botSockets.length < count && performance.now() - t00 < 30_000) await new Promise((r) => setTimeout(r, 20));
  // Callers start talking once the streams are up, so connecting does not compete with 50 packets/s per leg.
  for (let i = 0; i < legs.length; i += 2) legs[i]?.setSource({ next: () => FRAME });

  // Bot chunks: one per stream every chunkEveryMs, phases spread evenly.
  const t0 = performance.now();
  const due = botSockets.map((_, i) => t0 + (i * chunkEveryMs) / count);
  let chunksBack = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    botSockets.forEach((b, i) => {
      if ((due[i] as number) > now) return;
      due[i] = (due[i] as number) + chunkEveryMs;
      if (pendingOut[i] !== undefined) return;
      pendingOut[i] = performance.now();
      pendingQueued[i] = pendingOut[i];
      b.ws.send(JSON.stringify({ event: 'media', stream_sid: b.sid, media: { payload: CHUNK_B64 } }));
      if (measuring) chunksBack++;
    });
  }, 2);
  await new Promise((r) => setTimeout(r, warmupMs));
  engine.resetPacerStats();
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  measuring = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - w0) / 1000;
  clearInterval(timer);
  const pacer = engine.stats().pacer;
  ac.abort();
  await Promise.all(done);
  for (const b of botSockets) b.ws.terminate();
  for (const l of legs) l.close();
  await engine.close();
  await new Promise<void>((r) => http.close(() => r()));
  return {
    streams: count,
    connected: botSockets.length,
    inP50: pct(inLat, 50),
    inP99: pct(inLat, 99),
    queuedP50: pct(queuedLat, 50),
    queuedP99: pct(queuedLat, 99),
    outP50: pct(outLat, 50),
    outP99: pct(outLat, 99),
    framesToBot: framesToBot / wall,
    chunksBack,
    cpuPct: ((cpu.user + cpu.system) / 1e6 / wall) * 100,
    pacerLateP99: pacer.lateP99Ms,
  };
}
