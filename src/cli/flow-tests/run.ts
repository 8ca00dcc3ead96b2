/**
 * Running flow test files: each test gets a fresh simulated engine with its scripted world, one session
 * runs to its end in virtual time, and its expectations are checked against what the engine recorded.
 * The compiler and runtime are reached through a FlowHost (see host.ts), so this module only knows the
 * simulated engine and the test format.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { FlowIr } from '../../compiler/ir.js';
import { createSimulatedEngine, SimRecord, type SimulatedEngine } from '../../engines/simulated/index.js';
import { CoverageAccumulator, type Coverage, type Taken } from './coverage.js';
import { checkExpectations, type Observed } from './expect.js';
import { parseFlowTestFile, type FlowTest, type TestEntry } from './format.js';
import type { TestResult } from './report.js';

/** What one simulated session produced, as the runtime reports it. */
export interface SessionRun {
  /** States entered, in order. */
  states: string[];
  /** Branches taken (for coverage). */
  taken: Taken[];
  end: { cause: string; state?: string; error?: string };
  response?: { status: number; body: unknown; headers: Record<string, string> };
  logs: string[];
  /** Digits a prompt took by barge-in (`at`: ms since the session began); collects are in the engine's record. */
  bargeInDigits?: Array<{ at: number; digit: string }>;
  /** The formatted trace (shown with failures and by `callflow simulate`). */
  trace: string;
}

/** A request to run one session on a simulated engine. */
export interface SessionRequest {
  ir: FlowIr;
  entry: TestEntry;
  entryId?: string;
  engine: SimulatedEngine;
  config: Record<string, unknown>;
  limitMs: number;
}

/** The compiler and runtime, as the test runner needs them. */
export interface FlowHost {
  compile(file: string): Promise<{ ir?: FlowIr; errors: string[] }>;
  runSession(req: SessionRequest): Promise<SessionRun>;
}

/** Find `*.test.yaml` / `*.test.yml` files under the given files and folders (sorted, no node_modules). */
export async function findTestFiles(paths: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(p: string): Promise<void> {
    const s = await stat(p).catch(() => undefined);
    if (!s) return;
    if (s.isFile()) {
      if (/\.test\.ya?ml$/.test(p)) out.push(p);
      return;
    }
    if (!s.isDirectory() || /(^|\/)(node_modules|\.git|dist)$/.test(p)) return;
    for (const name of (await readdir(p)).sort()) await walk(join(p, name));
  }
  for (const p of paths.length > 0 ? paths : ['.']) await walk(resolve(cwd, p));
  return out;
}

/** The digit strings the flow took, in time order: collects and waits that ended with digits, and barge-ins. */
function digitsTaken(engine: SimulatedEngine, run: SessionRun): string[] {
  const collected = engine.record.collects
    .filter((c) => c.reason !== 'aborted' && c.reason !== 'ended' && (c.kind === 'collect' || c.digits !== ''))
    .map((c) => ({ at: c.at, digit: c.digits }));
  // A stable sort keeps a collect before a barge-in recorded at the same virtual ms.
  return [...collected, ...(run.bargeInDigits ?? [])].sort((a, b) => a.at - b.at).map((d) => d.digit);
}

/** What the engine and session did, in expectation terms. */
export async function observe(engine: SimulatedEngine, run: SessionRun, test: FlowTest): Promise<Observed> {
  const r = engine.record;
  const store: Record<string, unknown> = {};
  for (const k of Object.keys(test.expect.store ?? {})) store[k] = await engine.ports.store.get(k);
  return {
    states: run.states,
    prompts: r.prompts.map((p) => p.items.map((i) => SimRecord.itemText(i)).join(' + ')),
    digits: digitsTaken(engine, run),
    dials: r.dials.map((d) => ({ to: d.to, result: d.result ?? 'pending' })),
    http: r.http.filter((h) => h.attempt === 1).map((h) => ({ method: h.method, url: h.url, body: h.body, ...(h.status === undefined ? {} : { status: h.status }), ...(h.error ? { error: h.error } : {}) })),
    ...(run.response ? { response: run.response } : {}),
    end: run.end,
    logs: run.logs,
    channels: r.channels.map((c) => c.channel),
    dtmfSent: r.events.filter((e) => e.type === 'dtmf-sent').map((e) => String(e.digit)).join(''),
    store,
  };
}

/** Run one test on a fresh engine. */
export async function runOneTest(host: FlowHost, ir: FlowIr, test: FlowTest, displayFile: string, cov: CoverageAccumulator): Promise<TestResult> {
  const engine = createSimulatedEngine({ script: test.world });
  try {
    for (const [k, v] of Object.entries(test.store)) await engine.ports.store.put(k, v);
    const run = await host.runSession({ ir, entry: test.entry, ...(test.entryId ? { entryId: test.entryId } : {}), engine, config: test.config, limitMs: test.limitMs });
    cov.add(run.states, run.taken);
    const failures = checkExpectations(test.expect, await observe(engine, run, test), test.expectLines, test.line);
    return { file: displayFile, name: test.name, line: test.line, failures, trace: run.trace };
  } catch (err) {
    return { file: displayFile, name: test.name, line: test.line, failures: [], error: `could not run: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    await engine.close();
  }
}

/** The results of a test run. */
export interface RunReport {
  files: Array<{ file: string; flow: string; results: TestResult[]; coverage?: Coverage; problems: string[] }>;
}

/** Run every test file; `onFile` is told as each file finishes (for streaming output). */
export async function runTestFiles(files: string[], host: FlowHost, cwd: string, onFile?: (f: RunReport['files'][number]) => void): Promise<RunReport> {
  const report: RunReport = { files: [] };
  const coverages = new Map<string, CoverageAccumulator>();
  for (const file of files) {
    const display = relative(cwd, file) || file;
    const parsed = parseFlowTestFile(display, await readFile(file, 'utf8'));
    const flowFile = resolve(dirname(file), parsed.flow);
    const entry: RunReport['files'][number] = { file: display, flow: relative(cwd, flowFile), results: [], problems: parsed.problems.map((p) => `${display}:${p.line + 1}  ${p.message}`) };
    const compiled = await host.compile(flowFile);
    if (!compiled.ir) {
      entry.problems.push(...compiled.errors.map((e) => `${relative(cwd, flowFile)}: ${e}`));
      for (const t of parsed.tests) entry.results.push({ file: display, name: t.name, line: t.line, failures: [], error: 'the flow does not compile' });
    } else {
      let cov = coverages.get(flowFile);
      if (!cov) coverages.set(flowFile, (cov = new CoverageAccumulator(compiled.ir)));
      for (const t of parsed.tests) entry.results.push(await runOneTest(host, compiled.ir, t, display, cov));
      entry.coverage = cov.result();
    }
    report.files.push(entry);
    onFile?.(entry);
  }
  return report;
}
