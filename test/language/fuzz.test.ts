/**
 * Fuzzing both front ends (fast-check): random text and mutations of conference.flow and its YAML form must
 * give diagnostics or an AST, never an exception, never an internal-error diagnostic, and well-formed ranges.
 * A YAML AST (even one built despite errors) and a clean `.flow` AST must also format in both syntaxes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatFlow,
  parseFlow,
  parseYamlFlow,
  type Diagnostic,
  type FlowAst,
  type FlowFormat,
} from '../../src/language/index.js';
import { ROOT, stripRanges } from './helpers.js';

/** Runs per property; raise it locally with CALLFLOW_FUZZ_RUNS=5000. */
const RUNS = Number(process.env.CALLFLOW_FUZZ_RUNS ?? 300);
const TIMEOUT = 60_000 + RUNS * 50;

const flowText = readFileSync(join(ROOT, 'test/language/conference.flow'), 'utf8');
const yamlText = formatFlow(parseFlow('conference.flow', flowText).ast!, 'yaml');

const TOKENS = [
  '->',
  '${',
  '}',
  '{',
  '"',
  "'",
  ':',
  '- ',
  '\n',
  '  ',
  '\t',
  'max',
  'else',
  'on',
  'state',
  'flow',
  '[',
  ']',
  '#',
  '!expr ',
  '&a ',
  '*a',
  '|',
  '>',
  '?',
  '..',
  '\\',
  '${x',
  'set',
  'if',
  'switch',
  'case',
  ',',
  '(',
  ')',
  '1e999',
  '-',
  '\r\n',
  '\u2028',
  '~',
];

type Mutation = { kind: 'delete' | 'insert' | 'swap' | 'dup'; at: number; len: number; token: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'swap', 'dup'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 12 }),
  token: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })),
});

function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length === 0 ? 0 : m.at % t.length;
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'insert') t = t.slice(0, at) + m.token + t.slice(at);
    else if (m.kind === 'dup') t = t.slice(0, at) + t.slice(at, at + m.len * 4) + t.slice(at);
    else {
      const other = (at + m.len) % Math.max(1, t.length);
      const a = t[at] ?? '';
      const b = t[other] ?? '';
      const chars = [...t];
      chars[at] = b;
      chars[other] = a;
      t = chars.join('');
    }
  }
  return t;
}

/** Diagnostics have a code, no internal errors (CF2999 / CF2199 mean a caught exception), and valid positions. */
function wellFormed(diags: readonly Diagnostic[]): void {
  for (const d of diags) {
    expect(d.code).toMatch(/^CF\d{4}$/);
    expect(['CF2199', 'CF2999']).not.toContain(d.code);
    expect(typeof d.message).toBe('string');
    for (const p of [d.range.start, d.range.end]) {
      expect(Number.isInteger(p.line) && p.line >= 0).toBe(true);
      expect(Number.isInteger(p.character) && p.character >= 0).toBe(true);
    }
  }
}

function check(result: { ast?: FlowAst; diagnostics: Diagnostic[] }): void {
  expect(Array.isArray(result.diagnostics)).toBe(true);
  expect(result.ast !== undefined || result.diagnostics.length > 0).toBe(true);
  wellFormed(result.diagnostics);
  // The YAML front end always builds a well-typed AST; the `.flow` parser's recovery may leave holes, so a
  // `.flow` AST is only formatted when it parsed cleanly (as `callflow fmt` does).
  const formattable =
    result.ast?.format === 'yaml' || !result.diagnostics.some((d) => d.severity === 'error');
  if (result.ast && formattable) {
    expect(typeof formatFlow(result.ast, 'flow')).toBe('string');
    expect(typeof formatFlow(result.ast, 'yaml')).toBe('string');
  }
  // A mutant that still parses cleanly must survive formatting in its own syntax, and `.flow` must also survive
  // YAML. (YAML to `.flow` can legitimately change the AST: see the dangling-else case in print-flow.ts.)
  if (result.ast && !result.diagnostics.some((d) => d.severity === 'error')) {
    const own = result.ast.format;
    const targets: FlowFormat[] = own === 'flow' ? ['flow', 'yaml'] : ['yaml'];
    for (const to of targets) {
      const text = formatFlow(result.ast, to);
      const back = to === 'yaml' ? parseYamlFlow('again.yaml', text) : parseFlow('again.flow', text);
      expect(
        back.diagnostics.filter((d) => d.severity === 'error'),
        text,
      ).toEqual([]);
      expect(stripRanges(back.ast)).toEqual(stripRanges(result.ast));
    }
  }
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 6 });
const randomText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((ts) => ts.join('')),
);

describe('fuzzing the front ends', () => {
  it(
    'the .flow parser survives mutations of conference.flow',
    () => {
      fc.assert(
        fc.property(mutations, (ms) => check(parseFlow('fuzz.flow', mutate(flowText, ms)))),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'the YAML front end survives mutations of conference.flow in YAML',
    () => {
      fc.assert(
        fc.property(mutations, (ms) => check(parseYamlFlow('fuzz.yaml', mutate(yamlText, ms)))),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'both survive random text',
    () => {
      fc.assert(
        fc.property(randomText, (text) => {
          check(parseFlow('fuzz.flow', text));
          check(parseYamlFlow('fuzz.yaml', text));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
