/**
 * DSL → YAML → DSL is lossless (ASTs equal apart from ranges) and `fmt` is idempotent, on conference.flow and on
 * every example, compiler fixture and bundled flow present when the test runs (files with syntax errors are skipped).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFlow, parseSource, type FlowAst } from '../../src/language/index.js';
import { flowFiles, parseErrors, ROOT, show, stripRanges } from './helpers.js';

const files = [
  'test/language/conference.flow',
  ...flowFiles('examples'),
  ...flowFiles('test/compiler/fixtures'),
  ...flowFiles('flows'),
];

function parseOk(file: string, text: string): FlowAst {
  const r = parseSource(file, text);
  expect(show(parseErrors(r.diagnostics)), `${file} parses`).toEqual([]);
  expect(r.ast).toBeDefined();
  return r.ast!;
}

describe('round trip over the repository flows', () => {
  it('finds the sample and the examples', () => {
    expect(files).toContain('test/language/conference.flow');
    expect(files.length).toBeGreaterThan(1);
  });

  for (const file of files) {
    it(`${file}: converts to the other syntax and back without loss, and fmt is idempotent`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const first = parseSource(file, text);
      if (!first.ast || parseErrors(first.diagnostics).length > 0) {
        // A syntax-error fixture: its point is the diagnostics, and there is no whole AST to convert.
        expect(parseErrors(first.diagnostics).length).toBeGreaterThan(0);
        return;
      }
      const ast = first.ast;
      const yaml = formatFlow(ast, 'yaml');
      const fromYaml = parseOk('roundtrip.yaml', yaml);
      expect(stripRanges(fromYaml)).toEqual(stripRanges(ast));
      const flow = formatFlow(fromYaml, 'flow');
      const fromFlow = parseOk('roundtrip.flow', flow);
      expect(stripRanges(fromFlow)).toEqual(stripRanges(ast));
      expect(formatFlow(fromFlow, 'flow')).toBe(flow);
      expect(formatFlow(parseOk('again.yaml', yaml), 'yaml')).toBe(yaml);
    });
  }
});
