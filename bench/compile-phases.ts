/**
 * Where bench:compile's time goes: each phase of parse + compile timed on its own over the same generated
 * 10,000-line flow, fastest and median of N runs (ms). Run: `npx tsx bench/compile-phases.ts [runs]`.
 */
import { performance } from 'node:perf_hooks';
import { checkEntries } from '../src/compiler/check-http.js';
import { checkLoops } from '../src/compiler/check-loops.js';
import { checkStructure } from '../src/compiler/check-structure.js';
import { checkVars } from '../src/compiler/check-vars.js';
import { buildGraph } from '../src/compiler/graph.js';
import { hashSource, lowerFlow } from '../src/compiler/lower.js';
import { Reporter } from '../src/compiler/report.js';
import { tokenizeFile } from '../src/language/lexer.js';
import { parseFlow } from '../src/language/parse-flow.js';
import { generateFlow } from './compile.js';

const runs = Math.max(5, Number(process.argv[2] ?? 25));
const text = generateFlow(10_000);
const samples = new Map<string, number[]>();

function timed<T>(phase: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const list = samples.get(phase) ?? [];
  list.push(performance.now() - t0);
  samples.set(phase, list);
  return out;
}

for (let i = 0; i < runs + 3; i++) {
  timed('lex + layout', () => tokenizeFile('bench.flow', text));
  const parsed = timed('parse (lex + layout + parser + AST)', () => parseFlow('bench.flow', text));
  if (!parsed.ast) throw new Error('the generated flow does not parse');
  const ast = parsed.ast;
  const r = new Reporter();
  const { ir, info } = timed('lower (AST → IR, argument checks)', () => lowerFlow(ast, r, hashSource(text)));
  const g = timed('graph', () => buildGraph(ir));
  timed('structure + entries + loops', () => {
    checkStructure(ast, ir, g, info.stateNames, r);
    checkEntries(ir, g, r);
    checkLoops(g, info.stateNames, r);
  });
  timed('dataflow (variables)', () => checkVars(g, r));
  if (i < 3) for (const list of samples.values()) list.length = 0;
}

const rows = [...samples].map(([phase, list]) => {
  list.sort((a, b) => a - b);
  return `| ${phase.padEnd(36)} | ${list[0]!.toFixed(1).padStart(7)} | ${list[list.length >> 1]!.toFixed(1).padStart(7)} |`;
});
process.stdout.write(
  [`compile phases, ${runs} runs after 3 warm-ups (ms)`, '', `| ${'phase'.padEnd(36)} | fastest |  median |`, `|${'-'.repeat(38)}|--------:|--------:|`, ...rows, ''].join('\n'),
);
