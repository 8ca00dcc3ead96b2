/**
 * The `.flow` scanner: the lexical grammar of tokens.ts (LEXED_TOKENS, in their order, plus keywordOf), matched
 * by hand. Chevrotain's Lexer tries each candidate pattern's regular expression in turn and was a fifth of the
 * compile time of a large flow; one switch on the first character does the same work in a single pass.
 * tokens.ts stays the specification: scanner.test.ts checks that this scanner and a Chevrotain Lexer built from
 * LEXED_TOKENS give the same tokens and the same errors on generated and mutated input.
 */
import type { IToken, TokenType } from 'chevrotain';
import { scanString } from './strings.js';
import { makeToken } from './tokens-shape.js';
import * as T from './tokens.js';

/** Characters no token can start with, dropped as Chevrotain's lexer does: one error per run of them. */
export interface ScanError {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  length: number;
}

/** The tokens (keywords already told from names) and the errors, in order. */
export interface ScanResult {
  tokens: IToken[];
  errors: ScanError[];
}

/** The same expressions as the Duration and NumberLiteral tokens, anchored where the scanner stands. */
const DURATION = /(?:\d+(?:\.\d+)?(?:ms|h|m|s))+(?![A-Za-z0-9_])/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PATH = /\/[^\s#"]*/y;

/** Single-character tokens, and the token a second character turns them into (`-` `>` is `->`). */
const SINGLE = new Map<number, TokenType>([
  [0x2b, T.Plus], [0x2a, T.Star], [0x25, T.Percent], [0x3a, T.Colon], [0x2c, T.Comma], [0x2e, T.Dot],
  [0x28, T.LParen], [0x29, T.RParen], [0x5b, T.LBracket], [0x5d, T.RBracket], [0x7b, T.LBrace], [0x7d, T.RBrace],
]);
const PAIRED: ReadonlyMap<number, { second: number; pair: TokenType; single: TokenType | undefined }> = new Map([
  [0x2d, { second: 0x3e, pair: T.Arrow, single: T.Minus }],
  [0x3f, { second: 0x3f, pair: T.Coalesce, single: T.Question }],
  [0x7c, { second: 0x7c, pair: T.OrOr, single: T.Pipe }],
  [0x26, { second: 0x26, pair: T.AndAnd, single: undefined }],
  [0x3d, { second: 0x3d, pair: T.EqEq, single: T.Equals }],
  [0x21, { second: 0x3d, pair: T.NotEq, single: T.Bang }],
  [0x3c, { second: 0x3d, pair: T.LtEq, single: T.Lt }],
  [0x3e, { second: 0x3d, pair: T.GtEq, single: T.Gt }],
]);

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isNameChar = (c: number): boolean => isLetter(c) || isDigit(c) || c === 0x5f;
/** The WhiteSpace token's characters: space, tab, form feed, vertical tab, no-break space, BOM. */
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b || c === 0xa0 || c === 0xfeff;

/** Whether some token (skipped ones included) starts at `i`: where an error run ends. */
function canStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isNameChar(c) || isSpace(c) || c === 0x0a || c === 0x0d || c === 0x22 || c === 0x23 || c === 0x2f) return true;
  if (SINGLE.has(c)) return true;
  const p = PAIRED.get(c);
  return p !== undefined && (p.single !== undefined || text.charCodeAt(i + 1) === p.second);
}

/** Index just past the name starting at `i`: `-` joins two parts when a letter follows it (tokens.ts). */
function nameEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    while (isNameChar(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== 0x2d || !isLetter(text.charCodeAt(j + 1))) return j;
    j += 2;
  }
}

/** Tokenize `text`. Positions are Chevrotain's: 1-based lines and columns, inclusive end offsets. */
export function scan(text: string): ScanResult {
  const tokens: IToken[] = [];
  const errors: ScanError[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  /** Offset of the current line's first character, so a column is `i - lineStart + 1`. */
  let lineStart = 0;
  const add = (type: TokenType, end: number, image = text.slice(i, end)): void => {
    const col = i - lineStart + 1;
    tokens.push(makeToken(type, image, i, end - 1, line, col, col + end - i - 1));
    i = end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      while (isSpace(text.charCodeAt(i))) i++;
    } else if (c === 0x0a || c === 0x0d) {
      i += c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      line++;
      lineStart = i;
    } else if (isLetter(c) || c === 0x5f) {
      const end = nameEnd(text, i);
      const image = text.slice(i, end);
      add(T.keywordOf(image) ?? T.Identifier, end, image);
    } else if (isDigit(c)) {
      DURATION.lastIndex = i;
      if (DURATION.test(text)) add(T.Duration, DURATION.lastIndex);
      else {
        NUMBER.lastIndex = i;
        NUMBER.test(text);
        add(T.NumberLiteral, NUMBER.lastIndex);
      }
    } else if (c === 0x22) {
      const end = scanString(text, i);
      if (end >= 0) add(T.StringLiteral, end);
      else {
        let j = i + 1;
        for (let d = text.charCodeAt(j); j < n && d !== 0x0a && d !== 0x0d; d = text.charCodeAt(++j));
        add(T.UnterminatedString, j);
      }
    } else if (c === 0x23) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x2f) {
      const method = tokens[tokens.length - 1];
      const http = tokens[tokens.length - 2];
      if (http?.tokenType === T.Http && method?.tokenType === T.Identifier) {
        PATH.lastIndex = i;
        PATH.test(text);
        add(T.HttpPath, PATH.lastIndex);
      } else add(T.Slash, i + 1);
    } else {
      const single = SINGLE.get(c);
      const p = single === undefined ? PAIRED.get(c) : undefined;
      if (single !== undefined) add(single, i + 1);
      else if (p !== undefined && text.charCodeAt(i + 1) === p.second) add(p.pair, i + 2);
      else if (p?.single !== undefined) add(p.single, i + 1);
      else {
        const start = i;
        while (++i < n && !canStart(text, i));
        errors.push({ offset: start, line, column: start - lineStart + 1, length: i - start });
      }
    }
  }
  return { tokens, errors };
}
