/**
 * Shared pieces of the embedded engine tests: an engine on 127.0.0.1 (SIP on an ephemeral port), SIPp runs
 * with this folder's scenarios, and a queue of inbound legs. SIPp's own SIP ports come from 15600-15799.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEmbeddedEngine,
  type EmbeddedEngine,
  type EmbeddedEngineOptions,
} from '../../src/engines/embedded/index.js';
import type { SipCallLeg } from '../../src/engines/embedded/call-leg.js';
import { createMediaEngine, type EmbeddedMediaEngine } from '../../src/engines/embedded/media/index.js';
import type { CallLeg } from '../../src/ports/call-control.js';
import { afterEach, expect } from 'vitest';
import { runSipp, type SippResult } from '../sip/sipp.js';
import { RtpSink } from './rtp-sink.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Path of a scenario under test/engine/scenarios. */
export function scenario(name: string): string {
  return join(HERE, 'scenarios', `${name}.xml`);
}

/** Hands out ports of a block one by one (each test file owns a block of 15600-15799). */
export function portBlock(first: number, last: number): () => number {
  let next = first;
  return () => {
    if (next > last) next = first;
    return next++;
  };
}

/** The media engine for the tests. */
export function testMediaEngine(rtp: { min: number; max: number }): EmbeddedMediaEngine {
  return createMediaEngine({ portMin: rtp.min, portMax: rtp.max, localAddress: '127.0.0.1' });
}

/** An engine under test and its inbound call queue. */
export interface TestEngine {
  engine: EmbeddedEngine;
  port: number;
  /** host:port for SIPp's remote argument. */
  target: string;
  /** The next inbound leg (already arrived or coming). */
  nextInbound(timeoutMs?: number): Promise<SipCallLeg>;
  close(): Promise<void>;
}

/** Start an engine on 127.0.0.1 with an ephemeral SIP port. */
export async function startEngine(
  rtp: { min: number; max: number },
  extra: Partial<EmbeddedEngineOptions> = {},
  transport: 'udp' | 'tcp' = 'udp',
): Promise<TestEngine> {
  const mediaEngine = testMediaEngine(rtp);
  const engine = createEmbeddedEngine({
    sip: { host: '127.0.0.1', port: 0, transports: [transport], timers: { t1: 100 } },
    rtp: { address: '127.0.0.1', portMin: rtp.min, portMax: rtp.max },
    mediaEngine,
    ...extra,
  });
  const arrived: SipCallLeg[] = [];
  const waiting: ((l: SipCallLeg) => void)[] = [];
  engine.onIncomingCall((leg: CallLeg) => {
    const w = waiting.shift();
    if (w) w(leg as SipCallLeg);
    else arrived.push(leg as SipCallLeg);
  });
  const bound = await engine.start();
  const port = bound[transport]?.port ?? 0;
  return {
    engine,
    port,
    target: `127.0.0.1:${port}`,
    nextInbound(timeoutMs = 5000) {
      const ready = arrived.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no inbound call arrived')), timeoutMs);
        waiting.push((l) => {
          clearTimeout(t);
          resolve(l);
        });
      });
    },
    close: () => engine.stop(0),
  };
}

/** A SIPp process and its result. */
export interface SippProc {
  done: Promise<SippResult>;
  kill(): void;
}

/**
 * SIPp calling the engine with uac-call.xml (or another UAC scenario). SIPp's media socket is `mediaPort`
 * (it also takes mediaPort+2); `rtpPort` is the m= port offered (default: SIPp's own media port).
 */
export function sippCalls(o: {
  engine: TestEngine;
  port: number;
  mediaPort: number;
  rtpPort?: number;
  scenario?: string;
  service?: string;
  extra?: string[];
  timeoutSec?: number;
  calls?: number;
  transport?: 'udp' | 'tcp';
}): SippProc {
  return runSipp({
    scenario: scenario(o.scenario ?? 'uac-call'),
    port: o.port,
    remote: o.engine.target,
    ...(o.calls !== undefined ? { calls: o.calls } : {}),
    ...(o.transport ? { transport: o.transport } : {}),
    timeoutSec: o.timeoutSec ?? 20,
    extra: [
      ...traceArgs(o.port),
      '-s',
      o.service ?? '+15550100',
      '-key',
      'rtpport',
      String(o.rtpPort ?? o.mediaPort),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(o.mediaPort),
      ...(o.extra ?? []),
    ],
  });
}

/** uas-final.xml with its status filled in (SIPp does not substitute keys in a status line). */
function finalScenario(status: number): string {
  const file = join(tmpdir(), `callflow-engine-uas-${status}-${process.pid}.xml`);
  writeFileSync(file, readFileSync(scenario('uas-final'), 'utf8').replace('[status]', String(status)));
  return file;
}

/** SIPp answering our dial on `port` (uas-answer, uas-ring, or uas-final with `status`); `pauseMs` is its default pause. */
export function sippAnswers(o: {
  scenario: string;
  port: number;
  mediaPort: number;
  pauseMs?: number;
  status?: number;
  timeoutSec?: number;
}): SippProc {
  return runSipp({
    scenario: o.status !== undefined ? finalScenario(o.status) : scenario(o.scenario),
    port: o.port,
    timeoutSec: o.timeoutSec ?? 20,
    extra: [
      ...traceArgs(o.port),
      '-d',
      String(o.pauseMs ?? 50),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(o.mediaPort),
    ],
  });
}

/** Wait for SIPp runs: up to `firstMs` with the engine still up, then close it and give the rest `restMs`. */
export async function finishSipps(
  procs: SippProc[],
  closeEngine: () => Promise<void>,
  firstMs = 2500,
  restMs = 5000,
): Promise<SippResult[]> {
  const all = Promise.all(procs.map((p) => p.done));
  await Promise.race([all, sleep(firstMs)]);
  await closeEngine();
  const results = await Promise.all(
    procs.map((p) => Promise.race([p.done, sleep(restMs).then(() => (p.kill(), null))])),
  );
  return results.map((r) => r ?? { code: -2, errors: 'SIPp did not finish (killed)', stderr: '' });
}

/** Make SIPp (running uac-call / uas-answer) hang up: it BYEs after our INFO. */
export async function farEndHangup(leg: SipCallLeg): Promise<void> {
  const d = leg.dialog;
  if (!d || leg.state === 'ended') return;
  await d
    .request({ method: 'INFO', headers: { 'Content-Type': 'application/x-callflow-test' }, body: 'hangup' })
    .catch(() => undefined);
}

/** SIPp message tracing into $SIPP_TRACE_DIR when set (debugging aid). */
function traceArgs(port: number): string[] {
  const dir = process.env.SIPP_TRACE_DIR;
  return dir ? ['-trace_msg', '-message_file', join(dir, `sipp-${port}.log`)] : [];
}

/** Resolve after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Per-file bookkeeping of SIPp runs, RTP sinks and the engine; its afterEach waits for SIPp, then closes. */
export interface SippFixture {
  procs: SippProc[];
  cleanups: (() => void)[];
  /** Register the test's engine (closed after the test). */
  use(t: TestEngine): TestEngine;
  /** Wait for the SIPp runs so far and expect each completed its scenario. */
  ok(): Promise<void>;
  /** An RTP sink closed after the test. */
  sink(): Promise<RtpSink>;
}

/** Create the fixture and register its afterEach. */
export function sippFixture(): SippFixture {
  let engine: TestEngine | undefined;
  const fx: SippFixture = {
    procs: [],
    cleanups: [],
    use(t) {
      engine = t;
      return t;
    },
    async ok() {
      const results = await finishSipps(fx.procs.splice(0), async () => undefined, 8000);
      for (const r of results) expect(r.code, r.errors + r.stderr).toBe(0);
    },
    async sink() {
      const s = await RtpSink.open();
      fx.cleanups.push(() => s.close());
      return s;
    },
  };
  afterEach(async () => {
    for (const fn of fx.cleanups.splice(0)) fn();
    await finishSipps(fx.procs.splice(0), async () => {
      await engine?.close();
    });
    engine = undefined;
  });
  return fx;
}
