/**
 * The scanner against its specification: a Chevrotain Lexer built from LEXED_TOKENS (keywords then told from
 * names by keywordOf, as the scanner does) must give the same tokens, positions and errors on every bundled
 * flow and example, on them mutated, and on random text built from the characters that matter to the grammar.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lexer, type IToken } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scan } from './scanner.js';
import * as T from './tokens.js';

const oracle = new Lexer(T.LEXED_TOKENS, { positionTracking: 'full', ensureOptimizations: true });

function viaChevrotain(text: string): unknown {
  const r = oracle.tokenize(text);
  return {
    tokens: r.tokens.map((t) => shape(t, t.tokenType === T.Identifier ? (T.keywordOf(t.image)?.name ?? 'Identifier') : t.tokenType.name)),
    errors: r.errors.map((e) => ({ offset: e.offset, line: e.line, column: e.column, length: e.length })),
  };
}

function viaScanner(text: string): unknown {
  const r = scan(text);
  return { tokens: r.tokens.map((t) => shape(t, t.tokenType.name)), errors: r.errors };
}

function shape(t: IToken, type: string): unknown {
  const { image, startOffset, endOffset, startLine, endLine, startColumn, endColumn } = t;
  return { type, image, startOffset, endOffset, startLine, endLine, startColumn, endColumn };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
function flowTexts(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...flowTexts(p));
    else if (e.endsWith('.flow')) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}
const CORPUS = [...flowTexts(join(ROOT, 'flows')), ...flowTexts(join(ROOT, 'examples')), ...flowTexts(join(ROOT, 'test'))];

/** Characters and pieces where token boundaries are decided. */
const PIECES = [
  'a', 'Z', '_', 'x-y', 'set', 'set-', 'state', 'http', 'on http GET /p/{id}', 'GET', ' /a#b', '1', '1.5', '10ms',
  '1m30s', '2e5', '3s5', '"', '"a${b}"', '"${"x"}', '\\', '$', '{', '}', '-', '->', '>', '=', '==', '!', '!=', '<',
  '<=', '&', '&&', '|', '||', '?', '??', '/', '*', '%', '.', ',', ':', '(', ')', '[', ']', '#c', ' ', '\t', '\f',
  '\v', '\u00a0', '\ufeff', '\n', '\r', '\r\n', '\u2028', 'é', '@', '~', '`', "'", ';', '^', '😀',
];

describe('scanner = the Chevrotain lexer over tokens.ts', () => {
  it('on every bundled flow, example and fixture', () => {
    expect(CORPUS.length).toBeGreaterThan(10);
    for (const text of CORPUS) expect(viaScanner(text)).toEqual(viaChevrotain(text));
  });

  it('on random text from the grammar-relevant pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(viaScanner(text)).toEqual(viaChevrotain(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('on corpus files with pieces inserted and characters deleted', () => {
    fc.assert(
      fc.property(fc.nat(CORPUS.length - 1), fc.nat(), fc.nat(6), fc.constantFrom(...PIECES), (f, at, del, piece) => {
        const text = CORPUS[f]!;
        const i = at % (text.length + 1);
        const mutated = text.slice(0, i) + piece + text.slice(i + del);
        expect(viaScanner(mutated)).toEqual(viaChevrotain(mutated));
      }),
      { numRuns: 300 },
    );
  });
});
