/**
 * Bot streaming benchmark: N concurrent streams through our WebSocket bot client (createWsBots, the code
 * behind stream-to-websocket) to the example echo bot, running in its own process. Each stream sends a
 * 20 ms frame every 20 ms (phases spread evenly), the bot echoes every frame as one chunk plus a mark, and we
 * time each frame from the tap's caller audio to the echo arriving back at the tap (FIFO per stream).
 *
 * Baseline in the same run: the same schedule of same-size JSON text frames through a raw `ws` echo server
 * (no protocol layer on either side), so "ours − raw" bounds what our layer and the bot's JSON handling add.
 * Also measured directly: the time our client spends turning one caller frame into a WebSocket frame
 * (encode + JSON + send), i.e. the added latency "caller audio in → WebSocket frame out".
 *
 * Then the RTP part (bench/stream-rtp.ts): real RTP through the media engine, the tap and our client, with the
 * callers and the bot in a peer process (bench/stream-peer.ts), so only what production holds is measured here.
 * The machine is shared: each row says how long our process waited for a CPU. To measure the code rather than
 * the neighbours, run it at real-time priority (both processes inherit it): `chrt -f 10 npm run bench:stream`.
 *
 * Run: `npm run bench:stream [-- --short] [-- --streams 50,200 --seconds 5 --protocols exotel,twilio --no-rtp --rtp-only]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import WebSocket from 'ws';
import { createWsBots } from '../src/bots/index.js';
import type { AudioTap, BotStreamOptions, DigitEvent } from '../src/ports/index.js';
import { describeProbe } from './stream-probe.js';
import { runRtpStreams, type RtpRow, type Blame } from './stream-rtp.js';

const { values } = parseArgs({ options: { short: { type: 'boolean' }, streams: { type: 'string' }, seconds: { type: 'string' }, protocols: { type: 'string' }, 'no-rtp': { type: 'boolean' }, 'rtp-only': { type: 'boolean' } } });
const SHORT = values.short === true;
const COUNTS = (values.streams ?? (SHORT ? '50,200' : '50,200,400')).split(',').map(Number);
const SECONDS = Number(values.seconds ?? (SHORT ? 2 : 5));
const PROTOCOLS = (values.protocols ?? 'exotel,twilio').split(',') as Array<BotStreamOptions['protocol']>;
const WARMUP_MS = 500;
const FRAME_MS = 20;
const FRAME_SAMPLES = 160;
const RTP_PORT_MIN = Number(process.env.BENCH_PORT_MIN ?? 47000);

/** A tap for the benchmark: `speak` pushes caller audio; echoed audio is timed against the send FIFO. */
class BenchTap implements AudioTap {
  readonly sampleRate = 8000;
  private audioFns: Array<(pcm: Int16Array, ts: number) => void> = [];
  private markFns: Array<(name: string) => void> = [];
  private readonly sentAt: number[] = [];
  constructor(private readonly sink: Stats) {}
  onAudio(fn: (pcm: Int16Array, ts: number) => void): () => void {
    this.audioFns.push(fn);
    return () => (this.audioFns = this.audioFns.filter((f) => f !== fn));
  }
  onDtmf(_fn: (e: DigitEvent) => void): () => void {
    return () => undefined;
  }
  onMark(fn: (name: string) => void): () => void {
    this.markFns.push(fn);
    return () => (this.markFns = this.markFns.filter((f) => f !== fn));
  }
  /** True once the client has connected and subscribed to caller audio. */
  get connected(): boolean {
    return this.audioFns.length > 0;
  }
  speak(pcm: Int16Array): void {
    if (!this.connected) return;
    const t0 = performance.now();
    // Frames sent outside the measuring window are kept (FIFO) but marked negative, so they are not counted.
    this.sentAt.push(this.sink.measuring ? t0 : -t0);
    for (const fn of this.audioFns) fn(pcm, 0);
    this.sink.sent(performance.now() - t0);
  }
  enqueue(pcm: Int16Array): void {
    const t = this.sentAt.shift();
    if (t !== undefined && t >= 0 && pcm.length === FRAME_SAMPLES) this.sink.echoed(performance.now() - t);
  }
  /** The bench plays instantly: a mark counts as played at once (and goes back to the bot). */
  mark(name: string): void {
    for (const fn of this.markFns) fn(name);
  }
  clear(): string[] {
    return [];
  }
  close(): void {}
}

/** Latency samples for one scenario; only counted inside the measuring window. */
class Stats {
  measuring = false;
  framesOut = 0;
  latencies: number[] = [];
  sendCosts: number[] = [];
  sent(costMs: number): void {
    if (!this.measuring) return;
    this.framesOut++;
    this.sendCosts.push(costMs);
  }
  echoed(ms: number): void {
    this.latencies.push(ms);
  }
}

const pct = (v: number[], p: number): number => {
  if (v.length === 0) return NaN;
  const s = Float64Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

/** CPU seconds used so far by a child process (utime + stime from /proc, in clock ticks of 10 ms). */
function childCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function startChild(args: string[]): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`child did not start: ${out}`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on ws:\/\/[\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
  });
  return { port, child };
}

const RAW_ECHO = `const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
wss.on('connection', (ws) => ws.on('message', (d, bin) => ws.send(d, { binary: bin })));
wss.on('listening', () => console.log('listening on ws://127.0.0.1:' + wss.address().port));`;

/** Send one frame per stream every 20 ms, phases spread evenly; runs warm-up then the measuring window. */
async function drive(count: number, send: (i: number) => void, stats: Stats): Promise<number> {
  const start = performance.now();
  const due = Array.from({ length: count }, (_, i) => start + (i * FRAME_MS) / count);
  const tick = (): void => {
    const now = performance.now();
    for (let i = 0; i < count; i++) {
      while ((due[i] as number) <= now) {
        send(i);
        due[i] = (due[i] as number) + FRAME_MS;
      }
    }
  };
  const timer = setInterval(tick, 1);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  stats.measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  stats.measuring = false;
  const secs = (performance.now() - t0) / 1000;
  clearInterval(timer);
  // Let in-flight echoes of the window land (they count) before the next scenario starts.
  await new Promise((r) => setTimeout(r, 200));
  return secs;
}

interface Row {
  path: string;
  streams: number;
  framesPerSec: number;
  p50: number;
  p99: number;
  max: number;
  sendP50?: number;
  sendP99?: number;
  cpuMain: number;
  cpuBot: number;
  lost: number;
}

async function measure(path: string, count: number, botPid: number, stats: Stats, send: (i: number) => void): Promise<Row> {
  const cpu0 = process.cpuUsage();
  const bot0 = childCpuSeconds(botPid);
  const secs = await drive(count, send, stats);
  const cpu = process.cpuUsage(cpu0);
  const botCpu = childCpuSeconds(botPid) - bot0;
  const window = secs + (WARMUP_MS + 200) / 1000;
  return {
    path,
    streams: count,
    framesPerSec: stats.latencies.length / secs,
    p50: pct(stats.latencies, 50),
    p99: pct(stats.latencies, 99),
    max: Math.max(...stats.latencies),
    ...(stats.sendCosts.length ? { sendP50: pct(stats.sendCosts, 50), sendP99: pct(stats.sendCosts, 99) } : {}),
    cpuMain: ((cpu.user + cpu.system) / 1e6 / window) * 100,
    cpuBot: (botCpu / window) * 100,
    lost: Math.max(0, stats.framesOut - stats.latencies.length),
  };
}

async function ours(protocol: BotStreamOptions['protocol'], count: number, botUrl: string, botPid: number): Promise<Row> {
  const stats = new Stats();
  const bots = createWsBots({ log: pino({ level: 'silent' }) });
  const ac = new AbortController();
  setMaxListeners(count + 10, ac.signal);
  const taps = Array.from({ length: count }, () => new BenchTap(stats));
  const call = { id: 'bench', direction: 'inbound' as const, from: '+1', to: '+2', fromUri: 'sip:1@x', toUri: 'sip:2@x', domain: 'x', headers: {} };
  const opts: BotStreamOptions = { url: botUrl, protocol, params: {}, sampleRate: 8000, encoding: 'pcm', bidirectional: true, connectTimeoutMs: 10_000, maxDurationMs: 600_000, call, accountId: 'bench' };
  const done = taps.map((tap) => bots.stream(tap, opts, ac.signal));
  for (let waited = 0; !taps.every((t) => t.connected); waited += 20) {
    if (waited > 15_000) throw new Error('streams did not connect within 15 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const frame = Int16Array.from({ length: FRAME_SAMPLES }, (_, i) => Math.round(8000 * Math.sin(i / 3)));
  const row = await measure(`ours/${protocol}`, count, botPid, stats, (i) => taps[i]?.speak(frame));
  ac.abort();
  const outcomes = await Promise.all(done);
  const bad = outcomes.filter((o) => o.outcome !== 'aborted');
  if (bad.length) throw new Error(`${bad.length} streams ended early: ${JSON.stringify(bad[0])}`);
  return row;
}

async function raw(count: number, port: number, pid: number): Promise<Row> {
  const stats = new Stats();
  const sockets = await Promise.all(
    Array.from({ length: count }, () => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })),
  );
  const sentAt = sockets.map(() => [] as number[]);
  sockets.forEach((ws, i) => ws.on('message', () => {
    const t = sentAt[i]?.shift();
    if (t !== undefined && t >= 0) stats.echoed(performance.now() - t);
  }));
  // A media message of the same size as ours: 320 bytes of PCM, base64, in the Exotel envelope.
  const text = JSON.stringify({ event: 'media', sequence_number: '1000', stream_sid: 'MZ0123456789abcdef0123456789abcdef', media: { chunk: '999', timestamp: '19980', payload: Buffer.alloc(320, 7).toString('base64') } });
  const row = await measure('raw ws echo', count, pid, stats, (i) => {
    sentAt[i]?.push(stats.measuring ? performance.now() : -performance.now());
    if (stats.measuring) stats.framesOut++;
    sockets[i]?.send(text);
  });
  for (const ws of sockets) ws.terminate();
  return row;
}

const f = (n: number | undefined, d = 2): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));

async function wsPart(): Promise<void> {
  const echoBot = fileURLToPath(new URL('../examples/bots/echo-bot.ts', import.meta.url));
  // tsx as a loader in node itself (not `npx tsx`, a chain of processes), so the pid measured is the bot's.
  const bot = await startChild(['--import', 'tsx', echoBot, '--port', '0', '--chunk-ms', '20', '--quiet']);
  const rawEcho = await startChild(['-e', RAW_ECHO]);
  const rows: Row[] = [];
  try {
    for (const count of COUNTS) {
      rows.push(await raw(count, rawEcho.port, rawEcho.child.pid ?? 0));
      for (const p of PROTOCOLS) rows.push(await ours(p, count, `ws://127.0.0.1:${bot.port}/bench`, bot.child.pid ?? 0));
      console.error(`  (ws path: ${count} streams done)`);
    }
  } finally {
    bot.child.kill('SIGTERM');
    rawEcho.child.kill('SIGTERM');
  }
  console.log(`bench:stream — ${SECONDS}s per row after ${WARMUP_MS} ms warm-up; 20 ms frames per stream; echo bot in its own process; ${new Date().toISOString()}`);
  console.log('path            streams  frames/s  rtt p50 ms  rtt p99 ms  rtt max ms  send p50/p99 µs  cpu main %  cpu bot %  lost');
  for (const r of rows) {
    const send = r.sendP50 === undefined ? '-' : `${f((r.sendP50 ?? 0) * 1000, 0)}/${f((r.sendP99 ?? 0) * 1000, 0)}`;
    console.log(
      `${r.path.padEnd(15)} ${String(r.streams).padStart(7)} ${f(r.framesPerSec, 0).padStart(9)} ${f(r.p50).padStart(11)} ${f(r.p99).padStart(11)} ${f(r.max).padStart(11)} ${send.padStart(16)} ${f(r.cpuMain, 0).padStart(11)} ${f(r.cpuBot, 0).padStart(10)} ${String(r.lost).padStart(5)}`,
    );
  }
  for (const count of COUNTS) {
    const base = rows.find((r) => r.path === 'raw ws echo' && r.streams === count);
    for (const r of rows.filter((x) => x.streams === count && x.path !== 'raw ws echo')) {
      console.log(`added by our layer + bot JSON at ${count} streams (${r.path}): p50 ${f(r.p50 - (base?.p50 ?? NaN))} ms, p99 ${f(r.p99 - (base?.p99 ?? NaN))} ms (round trip, both directions)`);
    }
  }
  const under5 = rows.filter((r) => r.path.startsWith('ours') && r.p99 < 5).map((r) => r.streams);
  console.log(`largest tested stream count with round-trip p99 < 5 ms: ${under5.length ? Math.max(...under5) : 'none'}`);
}

async function rtpPart(): Promise<void> {
  const rtp: RtpRow[] = [];
  for (const count of COUNTS) {
    rtp.push(await runRtpStreams(count, SECONDS, WARMUP_MS, RTP_PORT_MIN));
    console.error(`  (rtp path: ${count} streams done)`);
  }
  const pp = (v: [number, number] | undefined, d = 3): string => (v ? `${f(v[0], d)}/${f(v[1], d)}` : '-');
  const bl = (b: Blame): string => `${b.total} (overlapping a stall of ours only ${b.ours}, of the peer only ${b.peer}, both ${b.both}, neither ${b.neither})`;
  const waitPct = (r: RtpRow): number => (100 * r.probeOurs.runqWaitMs) / (SECONDS * 1000);
  console.log('');
  console.log(`real RTP through the media engine + tap + our client (this process); callers' RTP and an exotel bot in a peer process; send times taken by the peer just before its socket writes, CLOCK_MONOTONIC across both; ${load()}; ${SECONDS}s per row. All p50/p99 ms.`);
  console.log('Way in  — A: caller RTP sent → our WS frame written (added latency, incl. UDP loopback and any wait in our socket queue); A1: of which sent → our handler reads it; A2: our read → WS frame written.');
  console.log('Way back — B: bot WS frame sent → our RTP packet sent, minus the wait for the stream\'s next 20 ms pacer slot (added latency, incl. TCP loopback); B+slot: the same with the slot wait; B2: our read of the frame → RTP sent, minus / with the slot wait.');
  console.log('streams       A p50/p99      A1 p50/p99     A2 p50/p99      B p50/p99   B+slot p50/p99      B2 p50/p99   B2+slot p50/p99  pacer late p99  cpu ours/peer %  ours waiting for a CPU %  loop busy ours/peer %');
  for (const r of rtp) {
    console.log(
      `${`${r.connected === r.streams ? '' : `${r.connected}/`}${r.streams}`.padStart(7)} ${pp(r.callerToWs).padStart(14)} ${pp(r.callerToRead).padStart(14)} ${pp([r.inP50, r.inP99]).padStart(14)} ${pp(r.botToRtpNoSlot).padStart(14)} ${pp(r.botToRtp, 2).padStart(16)} ${pp(r.back.added).padStart(15)} ${pp(r.back.readToSent, 2).padStart(17)} ${f(r.pacerLateP99).padStart(15)} ${`${f(r.cpuPct, 0)}/${f(r.cpuPeerPct, 0)}`.padStart(16)} ${f(waitPct(r), 0).padStart(25)} ${`${f(100 * r.probeOurs.elu, 0)}/${f(100 * r.probePeer.elu, 0)}`.padStart(22)}`,
    );
  }
  console.log('');
  console.log('measured by the peer alone (its own reads included, so its stalls count): caller→bot end to end, bot WS sent → first RTP packet received (with the slot wait); frames/s; chunks');
  for (const r of rtp) {
    console.log(`${String(r.streams).padStart(7)}: caller→bot ${pp([r.e2eP50, r.e2eP99])}, bot→caller ${pp([r.outP50, r.outP99], 2)}; ${f(r.framesToBot, 0)} frames/s to the bot, ${r.chunksBack} bot chunks, ${r.chunksLost} lost${r.unstamped ? `, ${r.unstamped} frames without a readable stamp` : ''}`);
  }
  for (const r of rtp) {
    console.log(`${r.streams} streams, way back inside our process: read → queued ${pp(r.back.parse)} + slot wait (by design) ${pp(r.back.slotWait)} + pacer late ${pp(r.back.late)}`);
    console.log(`  ${describeProbe('ours', r.probeOurs)}`);
    console.log(`  ${describeProbe('peer', r.probePeer)}`);
    console.log(`  slow (> 5 ms) bot send → queued: ${bl(r.slowQueued)}; slow caller → bot: ${bl(r.slowE2e)}`);
  }
  const ok = rtp.filter((r) => (r.callerToWs[1] ?? NaN) < 5 && (r.botToRtpNoSlot[1] ?? NaN) < 5).map((r) => r.streams);
  console.log(`largest tested stream count with both added latencies (A, B) p99 < 5 ms: ${ok.length ? Math.max(...ok) : 'none'}`);
  const at200 = rtp.find((r) => r.streams === 200);
  if (at200) {
    const met = (at200.callerToWs[1] ?? NaN) < 2 && (at200.botToRtpNoSlot[1] ?? NaN) < 2;
    console.log(`target p99 < 2 ms at 200 streams: A ${f(at200.callerToWs[1], 3)} ms, B ${f(at200.botToRtpNoSlot[1], 3)} ms: ${met ? 'met' : 'not met'}; our process waited for a CPU ${f(waitPct(at200), 0)}% of the window`);
  }
}

/** Machine load when the run ends (the machine is shared; a busy one inflates every p99 here). */
function load(): string {
  return `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs`;
}

// Bounded in time whatever the machine does: a run that cannot finish says so instead of hanging.
const LIMIT_MS = (SHORT ? 240 : 600) * 1000;
setTimeout(() => {
  console.error(`bench:stream: gave up after ${LIMIT_MS / 1000} s (the machine is too loaded to finish)`);
  process.exit(1);
}, LIMIT_MS).unref();

if (!values['rtp-only']) await wsPart();
if (!values['no-rtp']) await rtpPart();

