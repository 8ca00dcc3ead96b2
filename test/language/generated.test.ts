/** Generated flows: the printers' output parses back to the same AST in both syntaxes, and fmt is idempotent. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFlow, parseFlow, parseYamlFlow } from '../../src/language/index.js';
import { flow } from './arbitrary.js';
import { parseErrors, show, stripRanges } from './helpers.js';

/** Runs per property; raise it locally with CALLFLOW_FUZZ_RUNS=5000. */
const RUNS = Number(process.env.CALLFLOW_FUZZ_RUNS ?? 300);
const TIMEOUT = 60_000 + RUNS * 50;

describe('generated flows', () => {
  it(
    'print as .flow and parse back to the same AST',
    () => {
      fc.assert(
        fc.property(flow, (ast) => {
          const text = formatFlow(ast, 'flow');
          const r = parseFlow('gen.flow', text);
          expect(show(parseErrors(r.diagnostics)), text).toEqual([]);
          expect(stripRanges(r.ast)).toEqual(stripRanges(ast));
          expect(formatFlow(r.ast!, 'flow')).toBe(text);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'print as YAML and parse back to the same AST',
    () => {
      fc.assert(
        fc.property(flow, (ast) => {
          const text = formatFlow(ast, 'yaml');
          const r = parseYamlFlow('gen.yaml', text);
          expect(show(parseErrors(r.diagnostics)), text).toEqual([]);
          expect(stripRanges(r.ast)).toEqual(stripRanges(ast));
          expect(formatFlow(r.ast!, 'yaml')).toBe(text);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
