/**
 * bench:sip: ramps SIPp's built-in uac scenario against the embedded SIP engine (a tiny UAS app
 * that answers with a static SDP; SIPp hangs up), then against SIPp's own uas as the baseline.
 * Reports the highest rate with 0 failed calls and 0 retransmissions, with server CPU and memory.
 *
 *   BENCH_SECONDS=10 npm run bench:sip      (short mode; the real run uses 60)
 *   BENCH_RATES=500,1000,2000 to pick the rate steps.
 *   BENCH_DRAIN=1 waits 35 s after each engine step (past Timer J/L, 64·T1) and reports the heap
 *   left behind, so a flat-memory claim can be checked.
 *
 * The server samples heapUsed every second during a step, after a full GC (enabled at run time
 * with v8.setFlagsFromString), and reports it at start, middle, end and peak.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { InboundRequest, OutboundResponse } from '../src/engines/embedded/sip/index.js';

const SECONDS = Math.max(1, Math.min(120, Number(process.env.BENCH_SECONDS ?? 60)));
const RATES = (process.env.BENCH_RATES ?? '250,500,1000,1500,2000,2500,3000')
  .split(',')
  .map(Number)
  .filter((r) => r > 0 && r <= 10_000);
const SERVER_PORT = 17990;
const BASELINE_PORT = 17991;
const CLIENT_PORT = 17992;
const DRAIN_MS = process.env.BENCH_DRAIN === '1' ? 35_000 : 0;

interface StepResult {
  rate: number;
  ok: boolean;
  success: number;
  failed: number;
  retrans: number;
  seconds: number;
  cpuPct?: number;
  rssMb?: number;
  heapMb?: number;
  heap?: HeapReport;
  drainedHeapMb?: number;
  /** Live dialogs and transactions when the drained heap was taken. */
  left?: { dialogs: number; tx: { client: number; server: number } };
}

/** Heap during one step, MB after a full GC when `gc` is true. */
interface HeapReport {
  gc: boolean;
  startMb: number;
  midMb: number;
  endMb: number;
  maxMb: number;
}

const MB = 2 ** 20;

/** A full-GC function, enabled at run time because the npm script passes no --expose-gc. */
function gcFunction(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

async function serve(port: number): Promise<void> {
  const { SipStack } = await import('../src/engines/embedded/sip/index.js');
  const stack = new SipStack();
  stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
    stack.createUAS(req, res, { localSdp: SDP }).then(
      (d) => d.on('destroy', () => undefined),
      () => undefined,
    );
  });
  await stack.listen({ udp: { port, host: '127.0.0.1' } });
  const gc = gcFunction();
  const heapNow = (): number => {
    gc?.();
    return process.memoryUsage().heapUsed / MB;
  };
  let samples: number[] = [];
  let sampler: NodeJS.Timeout | undefined;
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  process.on('message', (m) => {
    if (m === 'stats') {
      clearInterval(sampler);
      samples.push(heapNow());
      const cpu = process.cpuUsage(lastCpu);
      const now = performance.now();
      const mem = process.memoryUsage();
      const heap: HeapReport = {
        gc: gc !== undefined,
        startMb: samples[0] ?? 0,
        midMb: samples[Math.floor(samples.length / 2)] ?? 0,
        endMb: samples.at(-1) ?? 0,
        maxMb: Math.max(...samples),
      };
      process.send?.({
        cpuPct: ((cpu.user + cpu.system) / 1000 / (now - lastAt)) * 100,
        rssMb: mem.rss / MB,
        heapMb: mem.heapUsed / MB,
        heap,
      });
      lastCpu = process.cpuUsage();
      lastAt = now;
    } else if (m === 'reset') {
      samples = [heapNow()];
      clearInterval(sampler);
      sampler = setInterval(() => samples.push(heapNow()), 1000);
      lastCpu = process.cpuUsage();
      lastAt = performance.now();
    } else if (m === 'heap') {
      process.send?.({ drainedHeapMb: heapNow(), left: { dialogs: stack.dialogCount, tx: stack.core.table.sizes } });
    } else if (m === 'exit') {
      void stack.close({ graceful: false }).then(() => process.exit(0));
    }
  });
  process.send?.('ready');
}

function runSipp(args: string[], limitMs: number): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()).length > 4000 && (err = err.slice(-2000)));
    const kill = setTimeout(() => p.kill('SIGKILL'), limitMs);
    p.on('exit', (code) => {
      clearTimeout(kill);
      if (code !== 0 && code !== 1 && err) process.stderr.write(`sipp: ${err.slice(-500)}\n`);
      resolve(code ?? -1);
    });
  });
}

function lastStats(dir: string): { success: number; failed: number; retrans: number } {
  const file = readdirSync(dir).find((f) => f.endsWith('.csv'));
  if (!file) return { success: 0, failed: -1, retrans: -1 };
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const head = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  const col = (name: string) => Number(last[head.indexOf(name)] ?? NaN);
  return { success: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), retrans: col('Retransmissions(C)') };
}

function ask(server: ChildProcess, what: string): Promise<Partial<StepResult>> {
  return new Promise((resolve) => {
    server.once('message', (m) => resolve(m as Partial<StepResult>));
    server.send(what);
  });
}

async function step(rate: number, target: number, server?: ChildProcess): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sip-'));
  const calls = rate * SECONDS;
  server?.send('reset');
  const t0 = performance.now();
  const args = [
    '-sn', 'uac', '-r', String(rate), '-m', String(calls), '-l', String(Math.max(100, rate * 4)),
    '-i', '127.0.0.1', '-p', String(CLIENT_PORT), '-timeout', `${SECONDS + 30}s`, '-timeout_error',
    '-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1', '-nostdin', '-max_socket', '1000',
    `127.0.0.1:${target}`,
  ];
  const code = await runSipp(args, (SECONDS + 40) * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const stats = lastStats(dir);
  rmSync(dir, { recursive: true, force: true });
  let usage: Partial<StepResult> = {};
  if (server) {
    usage = await ask(server, 'stats');
    if (DRAIN_MS > 0) {
      await new Promise((r) => setTimeout(r, DRAIN_MS));
      const d = await ask(server, 'heap');
      usage.drainedHeapMb = d.drainedHeapMb;
      usage.left = d.left;
    }
  }
  const ok = code === 0 && stats.failed === 0 && stats.retrans === 0 && stats.success === calls;
  return { rate, ok, seconds, ...stats, ...usage };
}

async function ramp(label: string, target: number, server?: ChildProcess): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const rate of RATES) {
    const r = await step(rate, target, server);
    results.push(r);
    const usage = r.cpuPct !== undefined ? ` cpu=${r.cpuPct.toFixed(0)}% rss=${r.rssMb?.toFixed(0)}MB heap=${r.heapMb?.toFixed(0)}MB` : '';
    console.log(`${label} rate=${rate}/s calls=${r.success} failed=${r.failed} retrans=${r.retrans} ${r.seconds.toFixed(1)}s ${r.ok ? 'OK' : 'FAIL'}${usage}`);
    if (r.heap) {
      const h = r.heap;
      const left = r.left ? ` (dialogs=${r.left.dialogs} tx=${r.left.tx.client}/${r.left.tx.server})` : '';
      const drained = r.drainedHeapMb !== undefined ? ` drained(+${DRAIN_MS / 1000}s)=${r.drainedHeapMb.toFixed(1)}MB${left}` : '';
      console.log(`${label}   heap${h.gc ? ' after gc' : ''}: start=${h.startMb.toFixed(1)}MB mid=${h.midMb.toFixed(1)}MB end=${h.endMb.toFixed(1)}MB max=${h.maxMb.toFixed(1)}MB${drained}`);
    }
    if (!r.ok) break;
  }
  return results;
}

function best(rs: StepResult[]): StepResult | undefined {
  return rs.filter((r) => r.ok).at(-1);
}

async function main(): Promise<void> {
  if (process.argv.includes('--server')) return serve(Number(process.argv[process.argv.indexOf('--server') + 1]));
  console.log(`bench:sip ${SECONDS}s per step, rates ${RATES.join(',')}`);
  const self = fileURLToPath(import.meta.url);
  const server = spawn(process.execPath, ['--import', 'tsx', self, '--server', String(SERVER_PORT)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    server.once('message', () => resolve());
    server.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  let engine: StepResult[] = [];
  try {
    engine = await ramp('engine', SERVER_PORT, server);
  } finally {
    server.send('exit');
    setTimeout(() => server.kill('SIGKILL'), 3000).unref();
  }
  const baselineArgs = ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(BASELINE_PORT), '-nostdin', '-fd', '1'];
  const uas = spawn('sipp', baselineArgs, { stdio: 'ignore' });
  let baseline: StepResult[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500));
    baseline = await ramp('sipp-uas', BASELINE_PORT);
  } finally {
    uas.kill('SIGKILL');
  }
  const e = best(engine);
  const b = best(baseline);
  console.log(`engine best: ${e ? `${e.rate} calls/s (cpu ${e.cpuPct?.toFixed(0)}%, rss ${e.rssMb?.toFixed(0)} MB)` : 'none'}`);
  console.log(`sipp uas best: ${b ? `${b.rate} calls/s` : 'none'}`);
  if (e && b) console.log(`ratio engine/sipp-uas: ${(e.rate / b.rate).toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
