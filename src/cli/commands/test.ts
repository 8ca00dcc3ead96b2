/**
 * `callflow test [paths] [--trace]`: run flow test files (`*.test.yaml`) on the simulated engine, print
 * pass/fail per test with readable failures (file:line, expected vs actual) and state/transition coverage
 * per flow. Exit 1 when any test fails.
 */
import type { CommandIo } from '../io.js';
import { formatCoverage, type Coverage } from '../flow-tests/coverage.js';
import { formatResult, formatSummary } from '../flow-tests/report.js';
import { findTestFiles, runTestFiles, type FlowHost } from '../flow-tests/run.js';

/** One-line description for `callflow --help`. */
export const summary = 'run flow tests (*.test.yaml) and print coverage';

const HELP = `usage: callflow test [paths...] [--trace]

Runs every *.test.yaml under the given files and folders (default: the current folder) on the simulated
engine. --trace prints the session trace of failing tests.`;

/** Run the command; `host` is injectable for tests. */
export async function run(args: string[], io: CommandIo, injected?: FlowHost): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--trace');
  if (unknown.length > 0) {
    io.err(`callflow test: unknown option ${unknown[0]}\n${HELP}`);
    return 2;
  }
  const showTrace = args.includes('--trace');
  // Loaded only when used, so the runner can be tested (and run) with an injected host.
  const host = injected ?? (await import('../flow-tests/host.js')).createFlowHost();
  const files = await findTestFiles(args.filter((a) => !a.startsWith('-')), io.cwd);
  if (files.length === 0) {
    io.err('callflow test: no *.test.yaml files found');
    return 1;
  }
  const report = await runTestFiles(files, host, io.cwd, (f) => {
    io.out(`${f.file} (${f.flow})`);
    for (const p of f.problems) io.out(`  ! ${p}`);
    for (const r of f.results) io.out(formatResult(r, { showTrace }));
  });
  const results = report.files.flatMap((f) => f.results);
  // Coverage accumulates over every file testing a flow; the last snapshot of each flow is the total.
  const latest = new Map<string, Coverage>();
  for (const f of report.files) if (f.coverage) latest.set(f.coverage.file, f.coverage);
  io.out('');
  for (const c of latest.values()) io.out(formatCoverage(c));
  io.out(formatSummary(results));
  const problems = report.files.some((f) => f.problems.length > 0);
  return results.some((r) => r.failures.length > 0 || r.error !== undefined) || problems ? 1 : 0;
}
