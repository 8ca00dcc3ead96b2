/**
 * The far side of bench:stream's RTP leg, in its own process so its work is not charged to the system under
 * test: N "caller" RTP peers (bench/stream-callers.ts: raw UDP, pre-built packets on the same slotted pacer as
 * ours) and a minimal Exotel bot that sends one 20 ms chunk per stream every `chunkEveryMs` and times the
 * chunk's first packet arriving back at the caller. The bot looks only at what it measures (the send-time
 * stamp in the first 64 base64 characters of each payload), on the raw frame bytes, without UTF-8 validation
 * or JSON parsing of media messages. Send times go back to the parent as CLOCK_MONOTONIC ms.
 *
 * Started by bench/stream-rtp.ts with `fork(..., { execArgv: ['--import', 'tsx'] })`; talks over IPC only.
 */
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { pcmToBase64 } from '../src/bots/audio-codec.js';
import { createCallers, readStamp, STAMP_B64 } from './stream-callers.js';
import { benchSid, monoMs, type FromPeer, type ToPeer } from './stream-peer-proto.js';
import { startProbe, type ProbeReport } from './stream-probe.js';

const CHUNK_B64 = pcmToBase64(Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 600 * i) / 8000))));
const PAYLOAD_KEY = Buffer.from('"payload":"');
/** A chunk whose audio has not come back within this long is given up (so the stream sends again). */
const GIVE_UP_MS = 1000;

async function main(count: number, portMin: number): Promise<void> {
  const send = (m: FromPeer): void => void process.send?.(m);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, skipUTF8Validation: true });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sockets: Array<WebSocket | undefined> = [];
  let connected = 0;
  const arrivals: number[] = [];
  const inSamples: Array<{ mono: number; lat: number }> = [];
  /** Frames whose stamp did not survive (concealed or faded by the engine): counted, not timed. */
  const unstamped: number[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (d: Buffer) => {
      const at = d.indexOf(PAYLOAD_KEY);
      if (at >= 0) {
        const now = monoMs();
        arrivals.push(now);
        const from = at + PAYLOAD_KEY.length;
        const sent = readStamp(Buffer.from(d.toString('latin1', from, from + STAMP_B64), 'base64'), now);
        if (Number.isNaN(sent)) unstamped.push(now);
        else inSamples.push({ mono: now, lat: now - sent });
        return;
      }
      const m = JSON.parse(d.toString('utf8')) as { event?: string; stream_sid?: string };
      if (m.event !== 'start' || !m.stream_sid?.startsWith('MZbench')) return;
      const i = Number(m.stream_sid.slice(7));
      if (sockets[i] === undefined) connected++;
      sockets[i] = ws;
      send({ type: 'connected', count: connected });
    });
  });

  const pendingOut: Array<{ perf: number; mono: number } | undefined> = [];
  const outSamples: Array<{ mono: number; lat: number }> = [];
  const callers = await createCallers(
    count,
    portMin,
    (i, arrival) => {
      const p = pendingOut[i] as { perf: number; mono: number };
      pendingOut[i] = undefined;
      outSamples.push({ mono: p.mono, lat: arrival - p.perf });
    },
    (i) => pendingOut[i] !== undefined,
  );
  send({ type: 'ready', wsPort: (wss.address() as AddressInfo).port, callerPorts: callers.ports });

  const chunks = Array.from({ length: count }, (_, i) => Buffer.from(`{"event":"media","stream_sid":"${benchSid(i)}","media":{"payload":"${CHUNK_B64}"}}`));
  const chunkSends: number[][] = Array.from({ length: count }, () => []);
  let timer: NodeJS.Timeout | undefined;
  let probe: { stop: () => ProbeReport } | undefined;
  let lost = 0;
  process.on('message', (m: ToPeer) => {
    if (m.type === 'window') probe = startProbe();
    else if (m.type === 'remote') callers.setRemotes(m.ports);
    else if (m.type === 'go') {
      callers.start();
      // One chunk per stream every chunkEveryMs, phases spread evenly; at most one in flight per stream.
      const t0 = performance.now();
      const due = chunks.map((_, i) => t0 + (i * m.chunkEveryMs) / count);
      timer = setInterval(() => {
        const now = performance.now();
        for (let i = 0; i < count; i++) {
          const ws = sockets[i];
          if (!ws || (due[i] as number) > now) continue;
          due[i] = (due[i] as number) + m.chunkEveryMs;
          const p = pendingOut[i];
          if (p !== undefined && now - p.perf < GIVE_UP_MS) continue;
          if (p !== undefined) lost++;
          const mono = monoMs();
          pendingOut[i] = { perf: performance.now(), mono };
          chunkSends[i]?.push(mono);
          ws.send(chunks[i] as Buffer, { binary: false });
        }
      }, 2);
    } else if (m.type === 'report') {
      const inWin = (t: number): boolean => t >= m.fromMs && t < m.toMs;
      const probeReport = probe?.stop() ?? startProbe().stop();
      send({
        type: 'report',
        chunkSends,
        inLat: inSamples.filter((x) => inWin(x.mono)).map((x) => x.lat),
        outLat: outSamples.filter((s) => inWin(s.mono)).map((s) => s.lat),
        framesToBot: arrivals.filter(inWin).length,
        unstamped: unstamped.filter(inWin).length,
        chunksBack: chunkSends.reduce((n, c) => n + c.filter(inWin).length, 0),
        inSlow: inSamples.filter((x) => inWin(x.mono) && x.lat > 5).map((x): [number, number] => [x.mono, x.lat]),
        chunksLost: lost,
        probe: probeReport,
      });
    } else if (m.type === 'exit') {
      clearInterval(timer);
      for (const ws of sockets) ws?.terminate();
      callers.close();
      wss.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 1000).unref();
    }
  });
  process.on('disconnect', () => process.exit(0));
}

const [countArg, portArg] = process.argv.slice(2);
setMaxListeners(0);
await main(Number(countArg), Number(portArg));
