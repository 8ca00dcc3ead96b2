/**
 * The RTP leg of bench:stream: N streams through the real media engine (RTP legs, pacer, the engine's audio
 * tap) and our WebSocket bot client. This process holds only what production holds (server legs, taps, our
 * client) plus light bench probes; the "caller" RTP peers and the Exotel bot run in a child
 * (bench/stream-peer.ts). The headline figures start at a send time the peer takes just before its socket
 * write and end at an event in this process, so the peer's own stalls on reading do not count against us.
 * Both processes read CLOCK_MONOTONIC (`process.hrtime.bigint()`), shared on one machine. Per frame:
 * - A, caller RTP sent → our WS frame written: the send time travels in the audio (stampedFrame bits), read
 *   back by a tap subscriber registered after our client's, so it runs right after the client's socket write.
 *   A1 is the part until our handler reads the packet (UDP loopback + any wait for our event loop); A2 the
 *   part inside our handler (what the old "RTP in → WS out" measured).
 * - B, bot WS frame sent → the RTP packet carrying it sent by us, minus the wait for the stream's next 20 ms
 *   pacer slot (by design 0-20 ms; shown separately, "B+slot"). Chunks are matched FIFO per stream;
 *   the phases inside our process (read, queued, slot, sent) come from bench/stream-phases.ts.
 * Also, measured by the peer alone: caller → bot end to end and bot → caller first packet (these include the
 * peer's own read delays), and for each process its stalls, GC and CPU scheduling (bench/stream-probe.ts).
 */
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createWsBots } from '../src/bots/index.js';
import { createMediaEngine, type UdpRtpLeg } from '../src/engines/embedded/media/index.js';
import type { BotStreamOptions } from '../src/ports/index.js';
import { readStampPcm } from './stream-callers.js';
import { benchSid, monoMs, type FromPeer, type ToPeer } from './stream-peer-proto.js';
import { backFromBot, backPhases, hookReads, traceBackPath, unhookReads, type BackChunk } from './stream-phases.js';
import { startProbe, type ProbeReport, type Stall } from './stream-probe.js';

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
  /** Caller RTP sent (peer) → our WebSocket frame written: everything on the way in up to our socket write. */
  callerToWs: [number, number];
  /** Caller RTP sent (peer) → our handler reading it: UDP loopback plus any wait for our event loop. */
  callerToRead: [number, number];
  /** Bot frame sent (peer) → its RTP packet sent by us, with and without the wait for the stream's pacer slot. */
  botToRtp: [number, number];
  botToRtpNoSlot: [number, number];
  /** Bot chunks the peer gave up on (never came back as audio within 1 s). */
  chunksLost: number;
  /** The way back inside our process, per phase: [p50, p99] ms (see stream-phases.ts). */
  back: Record<string, [number, number]>;
  /** Stalls, GC and scheduling of each process over the window. */
  probeOurs: ProbeReport;
  probePeer: ProbeReport;
  /** Of the slow samples (> 5 ms): how many overlap a stall of ours only, the peer's only, both, neither. */
  slowQueued: Blame;
  slowE2e: Blame;
}

/** How many slow samples overlap a stall of each process. */
export interface Blame {
  total: number;
  ours: number;
  peer: number;
  both: number;
  neither: number;
}

function blame(intervals: Array<[number, number]>, ours: Stall[], peer: Stall[]): Blame {
  const hits = (from: number, to: number, st: Stall[]): boolean => st.some((x) => x.at < to && x.at + x.ms > from);
  const b: Blame = { total: intervals.length, ours: 0, peer: 0, both: 0, neither: 0 };
  for (const [from, to] of intervals) {
    const o = hits(from, to, ours);
    const p = hits(from, to, peer);
    if (o && p) b.both++;
    else if (o) b.ours++;
    else if (p) b.peer++;
    else b.neither++;
  }
  return b;
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
    const callerToWs: number[] = [];
    const callerToRead: number[] = [];
    const perfToMono = monoMs() - performance.now();
    const enqueued: number[][] = Array.from({ length: count }, () => []);
    const backLogs: BackChunk[][] = Array.from({ length: count }, () => []);
    hookReads();
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
          realOnAudio((pcm, arrival) => {
            if (!measuring) return;
            const now = performance.now();
            inLat.push(now - arrival);
            const sent = readStampPcm(pcm, now + perfToMono);
            if (Number.isNaN(sent)) return;
            callerToWs.push(now + perfToMono - sent);
            callerToRead.push(arrival + perfToMono - sent);
          });
        }
        return off;
      };
      traceBackPath(tap, legs[i] as UdpRtpLeg, backLogs[i] as BackChunk[], (mono) => enqueued[i]?.push(mono));
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
    toPeer({ type: 'window' });
    console.error(`  (rtp path: ${count} streams: measuring for ${seconds} s)`);
    const probe = startProbe();
    const from = monoMs();
    measuring = true;
    await sleep(seconds * 1000);
    measuring = false;
    const to = monoMs();
    const probeOurs = probe.stop();
    const cpu = process.cpuUsage(cpu0);
    const peerCpu = procCpuSeconds(peer.pid ?? 0) - peer0;
    const wall = (performance.now() - w0) / 1000;
    const pacer = engine.stats().pacer;
    // Let chunks sent at the end of the window be queued and played before asking for the peer's figures.
    await sleep(100);
    toPeer({ type: 'report', fromMs: from, toMs: to });
    const rep = await next('report', 30_000);
    const queuedLat: number[] = [];
    const slowQueued: Array<[number, number]> = [];
    rep.chunkSends.forEach((sends, i) => {
      const q = enqueued[i] ?? [];
      sends.forEach((t, k) => {
        const e = q[k];
        if (t >= from && t < to && e !== undefined) {
          queuedLat.push(e - t);
          if (e - t > 5) slowQueued.push([t, e]);
        }
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
      callerToWs: [pct(callerToWs, 50), pct(callerToWs, 99)],
      callerToRead: [pct(callerToRead, 50), pct(callerToRead, 99)],
      ...backFromBot(rep.chunkSends, backLogs, from, to),
      chunksLost: rep.chunksLost,
      back: backPhases(backLogs, from, to),
      probeOurs,
      probePeer: rep.probe,
      slowQueued: blame(slowQueued, probeOurs.stalls, rep.probe.stalls),
      slowE2e: blame(rep.inSlow.map(([at, lat]): [number, number] => [at - lat, at]), probeOurs.stalls, rep.probe.stalls),
    };
  } finally {
    unhookReads();
    if (peer.connected) toPeer({ type: 'exit' });
    const exited = new Promise((r) => peer.once('exit', r));
    await Promise.race([exited, sleep(2000)]);
    if (peer.exitCode === null) peer.kill('SIGKILL');
  }
}
