/**
 * Where a stall comes from, measured inside one bench process: event-loop delay (perf_hooks), GC pauses
 * (PerformanceObserver 'gc'), and a 1 ms heartbeat that, for every gap between two beats longer than
 * GAP_MS, splits it with the main thread's /proc/self/schedstat into time on a CPU (our JavaScript, GC, a
 * long burst) and time runnable but waiting for a CPU (other processes on the machine's 2 cores, or the host
 * stealing the VM's vCPU: /proc/stat steal). Both bench processes run one, so a latency spike can be charged
 * to the process that stalled, and to "busy" versus "descheduled".
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';

/** A heartbeat gap longer than this (ms) is recorded as a stall. */
const GAP_MS = 4;

/** One stall of the event loop. */
export interface Stall {
  /** CLOCK_MONOTONIC ms at which the loop stopped answering (the last beat before the gap). */
  at: number;
  ms: number;
  /** Of which the main thread ran on a CPU. */
  cpuMs: number;
  /** Of which it was runnable but waiting for a CPU (preempted by another process). */
  waitMs: number;
}

/** What a probe saw in its window. */
export interface ProbeReport {
  /** Event-loop utilisation over the window (0..1): the share of time the loop was not waiting for I/O. */
  elu: number;
  eldP50: number;
  eldP99: number;
  eldMax: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  /** Full (mark-compact) collections among them, and their longest pause. */
  gcMajor: number;
  gcMajorMaxMs: number;
  /** Main thread: CPU ms and run-queue wait ms over the window. */
  threadCpuMs: number;
  runqWaitMs: number;
  /** Machine-wide steal time over the window, ms (summed over CPUs). */
  stealMs: number;
  stalls: Stall[];
}

const mono = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Main thread's [cpu ns, run-queue wait ns] from /proc/self/schedstat; zeros where not available. */
function schedReader(): { read: () => [number, number]; close: () => void } {
  let fd = -1;
  try {
    fd = openSync('/proc/self/schedstat', 'r');
  } catch {
    return { read: () => [0, 0], close: () => undefined };
  }
  const buf = Buffer.alloc(128);
  return {
    read: () => {
      const n = readSync(fd, buf, 0, buf.length, 0);
      const [cpu, wait] = buf.toString('latin1', 0, n).split(' ');
      return [Number(cpu) / 1e6, Number(wait) / 1e6];
    },
    close: () => closeSync(fd),
  };
}

/** Machine-wide steal ms so far (/proc/stat, USER_HZ = 100). */
function stealMsNow(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'latin1').split('\n')[0]?.trim().split(/\s+/) ?? [];
    return Number(cpu[8] ?? 0) * 10;
  } catch {
    return 0;
  }
}

/** Start probing now; `stop()` ends the window and reports. */
export function startProbe(): { stop: () => ProbeReport } {
  const elu0 = performance.eventLoopUtilization();
  const eld: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  const gcs: number[] = [];
  const majors: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcs.push(e.duration);
      // perf_hooks constants.NODE_PERFORMANCE_GC_MAJOR = 4 (mark-compact).
      if ((e as { detail?: { kind?: number } }).detail?.kind === 4) majors.push(e.duration);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const sched = schedReader();
  const stalls: Stall[] = [];
  const [cpu0, wait0] = sched.read();
  const steal0 = stealMsNow();
  let last = mono();
  let [lastCpu, lastWait] = [cpu0, wait0];
  const beat = setInterval(() => {
    const now = mono();
    const [c, w] = sched.read();
    if (now - last > GAP_MS) stalls.push({ at: last, ms: now - last, cpuMs: c - lastCpu, waitMs: w - lastWait });
    last = now;
    lastCpu = c;
    lastWait = w;
  }, 1);
  return {
    stop: () => {
      clearInterval(beat);
      eld.disable();
      obs.disconnect();
      const [cpu1, wait1] = sched.read();
      sched.close();
      return {
        elu: performance.eventLoopUtilization(elu0).utilization,
        eldP50: eld.percentile(50) / 1e6,
        eldP99: eld.percentile(99) / 1e6,
        eldMax: eld.max / 1e6,
        gcCount: gcs.length,
        gcMs: gcs.reduce((a, b) => a + b, 0),
        gcMaxMs: gcs.length ? Math.max(...gcs) : 0,
        gcMajor: majors.length,
        gcMajorMaxMs: majors.length ? Math.max(...majors) : 0,
        threadCpuMs: cpu1 - cpu0,
        runqWaitMs: wait1 - wait0,
        stealMs: stealMsNow() - steal0,
        stalls,
      };
    },
  };
}

/** One line summarising a report. */
export function describeProbe(name: string, r: ProbeReport): string {
  const f = (n: number, d = 1): string => n.toFixed(d);
  const sum = (k: 'ms' | 'cpuMs' | 'waitMs'): number => r.stalls.reduce((a, s) => a + s[k], 0);
  const big = r.stalls.filter((s) => s.ms > 10);
  return (
    `${name}: loop busy ${f(100 * r.elu, 0)}%; loop delay p50/p99/max ${f(r.eldP50, 2)}/${f(r.eldP99, 2)}/${f(r.eldMax)} ms; ` +
    `gc ${r.gcCount}× ${f(r.gcMs)} ms (max ${f(r.gcMaxMs, 2)}; ${r.gcMajor} major, max ${f(r.gcMajorMaxMs, 2)}); main thread cpu ${f(r.threadCpuMs, 0)} ms, ` +
    `runnable-but-waiting ${f(r.runqWaitMs, 0)} ms; steal ${f(r.stealMs, 0)} ms; ` +
    `stalls >${GAP_MS} ms: ${r.stalls.length} (${f(sum('ms'), 0)} ms: on cpu ${f(sum('cpuMs'), 0)}, waiting ${f(sum('waitMs'), 0)}), >10 ms: ${big.length}, max ${f(r.stalls.reduce((a, s) => Math.max(a, s.ms), 0))} ms`
  );
}
