/**
 * bench:media: N concurrent RTP legs on loopback (N/2 pairs, every leg both sends and receives 20 ms G.711
 * frames), each playing a looped WAV prompt through an Endpoint and listening for DTMF; half-way through every
 * A-leg sends an RFC 4733 digit that its B-leg must report. Before each engine step a baseline runs the same
 * number of bare dgram sockets on the same pacer (fixed packet, receive = count only, the same synchronous
 * address lookup the engine uses): the floor of what Node's UDP costs.
 *
 * Reports per step: send lateness p50/p99/max against the ideal 20 ms grid, receive arrival-interval jitter
 * (|Δarrival − 20 ms|) p50/p99, loss, digits, CPU (% of one core, and per leg) and memory per leg.
 *
 *   BENCH_SECONDS=10 BENCH_LEGS=1000 npm run bench:media
 *   BENCH_LEGS=500,1000,2000 for a sweep (the largest N with p99 < 2 ms and no loss is reported).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import wavefile from 'wavefile';
import { LatenessHistogram } from '../src/engines/embedded/media/clock/pacer.js';
import { PacerGroup } from '../src/engines/embedded/media/clock/pacer-group.js';
import { literalLookup } from '../src/engines/embedded/media/rtp/port-pool.js';
import {
  createMediaEngine,
  type AudioInfo,
  type DtmfEvent,
  type Endpoint,
  type UdpRtpLeg,
} from '../src/engines/embedded/media/index.js';

const SECONDS = Math.max(2, Math.min(120, Number(process.env.BENCH_SECONDS ?? 10)));
const LEGS = (process.env.BENCH_LEGS ?? '1000')
  .split(',')
  .map(Number)
  .filter((n) => n >= 2 && n <= 8000);
const PORT_MIN = Number(process.env.BENCH_PORT_MIN ?? 42000);
const WARMUP_MS = 1500;
/** pairs: legs call each other (every leg sends and receives audio); sink: legs send to a sink process that sends them DTMF. */
const MODES = (process.env.BENCH_MODE ?? 'pairs,sink')
  .split(',')
  .filter((m): m is Mode => m === 'pairs' || m === 'sink');
type Mode = 'pairs' | 'sink';

interface StepResult {
  kind: 'baseline' | 'pairs' | 'sink';
  legs: number;
  lateP50: number;
  lateP99: number;
  lateMax: number;
  arrP50: number;
  arrP99: number;
  sent: number;
  received: number;
  lossPct: number;
  /** Audio packets sent / packets the 20 ms grid asks for (below 100: the process fell behind and skipped ticks). */
  ratePct: number;
  cpuPct: number;
  cpuPerLegPct: number;
  memPerLegKb: number;
  rssMb: number;
  digits?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function arrivalTracker(h: LatenessHistogram): (at: number) => void {
  let last = -1;
  return (at) => {
    if (last >= 0) h.add(Math.abs(at - last - 20));
    last = at;
  };
}

/** Measure `run` for SECONDS after a warm-up; `reset` clears counters at the start of the window. */
async function window(reset: () => void): Promise<{ cpuPct: number; ms: number }> {
  await sleep(WARMUP_MS);
  reset();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  return { cpuPct: ((cpu.user + cpu.system) / 1000 / ms) * 100, ms };
}

async function baseline(n: number): Promise<StepResult> {
  gc();
  const mem0 = process.memoryUsage().rss;
  const socks: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = createSocket({ type: 'udp4', lookup: literalLookup });
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    socks.push(s);
  }
  const arr = new LatenessHistogram();
  let sent = 0;
  let received = 0;
  let lost = 0;
  let counting = false;
  const pacer = new PacerGroup();
  const members = socks.map((s, i) => {
    const peer = socks[i ^ 1] as Socket;
    const port = peer.address().port;
    const track = arrivalTracker(arr);
    let expect = -1;
    s.on('message', (m: Buffer) => {
      const seq = m.readUInt16BE(2);
      if (expect >= 0 && seq !== expect && counting) lost += (seq - expect) & 0xffff;
      expect = (seq + 1) & 0xffff;
      if (!counting) return;
      received++;
      track(performance.now());
    });
    let seq = 0;
    return {
      tick: () => {
        if (counting) sent++;
        // A fresh buffer per packet, as the engine does (a queued send must not see later writes).
        const pkt = Buffer.allocUnsafe(172).fill(0);
        pkt[0] = 0x80;
        pkt.writeUInt16BE(seq, 2);
        seq = (seq + 1) & 0xffff;
        s.send(pkt, port, '127.0.0.1');
      },
    };
  });
  for (const m of members) pacer.add(m);
  const w = await window(() => {
    pacer.resetStats();
    arr.reset();
    counting = true;
  });
  counting = false;
  const st = pacer.stats();
  const rss = process.memoryUsage().rss;
  for (const m of members) pacer.remove(m);
  pacer.stop();
  for (const s of socks) s.close();
  return {
    kind: 'baseline',
    legs: n,
    lateP50: st.lateP50Ms,
    lateP99: st.lateP99Ms,
    lateMax: st.lateMaxMs,
    arrP50: arr.quantile(0.5),
    arrP99: arr.quantile(0.99),
    sent,
    received,
    lossPct: sent ? (lost / sent) * 100 : 0,
    ratePct: (sent / ((n * w.ms) / 20)) * 100,
    cpuPct: w.cpuPct,
    cpuPerLegPct: w.cpuPct / n,
    memPerLegKb: (rss - mem0) / 1024 / n,
    rssMb: rss / 2 ** 20,
  };
}

async function engineStep(n: number, wav: string, sink: Sink | null): Promise<StepResult> {
  gc();
  const mem0 = process.memoryUsage().rss;
  const engine = createMediaEngine({
    portMin: PORT_MIN,
    portMax: PORT_MIN + 2 * n + 10,
    localAddress: '127.0.0.1',
  });
  const legs: UdpRtpLeg[] = [];
  // RTCP goes to the peer's port + 1: the pair's RTCP socket, but nobody's in sink mode.
  const rtcpIntervalMs = sink ? 0 : 5000;
  for (let i = 0; i < n; i++) legs.push(await engine.createLeg({ telephoneEventPt: 101, rtcpIntervalMs }));
  const arr = new LatenessHistogram();
  let counting = false;
  let received = 0;
  const digits: string[] = [];
  const eps: Endpoint[] = [];
  legs.forEach((leg, i) => {
    leg.setRemote('127.0.0.1', sink ? sink.port : (legs[i ^ 1] as UdpRtpLeg).localPort);
    const track = arrivalTracker(arr);
    leg.on('audio', (_pcm: Int16Array, info: AudioInfo) => {
      if (!counting) return;
      received++;
      track(info.arrival);
    });
    const ep = engine.endpoint(leg);
    ep.onDigit((d) => digits.push((d as DtmfEvent).digit));
    void ep.play(wav, { loop: 10_000 });
    eps.push(ep);
  });
  let sent0 = 0;
  let lost0 = 0;
  const sentTotal = (): number => legs.reduce((a, l) => a + l.stats().sent.packets, 0);
  // Loss as RFC 3550 counts it: sequence gaps seen by the receiving legs.
  const lostTotal = (): number => legs.reduce((a, l) => a + l.stats().received.lost, 0);
  const senders = sink ? [] : legs.filter((_, i) => i % 2 === 0);
  const dtmfAt = setTimeout(
    () => {
      if (sink) sink.child.send({ cmd: 'dtmf', ports: legs.map((l) => l.localPort) });
      else for (const l of senders) void l.sendDtmf('1', { durationMs: 100 });
    },
    WARMUP_MS + (SECONDS * 1000) / 2,
  );
  const w = await window(() => {
    engine.resetPacerStats();
    arr.reset();
    sent0 = sentTotal();
    lost0 = lostTotal();
    sink?.child.send({ cmd: 'reset' });
    counting = true;
  });
  const sinkStats = sink ? await sink.stats() : null;
  const lost = sinkStats ? sinkStats.lost : lostTotal() - lost0;
  if (sinkStats) {
    received = sinkStats.received;
    arr.reset();
  }
  const st = engine.stats();
  // Frames replaced by DTMF packets are neither sent as audio nor received as audio: count audio only.
  const sent = sentTotal() - sent0 - legs.reduce((a, l) => a + l.stats().sent.dtmfPackets, 0);
  counting = false;
  clearTimeout(dtmfAt);
  const rss = process.memoryUsage().rss;
  for (const ep of eps) ep.destroy();
  await engine.close();
  const ones = digits.filter((d) => d === '1').length;
  const expected = sink ? n : n / 2;
  return {
    kind: sink ? 'sink' : 'pairs',
    legs: n,
    lateP50: st.pacer.lateP50Ms,
    lateP99: st.pacer.lateP99Ms,
    lateMax: st.pacer.lateMaxMs,
    arrP50: sinkStats ? sinkStats.arrP50 : arr.quantile(0.5),
    arrP99: sinkStats ? sinkStats.arrP99 : arr.quantile(0.99),
    sent,
    received,
    lossPct: sent ? (lost / sent) * 100 : 0,
    ratePct: (sent / ((n * w.ms) / 20)) * 100,
    cpuPct: w.cpuPct,
    cpuPerLegPct: w.cpuPct / n,
    memPerLegKb: (rss - mem0) / 1024 / n,
    rssMb: rss / 2 ** 20,
    digits: `${ones}/${expected}${digits.length !== ones ? ` (+${digits.length - ones} wrong)` : ''}`,
  };
}

/** The sink child process: one UDP socket counting every leg's packets, sending RFC 4733 '1' on request. */
interface Sink {
  child: ChildProcess;
  port: number;
  stats(): Promise<{ received: number; lost: number; arrP50: number; arrP99: number }>;
}

async function startSink(): Promise<Sink> {
  const child = fork(fileURLToPath(import.meta.url), ['--sink'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  return {
    child,
    port,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m: { received: number; lost: number; arrP50: number; arrP99: number }) =>
          resolve(m),
        );
        child.send({ cmd: 'stats' });
      }),
  };
}

function runSink(): void {
  // A large receive buffer so a briefly descheduled sink does not drop what the engine sent (rmem_max bounds it).
  const sock = createSocket({ type: 'udp4', lookup: literalLookup, recvBufferSize: 4 * 1024 * 1024 });
  const streams = new Map<number, { next: number; last: number }>();
  const arr = new LatenessHistogram();
  let received = 0;
  let lost = 0;
  sock.on('message', (m: Buffer) => {
    if (m.length < 12 || ((m[1] as number) & 0x7f) > 8) return;
    const now = performance.now();
    const ssrc = m.readUInt32BE(8);
    const seq = m.readUInt16BE(2);
    const st = streams.get(ssrc);
    received++;
    if (!st) {
      streams.set(ssrc, { next: (seq + 1) & 0xffff, last: now });
      return;
    }
    if (seq !== st.next) lost += (seq - st.next) & 0xffff;
    arr.add(Math.abs(now - st.last - 20));
    st.next = (seq + 1) & 0xffff;
    st.last = now;
  });
  const event = (port: number, marker: boolean, end: boolean, dur: number, seq: number): void => {
    const b = Buffer.alloc(16);
    b[0] = 0x80;
    b[1] = (marker ? 0x80 : 0) | 101;
    b.writeUInt16BE(seq, 2);
    b.writeUInt32BE(8000, 4);
    b.writeUInt32BE(port, 8);
    b[12] = 1;
    b[13] = (end ? 0x80 : 0) | 10;
    b.writeUInt16BE(dur, 14);
    sock.send(b, port, '127.0.0.1');
  };
  process.on('message', (msg: { cmd: string; ports?: number[] }) => {
    if (msg.cmd === 'reset') {
      received = 0;
      lost = 0;
      arr.reset();
    } else if (msg.cmd === 'stats') {
      process.send?.({ received, lost, arrP50: arr.quantile(0.5), arrP99: arr.quantile(0.99) });
    } else if (msg.cmd === 'dtmf') {
      // RFC 4733 §2.5: marker start, an update 50 ms later, the end packet three times at 100 ms.
      const ports = msg.ports ?? [];
      for (const p of ports) event(p, true, false, 0, 1);
      setTimeout(() => ports.forEach((p) => event(p, false, false, 400, 2)), 50);
      setTimeout(() => ports.forEach((p) => [3, 4, 5].forEach((s) => event(p, false, true, 800, s))), 100);
    } else if (msg.cmd === 'exit') {
      sock.close();
      process.exit(0);
    }
  });
  sock.bind(0, '127.0.0.1', () => process.send?.({ port: sock.address().port }));
}

/**
 * Legs one fully available core could carry at this step's CPU cost per delivered packet. On a shared machine
 * the process gets a fraction of a core and falls behind (rate% < 100), so lateness says little; CPU per
 * packet still does (contention inflates it, so this errs low).
 */
function capacity(r: StepResult): number {
  const perLegFullRate = r.cpuPerLegPct / Math.max(0.01, r.ratePct / 100);
  return perLegFullRate > 0 ? Math.floor(100 / perLegFullRate) : 0;
}

function fmt(r: StepResult): string {
  const f = (v: number, d = 2): string => v.toFixed(d);
  return [
    r.kind.padEnd(8),
    String(r.legs).padStart(5),
    f(r.lateP50).padStart(6),
    (r.lateP99 >= 100 ? '>100' : f(r.lateP99)).padStart(6),
    f(r.lateMax, 1).padStart(7),
    f(r.arrP50).padStart(6),
    (r.arrP99 >= 100 ? '>100' : f(r.arrP99)).padStart(6),
    f(r.lossPct, 3).padStart(7),
    f(r.ratePct, 1).padStart(6),
    f(r.cpuPct, 1).padStart(6),
    f(r.cpuPerLegPct, 3).padStart(7),
    f(r.memPerLegKb, 1).padStart(7),
    (r.digits ?? '-').padStart(10),
    String(capacity(r)).padStart(8),
  ].join(' ');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));
  const wav = join(dir, 'prompt.wav');
  const pcm = new Int16Array(16000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(3000 * Math.sin((2 * Math.PI * 425 * i) / 8000));
  const w = new wavefile.WaveFile();
  w.fromScratch(1, 8000, '16', pcm);
  writeFileSync(wav, w.toBuffer());
  console.log(
    `bench:media  ${SECONDS}s per step after ${WARMUP_MS} ms warm-up; legs ${LEGS.join(',')}; node ${process.version}`,
  );
  console.log(
    'kind      legs lateP50 lateP99 lateMax arrP50 arrP99   loss%  rate%   cpu% cpu%/leg  KB/leg     digits cap/core',
  );
  const results: StepResult[] = [];
  try {
    for (const n of LEGS) {
      const even = n - (n % 2);
      const b = await baseline(even);
      console.log(fmt(b));
      results.push(b);
      for (const mode of MODES) {
        const sink = mode === 'sink' ? await startSink() : null;
        try {
          const e = await engineStep(even, wav, sink);
          console.log(fmt(e));
          results.push(e);
        } finally {
          sink?.child.send({ cmd: 'exit' });
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const mode of MODES) {
    const ok = results.filter((r) => r.kind === mode && r.lateP99 < 2 && r.lossPct === 0);
    const best = ok.reduce((m, r) => Math.max(m, r.legs), 0);
    console.log(`${mode}: largest N with send p99 < 2 ms and no loss: ${best || 'none'} (target ≥ 1000)`);
  }
  console.log(
    `cpu: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    JSON.stringify({
      seconds: SECONDS,
      results: results.map((r) => ({ ...r, capacityPerCore: capacity(r) })),
    }),
  );
}

if (process.argv.includes('--sink')) runSink();
else void main();
