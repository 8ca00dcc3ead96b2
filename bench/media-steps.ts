/**
 * One measured step of bench:media: N legs in this process sending 20 ms G.711 frames to the sink process
 * (bench/media-sink.ts), either bare dgram sockets on a pacer (the baseline: what Node's UDP alone costs) or
 * the media engine (an Endpoint per leg playing a looped prompt and listening for DTMF). The sink plays each
 * leg's peer: a comfort-noise packet every `peerMs` from the address the leg sends to, so the legs latch it
 * and (by default) send over a socket connected to it; a digit mid-window.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PacerGroup } from '../src/engines/embedded/media/clock/pacer-group.js';
import { literalLookup } from '../src/engines/embedded/media/rtp/port-pool.js';
import type * as MediaModule from '../src/engines/embedded/media/index.js';
import wavefile from 'wavefile';
import type { SinkCommand, SinkReady, SinkStats, SinkTarget } from './media-sink.js';

/** The benches' prompt: 2 s of a 425 Hz tone, 8 kHz 16-bit mono, written to `dir`/prompt.wav. */
export function writePrompt(dir: string): string {
  const wav = join(dir, 'prompt.wav');
  const pcm = new Int16Array(16000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(3000 * Math.sin((2 * Math.PI * 425 * i) / 8000));
  const w = new wavefile.WaveFile();
  w.fromScratch(1, 8000, '16', pcm);
  writeFileSync(wav, w.toBuffer());
  return wav;
}

/** Timing of a step. */
export interface StepTiming {
  seconds: number;
  warmupMs: number;
  /** The sink sends each leg a comfort-noise packet this often (0: only the mid-window digit). */
  peerMs: number;
}

/** Figures of one step: the measured process's, then the sink's. */
export interface StepResult {
  kind: string;
  legs: number;
  lateP50: number;
  lateP99: number;
  lateMax: number;
  sent: number;
  /** Audio packets sent / packets the 20 ms grid asks for (below 100: the process fell behind). */
  ratePct: number;
  cpuPct: number;
  cpuPerLegPct: number;
  /** CPU time of this process per audio packet sent (µs): comparable across runs that fell behind. */
  usPerPacket: number;
  /** Live JS heap + external memory per leg after a full GC (needs --expose-gc, as npm run bench:media has). */
  memPerLegKb: number;
  rssMb: number;
  digits: string;
  sink: SinkStats;
  lossPct: number;
  /** Legs sending over a connected socket at the window's start and end (%); null: not an engine with it. */
  connectedStartPct: number | null;
  connectedEndPct: number | null;
  /** From the sink's first packet until every leg sent connected (ms); null: not within the warm-up. */
  allConnectedMs: number | null;
}

/** A running sink process. */
export interface Sink {
  ports: number[];
  send(cmd: SinkCommand): void;
  stats(): Promise<SinkStats>;
  close(): void;
}

/** Start the sink process with `sockets` RTP/RTCP pairs. */
export async function startSink(sockets: number): Promise<Sink> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./media-sink.ts', import.meta.url)),
    [String(sockets)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = await new Promise<SinkReady>((resolve, reject) => {
    child.once('message', (m: SinkReady) => resolve(m));
    child.once('exit', (code) => reject(new Error(`sink exited (${code})`)));
  });
  return {
    ports: ready.ports,
    send: (cmd) => child.send(cmd),
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m: SinkStats) => resolve(m));
        child.send({ cmd: 'stats' } satisfies SinkCommand);
      }),
    close: () => {
      if (child.connected) child.send({ cmd: 'exit' } satisfies SinkCommand);
      setTimeout(() => child.kill(), 2000).unref();
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Live JS memory after a full GC (heap + buffers outside it): what the legs keep, not their garbage. */
function liveBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Warm up, reset the counters, measure for the window; the sink's DTMF goes out mid-window. */
async function window(
  t: StepTiming,
  sink: Sink,
  reset: () => void,
  midway: () => void,
): Promise<{ cpuPct: number; ms: number; sink: SinkStats }> {
  await sleep(t.warmupMs);
  reset();
  sink.send({ cmd: 'reset' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const mid = setTimeout(midway, (t.seconds * 1000) / 2 - 500);
  await sleep(t.seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  clearTimeout(mid);
  const s = await sink.stats();
  return { cpuPct: ((cpu.user + cpu.system) / 1000 / ms) * 100, ms, sink: s };
}

function result(
  kind: string,
  n: number,
  w: { cpuPct: number; ms: number; sink: SinkStats },
  late: { lateP50Ms: number; lateP99Ms: number; lateMaxMs: number },
  sent: number,
  memDelta: number,
  digits: string,
  conn: Pick<StepResult, 'connectedStartPct' | 'connectedEndPct' | 'allConnectedMs'> = {
    connectedStartPct: null,
    connectedEndPct: null,
    allConnectedMs: null,
  },
): StepResult {
  return {
    kind,
    legs: n,
    lateP50: late.lateP50Ms,
    lateP99: late.lateP99Ms,
    lateMax: late.lateMaxMs,
    sent,
    ratePct: (sent / ((n * w.ms) / 20)) * 100,
    cpuPct: w.cpuPct,
    cpuPerLegPct: w.cpuPct / n,
    usPerPacket: sent ? ((w.cpuPct / 100) * w.ms * 1000) / sent : 0,
    memPerLegKb: memDelta / 1024 / n,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    digits,
    sink: w.sink,
    lossPct: sent ? (w.sink.lost / sent) * 100 : 0,
    ...conn,
  };
}

/** Bare sockets: a fresh 172-byte packet per send with the sequence number written, unconnected sendto. */
export async function baselineStep(n: number, sink: Sink, t: StepTiming): Promise<StepResult> {
  const mem0 = liveBytes();
  const socks: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = createSocket({ type: 'udp4', lookup: literalLookup });
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    s.on('message', () => undefined);
    socks.push(s);
  }
  let sent = 0;
  let counting = false;
  const pacer = new PacerGroup();
  const members = socks.map((s, i) => {
    const port = sink.ports[i % sink.ports.length] as number;
    const ssrc = (0x10000 + i) >>> 0;
    let seq = 0;
    return {
      tick: (): void => {
        if (counting) sent++;
        const pkt = Buffer.allocUnsafe(172).fill(0xff);
        pkt[0] = 0x80;
        pkt[1] = 0;
        pkt.writeUInt16BE(seq, 2);
        pkt.writeUInt32BE(ssrc, 8);
        seq = (seq + 1) & 0xffff;
        s.send(pkt, port, '127.0.0.1');
      },
    };
  });
  for (const m of members) pacer.add(m);
  const w = await window(
    t,
    sink,
    () => {
      pacer.resetStats();
      counting = true;
    },
    () => undefined,
  );
  counting = false;
  const late = pacer.stats();
  const mem = liveBytes();
  for (const m of members) pacer.remove(m);
  pacer.stop();
  for (const s of socks) s.close();
  return result('baseline', n, w, late, sent, mem - mem0, '-');
}

/**
 * connectedSend for a bench label: `…-unconnected` false, `…+c` true (for older copies whose default was off),
 * anything else the engine's own default (this tree: connected once the peer is latched).
 */
export function connectedSendFor(label: string): boolean | undefined {
  if (label.endsWith('-unconnected')) return false;
  if (label.endsWith('+c')) return true;
  return undefined;
}

/** Percentage of `legs` sending connected; null when the engine copy does not say (older copies). */
function connectedPct(legs: Array<{ sendsConnected?: boolean }>): number | null {
  if (legs.length === 0 || legs[0]?.sendsConnected === undefined) return null;
  return (legs.filter((l) => l.sendsConnected).length / legs.length) * 100;
}

/** The engine loaded from `modulePath` (so an older copy can be measured side by side); see connectedSendFor. */
export async function engineStep(
  label: string,
  modulePath: string,
  n: number,
  wav: string,
  sink: Sink,
  t: StepTiming,
  portMin: number,
): Promise<StepResult> {
  const media = (await import(modulePath)) as typeof MediaModule;
  const mem0 = liveBytes();
  const engine = media.createMediaEngine({
    portMin,
    portMax: portMin + 2 * n + 64,
    localAddress: '127.0.0.1',
    connectedSend: connectedSendFor(label),
    pacerSlots: process.env.BENCH_PACER_SLOTS ? Number(process.env.BENCH_PACER_SLOTS) : undefined,
  });
  const legs: MediaModule.UdpRtpLeg[] = [];
  const eps: MediaModule.Endpoint[] = [];
  const heard = new Set<number>();
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const leg = await engine.createLeg({ telephoneEventPt: 101 });
    leg.setRemote('127.0.0.1', sink.ports[i % sink.ports.length] as number);
    const ep = engine.endpoint(leg);
    ep.onDigit((d) => {
      if (d.digit === '1') heard.add(i);
      else wrong++;
    });
    void ep.play(wav, { loop: 10_000 });
    legs.push(leg);
    eps.push(ep);
  }
  const targets: SinkTarget[] = legs.map((l, i) => ({ port: l.localPort, sink: i }));
  sink.send({ cmd: 'peer', targets, everyMs: t.peerMs });
  // How soon the legs latch the peer and connect: polled through the warm-up (outside the window).
  const peerFrom = performance.now();
  let allConnectedMs: number | null = null;
  const poll = setInterval(() => {
    if (allConnectedMs === null && connectedPct(legs) === 100) allConnectedMs = performance.now() - peerFrom;
  }, 10);
  const audioSent = (): number =>
    legs.reduce((a, l) => a + l.stats().sent.packets - l.stats().sent.dtmfPackets, 0);
  let sent0 = 0;
  let connectedStartPct: number | null = null;
  const w = await window(
    t,
    sink,
    () => {
      clearInterval(poll);
      connectedStartPct = connectedPct(legs);
      engine.resetPacerStats();
      sent0 = audioSent();
    },
    () => sink.send({ cmd: 'dtmf', spreadMs: 1000, targets }),
  );
  const connectedEndPct = connectedPct(legs);
  sink.send({ cmd: 'peer', targets: [], everyMs: 0 });
  const sent = audioSent() - sent0;
  const late = engine.stats().pacer;
  const mem = liveBytes();
  for (const ep of eps) ep.destroy();
  await engine.close();
  const digits = `${heard.size}/${n}${wrong ? ` +${wrong}?` : ''}`;
  return result(label, n, w, late, sent, mem - mem0, digits, {
    connectedStartPct,
    connectedEndPct,
    allConnectedMs,
  });
}
