/**
 * bench:media: N concurrent RTP legs, each an Endpoint playing a looped WAV prompt (20 ms G.711 frames) to a
 * local RTP sink and listening for DTMF. The sink is a separate process (bench/media-sink.ts): it counts every
 * leg's packets (loss per leg from RTP sequence numbers), plays each leg's peer (a comfort-noise packet every
 * BENCH_PEER_MS from the address the leg sends to: the legs latch it and, by default, then send over a
 * connected socket) and sends each leg one RFC 4733 digit mid-window, spread over a second. This process runs
 * the engine alone, so its CPU is the engine's cost; the sink's CPU is reported apart. Before the engine, a
 * baseline runs the same number of bare dgram sockets against a fresh sink: the floor of what Node's UDP costs.
 * conn% is the share of legs sending connected at the end of the window.
 *
 *   BENCH_SECONDS=10 BENCH_LEGS=1000,1500,2000 npm run bench:media
 *   BENCH_ENGINES=before=/path/to/media/index.ts,after   measure another copy of the engine side by side
 *   BENCH_ENGINES=engine,engine-unconnected               engine: defaults (connected once the peer is latched);
 *                                                         …-unconnected: connectedSend false; …+c: true (older copies)
 *   BENCH_PEER_MS=500                                     the peer's packet interval (0: only the digit; legs then
 *                                                         connect at the digit and let go 1 s after it)
 *   BENCH_ROUNDS=3                                        repeat the sweep; medians are printed at the end
 *   BENCH_BASELINE=0                                      skip the bare-socket baseline
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  baselineStep,
  connectedSendFor,
  engineStep,
  startSink,
  type StepResult,
  type StepTiming,
  writePrompt,
} from './media-steps.js';

const TIMING: StepTiming = {
  seconds: Math.max(3, Math.min(120, Number(process.env.BENCH_SECONDS ?? 10))),
  warmupMs: 1500,
  peerMs: Math.max(0, Math.min(900, Number(process.env.BENCH_PEER_MS ?? 500))),
};
const LEGS = (process.env.BENCH_LEGS ?? '1000')
  .split(',')
  .map(Number)
  .filter((n) => n >= 1 && n <= 8000);
const ROUNDS = Math.max(1, Math.min(9, Number(process.env.BENCH_ROUNDS ?? 1)));
const PORT_MIN = Number(process.env.BENCH_PORT_MIN ?? 42000);
const BASELINE = process.env.BENCH_BASELINE !== '0';
const DEFAULT_ENGINE = fileURLToPath(new URL('../src/engines/embedded/media/index.ts', import.meta.url));
/** label=path pairs; a bare label means this tree's engine. */
const ENGINES = (process.env.BENCH_ENGINES ?? 'engine').split(',').map((spec) => {
  const [label, path] = spec.split('=');
  return { label: (label ?? 'engine').slice(0, 24), path: path ?? DEFAULT_ENGINE };
});
const KIND_WIDTH = Math.max(8, ...ENGINES.map((e) => e.label.length));
/** Legs per sink socket pair (a few sockets keep each receive queue short). */
const LEGS_PER_SINK_SOCKET = 250;

const HEADER = `${'kind'.padEnd(KIND_WIDTH)}  legs lateP50 lateP99 lateMax  rate%   cpu% cpu%/leg us/pkt KB/leg   loss% lossLegs arrP99 sinkCpu%    digits conn%`;

function fmt(r: StepResult): string {
  const f = (v: number, d = 2): string => v.toFixed(d);
  return [
    r.kind.padEnd(KIND_WIDTH),
    String(r.legs).padStart(5),
    f(r.lateP50).padStart(7),
    (r.lateP99 >= 100 ? '>100' : f(r.lateP99)).padStart(7),
    f(r.lateMax, 1).padStart(7),
    f(r.ratePct, 1).padStart(6),
    f(r.cpuPct, 1).padStart(6),
    f(r.cpuPerLegPct, 4).padStart(8),
    f(r.usPerPacket).padStart(6),
    f(r.memPerLegKb, 1).padStart(6),
    f(r.lossPct, 3).padStart(7),
    String(r.sink.streamsWithLoss).padStart(8),
    (r.sink.arrP99 >= 100 ? '>100' : f(r.sink.arrP99)).padStart(6),
    f(r.sink.cpuPct, 1).padStart(8),
    r.digits.padStart(9),
    (r.connectedEndPct === null ? '-' : f(r.connectedEndPct, 0)).padStart(5),
  ].join(' ');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));
  const wav = writePrompt(dir);
  console.log(
    `bench:media  ${TIMING.seconds}s per step after ${TIMING.warmupMs} ms warm-up; legs ${LEGS.join(',')}; ` +
      `rounds ${ROUNDS}; engines ${ENGINES.map((e) => e.label).join(',')}; peer every ${TIMING.peerMs || '-'} ms; ` +
      `node ${process.version}`,
  );
  console.log(HEADER);
  const results: StepResult[] = [];
  const kinds = [...(BASELINE ? ['baseline'] : []), ...ENGINES.map((e) => e.label)];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of LEGS) {
        for (const kind of kinds) {
          const sink = await startSink(Math.ceil(n / LEGS_PER_SINK_SOCKET));
          try {
            const eng = ENGINES.find((e) => e.label === kind);
            const r = eng
              ? await engineStep(kind, eng.path, n, wav, sink, TIMING, PORT_MIN)
              : await baselineStep(n, sink, TIMING);
            console.log(fmt(r));
            if (r.connectedStartPct !== null && connectedSendFor(r.kind) !== false)
              console.log(
                `  ${r.kind}: connected ${r.connectedStartPct.toFixed(0)}% at the window's start; every leg connected ` +
                  `${r.allConnectedMs === null ? 'not within the warm-up' : `${r.allConnectedMs.toFixed(0)} ms after the peer's first packets`}`,
              );
            results.push(r);
          } finally {
            sink.close();
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (ROUNDS > 1) {
    console.log(`medians over ${ROUNDS} rounds (kind legs lateP99 cpu% cpu%/leg us/pkt loss%):`);
    for (const n of LEGS)
      for (const kind of kinds) {
        const rs = results.filter((r) => r.kind === kind && r.legs === n);
        console.log(
          `  ${kind.padEnd(KIND_WIDTH)} ${String(n).padStart(5)} ${median(rs.map((r) => r.lateP99))
            .toFixed(2)
            .padStart(7)} ` +
            `${median(rs.map((r) => r.cpuPct))
              .toFixed(1)
              .padStart(6)} ${median(rs.map((r) => r.cpuPerLegPct)).toFixed(4)} ` +
            `${median(rs.map((r) => r.usPerPacket))
              .toFixed(2)
              .padStart(6)} ` +
            `${median(rs.map((r) => r.lossPct)).toFixed(3)}`,
        );
      }
  }
  // With several rounds a leg count counts only if the median round meets the target and no round lost packets.
  for (const kind of kinds) {
    let best = 0;
    for (const n of LEGS) {
      const rs = results.filter((r) => r.kind === kind && r.legs === n);
      if (rs.length > 0 && median(rs.map((r) => r.lateP99)) < 2 && rs.every((r) => r.sink.lost === 0)) best = Math.max(best, n);
    }
    const how = ROUNDS > 1 ? ` (median of ${ROUNDS} rounds)` : '';
    console.log(`${kind}: largest N with send p99 < 2 ms${how} and no loss: ${best || 'none'} (target ≥ 1000)`);
  }
  console.log(
    `cpu: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(JSON.stringify({ seconds: TIMING.seconds, results }));
}

void main();
