import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RawTokens, scan } from './lexer-scan.js';
import * as T from './tokens.js';

/** The reference: Chevrotain's own lexer over the token patterns of tokens.ts. */
const reference = new Lexer(T.LEXED_TOKENS, { positionTracking: 'full', ensureOptimizations: false });

function both(text: string): void {
  const want = reference.tokenize(text);
  const sink = new RawTokens();
  const got = { errors: scan(text, sink), tokens: sink.tokens };
  const shape = (t: { tokenType: { name: string } }): unknown => ({ ...t, tokenType: t.tokenType.name, range: undefined });
  expect(got.tokens.map(shape)).toEqual(want.tokens.map(shape));
  expect(got.errors).toEqual(want.errors.map((e) => ({ offset: e.offset, line: e.line, column: e.column, length: e.length })));
}

const PIECES = [
  ' ', '  ', '\t', '\n', '\r\n', '\r', '\u00a0', '\ufeff', '#c', '"a"', '"b ${x} c"', '"x\\"y"', '"open', '"${', '\\',
  '1', '10s', '1.5m', '1m30s', '500ms', '1ms5', '1mx', '1e5', '2.5E-3', '1.', '.5', 'a', 'a-b', 'a-1', 'a - b', '_x',
  'if', 'ifx', 'on', 'on-x', 'state', 'http', 'GET', 'get', '/', '/p/a', '//', 'max', 'else', 'set-x', 'into',
  '->', '-', '>', '>=', '<', '<=', '=', '==', '!', '!=', '?', '??', '|', '||', '&', '&&', '&&&', '+', '*', '%', ':',
  ',', '.', '(', ')', '[', ']', '{', '}', '@', '$', '~', "'", ';', '^', '`', 'é', '😀', '\u2028', '\v', '\f', '\0',
] as const;

describe('scan', () => {
  it('matches the Chevrotain lexer on the example and test flows', () => {
    const root = join(import.meta.dirname, '../..');
    const files = [join(root, 'test/language/conference.flow')];
    for (const dir of ['examples', 'flows', 'test/compiler/fixtures', 'test/e2e/fixtures']) {
      try {
        for (const f of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
          if (f.endsWith('.flow')) files.push(join(root, dir, f));
        }
      } catch {
        // The folder may not exist in every checkout.
      }
    }
    for (const f of files) both(readFileSync(f, 'utf8'));
  });

  it('matches the Chevrotain lexer on an http entry, odd characters and unterminated strings', () => {
    both('on http POST /hooks/a-b?x=1 -> s\non http GET\n/x\nhttp x /y\non http get /\n');
    both('a @@ b && c & d\n"x ${"y"} z"\n"bad\n"a\\\n1.5.3s 1m30s5 2h');
    both('');
  });

  it('matches the Chevrotain lexer on random text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (parts) => both(parts.join(''))),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => both(s)), { numRuns: 1000 });
  });
});
