/**
 * The RTP leg of bench:stream: N streams through the real media engine (RTP legs, pacer, the engine's audio
 * tap) and our WebSocket bot client. This process holds only what production holds: the server legs, their
 * taps and our client. The "caller" RTP peers and the Exotel bot run in a child (bench/stream-peer.ts), so
 * their RTP, JSON and base64 work is not charged to the system under test. Measured per frame:
 * - RTP in → WebSocket frame out: from the packet's arrival at the server leg to our client having handed
 *   the media message to the socket (a tap subscriber registered after the client's runs right after it);
 *   The arrival time is taken when the packet's handler runs, so it misses kernel queueing in a starved
 *   process; hence also, end to end: caller RTP sent → WebSocket frame received by the bot, both in the child,
 *   the send time carried in the audio itself;
 * - WebSocket frame in → queued: from the bot sending a 20 ms chunk (child) to our client handing its PCM to
 *   the tap (this process): loopback TCP, JSON, base64, decode. Both ends read CLOCK_MONOTONIC
 *   (`process.hrtime.bigint()`), shared by processes on one machine; chunks are matched FIFO per stream;
 * - WebSocket frame in → RTP out: from the bot sending the chunk to its first packet arriving at the caller
 *   (both in the child). This adds the wait for the next 20 ms pacer tick (0-20 ms by design) and UDP loopback.
 */
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createWsBots } from '../src/bots/index.js';
import { createMediaEngine, type UdpRtpLeg } from '../src/engines/embedded/media/index.js';
import type { BotStreamOptions } from '../src/ports/index.js';
import { benchSid, monoMs, type FromPeer, type ToPeer } from './stream-peer-proto.js';

/** Figures of one RTP run. */
export interface RtpRow {
  streams: number;
  connected: number;
  inP50: number;
  inP99: number;
  /** Caller RTP sent → bot received, end to end across both processes (UDP + our path + TCP, and any queueing). */
  e2eP50: number;
  e2eP99: number;
  queuedP50: number;
  queuedP99: number;
  outP50: number;
  outP99: number;
  framesToBot: number;
  /** Frames reaching the bot without a readable send time (not in the e2e figures). */
  unstamped: number;
  chunksBack: number;
  /** CPU of this process (engine legs, taps, our client). */
  cpuPct: number;
  /** CPU of the peer process (callers' RTP and the bot). */
  cpuPeerPct: number;
  pacerLateP99: number;
}

const pct = (v: number[], p: number): number => {
  if (v.length === 0) return NaN;
  const s = Float64Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

/** CPU seconds used so far by a process (utime + stime from /proc, in clock ticks of 10 ms). */
export function procCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Run `count` streams for `seconds` after `warmupMs`; the bot sends a chunk per stream every `chunkEveryMs`. */
export async function runRtpStreams(count: number, seconds: number, warmupMs: number, portMin: number, chunkEveryMs = 200): Promise<RtpRow> {
  const peerPortMin = portMin + 4 * count + 100;
  const peer = fork(fileURLToPath(new URL('./stream-peer.ts', import.meta.url)), [String(count), String(peerPortMin)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const toPeer = (m: ToPeer): void => void peer.send(m);
  const inbox: FromPeer[] = [];
  let peerConnected = 0;
  peer.on('message', (m: FromPeer) => {
    if (m.type === 'connected') peerConnected = m.count;
    else inbox.push(m);
  });
  const next = async <T extends FromPeer['type']>(type: T, timeoutMs: number): Promise<Extract<FromPeer, { type: T }>> => {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return inbox.splice(i, 1)[0] as Extract<FromPeer, { type: T }>;
      if (performance.now() > end || peer.exitCode !== null) throw new Error(`bench peer: no '${type}' within ${timeoutMs} ms`);
      await sleep(5);
    }
  };

  try {
    const ready = await next('ready', 30_000);
    const url = `ws://127.0.0.1:${ready.wsPort}/bench`;
    const engine = createMediaEngine({ portMin, portMax: portMin + 4 * count + 50, localAddress: '127.0.0.1' });
    let sid = 0;
    const bots = createWsBots({ log: pino({ level: 'silent' }), newStreamId: () => benchSid(sid++) });
    const ac = new AbortController();
    setMaxListeners(count + 10, ac.signal);
    const call = { id: 'bench', direction: 'inbound' as const, from: '+1', to: '+2', fromUri: 'sip:1@x', toUri: 'sip:2@x', domain: 'x', headers: {} };
    const opts: BotStreamOptions = { url, protocol: 'exotel', params: {}, sampleRate: 8000, encoding: 'pcm', bidirectional: true, connectTimeoutMs: 10_000, maxDurationMs: 600_000, call, accountId: 'bench' };
    let measuring = false;
    const inLat: number[] = [];
    const enqueued: number[][] = Array.from({ length: count }, () => []);
    const legs: UdpRtpLeg[] = [];
    const done: Array<Promise<unknown>> = [];
    const subscribed: boolean[] = [];
    for (let i = 0; i < count; i++) {
      const leg = await engine.createLeg();
      legs.push(leg);
      leg.setRemote('127.0.0.1', ready.callerPorts[i] as number);
    }
    toPeer({ type: 'remote', ports: legs.map((l) => l.localPort) });
    const t00 = performance.now();
    for (let i = 0; i < count; i++) {
      const tap = engine.endpoint(legs[i] as UdpRtpLeg).tap({ sampleRate: 8000 });
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
        enqueued[i]?.push(monoMs());
        realEnqueue(pcm);
      };
      done.push(bots.stream(tap, opts, ac.signal));
      // Ramp up one stream at a time (bounded), so handshakes do not queue behind each other.
      const rampEnd = performance.now() + 2000;
      while (peerConnected <= i && performance.now() < rampEnd && performance.now() - t00 < 30_000) await sleep(2);
    }
    // On a loaded machine some handshakes can be slow: measure whatever connected within 30 s, and say so.
    while (peerConnected < count && performance.now() - t00 < 30_000) await sleep(20);
    // Callers start talking once the streams are up, so connecting does not compete with 50 packets/s per leg.
    toPeer({ type: 'go', chunkEveryMs });
    await sleep(warmupMs);
    engine.resetPacerStats();
    const cpu0 = process.cpuUsage();
    const peer0 = procCpuSeconds(peer.pid ?? 0);
    const w0 = performance.now();
    const from = monoMs();
    measuring = true;
    await sleep(seconds * 1000);
    measuring = false;
    const to = monoMs();
    const cpu = process.cpuUsage(cpu0);
    const peerCpu = procCpuSeconds(peer.pid ?? 0) - peer0;
    const wall = (performance.now() - w0) / 1000;
    const pacer = engine.stats().pacer;
    // Let chunks sent at the end of the window be queued and played before asking for the peer's figures.
    await sleep(100);
    toPeer({ type: 'report', fromMs: from, toMs: to });
    const rep = await next('report', 30_000);
    const queuedLat: number[] = [];
    rep.chunkSends.forEach((sends, i) => {
      const q = enqueued[i] ?? [];
      sends.forEach((t, k) => {
        const e = q[k];
        if (t >= from && t < to && e !== undefined) queuedLat.push(e - t);
      });
    });
    ac.abort();
    await Promise.all(done);
    for (const l of legs) l.close();
    await engine.close();
    return {
      streams: count,
      connected: peerConnected,
      inP50: pct(inLat, 50),
      inP99: pct(inLat, 99),
      e2eP50: pct(rep.inLat, 50),
      e2eP99: pct(rep.inLat, 99),
      queuedP50: pct(queuedLat, 50),
      queuedP99: pct(queuedLat, 99),
      outP50: pct(rep.outLat, 50),
      outP99: pct(rep.outLat, 99),
      framesToBot: rep.framesToBot / wall,
      unstamped: rep.unstamped,
      chunksBack: rep.chunksBack,
      cpuPct: ((cpu.user + cpu.system) / 1e6 / wall) * 100,
      cpuPeerPct: (peerCpu / wall) * 100,
      pacerLateP99: pacer.lateP99Ms,
    };
  } finally {
    if (peer.connected) toPeer({ type: 'exit' });
    const exited = new Promise((r) => peer.once('exit', r));
    await Promise.race([exited, sleep(2000)]);
    if (peer.exitCode === null) peer.kill('SIGKILL');
  }
}
