/** Printing flow test results: pass/fail per test, readable failures with file:line, and coverage. */
import type { Failure } from './expect.js';

/** The result of one test. */
export interface TestResult {
  file: string;
  name: string;
  line: number;
  failures: Failure[];
  /** A failure to run at all (compile errors, runtime errors not expected). */
  error?: string;
  /** The formatted trace, shown for failing tests. */
  trace?: string;
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? 'nothing' : text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** The lines for one test result. */
export function formatResult(r: TestResult, opts: { showTrace?: boolean } = {}): string {
  const ok = r.failures.length === 0 && r.error === undefined;
  if (ok) return `  ✓ ${r.name}`;
  const lines = [`  ✗ ${r.name}`];
  if (r.error !== undefined) lines.push(`      ${r.file}:${r.line + 1}  ${r.error}`);
  for (const f of r.failures) {
    lines.push(`      ${r.file}:${f.line + 1}  ${f.key}: ${f.message}`);
    lines.push(`        expected: ${show(f.expected)}`);
    lines.push(`        actual:   ${show(f.actual)}`);
  }
  if (opts.showTrace && r.trace) lines.push('      trace:', ...r.trace.split('\n').map((l) => `        ${l}`));
  return lines.join('\n');
}

/** The summary line. */
export function formatSummary(results: TestResult[]): string {
  const failed = results.filter((r) => r.failures.length > 0 || r.error !== undefined).length;
  return `${results.length - failed} passed, ${failed} failed (${results.length} tests)`;
}
