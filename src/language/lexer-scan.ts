/**
 * A hand-written scanner producing exactly the tokens (and lexing errors) the Chevrotain lexer built from
 * `LEXED_TOKENS` would, several times faster: it dispatches on the first character instead of trying patterns
 * in order. The token patterns in tokens.ts stay the specification; lexer-scan.test.ts checks both agree.
 */
import type { IToken, TokenType } from 'chevrotain';
import type { SourceRange } from './diagnostics.js';
import * as T from './tokens.js';
import { scanString } from './strings.js';

/** A lexing error in Chevrotain's shape (1-based line and column). */
export interface ScanError {
  offset: number;
  line: number;
  column: number;
  length: number;
}

const KEYWORDS = new Map<string, { type: TokenType; image: string }>(
  [...T.HARD_KEYWORDS, ...T.SOFT_KEYWORDS].map((t) => [t.name.toLowerCase(), { type: t, image: t.name.toLowerCase() }]),
);
const DURATION = /(?:\d+(?:\.\d+)?(?:ms|h|m|s))+(?![A-Za-z0-9_])/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PATH = /\/[^\s#"]*/y;

/** Token of one character, by char code (operators and brackets that never start a longer token). */
const SINGLE: Array<TokenType | undefined> = [];
for (const [ch, t] of [
  ['+', T.Plus],
  ['*', T.Star],
  ['%', T.Percent],
  [':', T.Colon],
  [',', T.Comma],
  ['.', T.Dot],
  ['(', T.LParen],
  [')', T.RParen],
  ['[', T.LBracket],
  [']', T.RBracket],
  ['{', T.LBrace],
  ['}', T.RBrace],
] as const) {
  SINGLE[ch.charCodeAt(0)] = t;
}

/** Operators of one character that become a two-character token when followed by `second`. */
const PAIRS: Array<{ second: number; pair: TokenType; single: TokenType } | undefined> = [];
for (const [ch, second, pair, single] of [
  ['-', '>', T.Arrow, T.Minus],
  ['?', '?', T.Coalesce, T.Question],
  ['|', '|', T.OrOr, T.Pipe],
  ['=', '=', T.EqEq, T.Equals],
  ['!', '=', T.NotEq, T.Bang],
  ['<', '=', T.LtEq, T.Lt],
  ['>', '=', T.GtEq, T.Gt],
] as const) {
  PAIRS[ch.charCodeAt(0)] = { second: second.charCodeAt(0), pair, single };
}

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isWordChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;

/** Whether some token pattern matches at `i` (where the lexer resumes after unexpected characters). */
function canStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isWordChar(c) || isSpace(c) || SINGLE[c] !== undefined || PAIRS[c] !== undefined) return true;
  if (c === 10 || c === 13 || c === 34 || c === 35 || c === 47) return true;
  return c === 38 && text.charCodeAt(i + 1) === 38;
}

/** A token with a slot where the parser keeps its range, so a token used twice in the AST is converted once. */
export interface RangedToken extends IToken {
  range: SourceRange | undefined;
}

/**
 * A token in Chevrotain's field layout plus the range slot. Every token (lexed or synthetic) is made here so
 * V8 sees one object shape in the parser's hot paths.
 */
export function makeToken(
  type: TokenType,
  image: string,
  startOffset: number,
  endOffset: number,
  line: number,
  startColumn: number,
  endColumn: number,
): RangedToken {
  return {
    image,
    startOffset,
    endOffset,
    startLine: line,
    endLine: line,
    startColumn,
    endColumn,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
    range: undefined,
  };
}

function token(type: TokenType, image: string, offset: number, line: number, column: number): RangedToken {
  return makeToken(type, image, offset, offset + image.length - 1, line, column, column + image.length - 1);
}

/** Where the scanner delivers tokens: line breaks separately, so a layout pass needs no token for them. */
export interface TokenSink {
  token(t: RangedToken): void;
  /** A line break (`image` is `\n`, `\r\n` or `\r`) at a 0-based offset and 1-based line and column. */
  newline(offset: number, line: number, column: number, image: string): void;
}

/** A sink keeping every raw token, line breaks as RawNewline tokens (what Chevrotain's lexer returns). */
export class RawTokens implements TokenSink {
  readonly tokens: RangedToken[] = [];
  token(t: RangedToken): void {
    this.tokens.push(t);
  }
  newline(offset: number, line: number, column: number, image: string): void {
    this.tokens.push(token(T.RawNewline, image, offset, line, column));
  }
}

/** Scan `text` into `sink`, returning the characters no token matched. */
export function scan(text: string, sink: TokenSink): ScanError[] {
  const errors: ScanError[] = [];
  const length = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // The last two raw tokens' types (line breaks included): an http path follows `http METHOD`.
  let prev1: TokenType | undefined;
  let prev2: TokenType | undefined;
  const names = new Map<string, string>();
  while (i < length) {
    const c = text.charCodeAt(i);
    const start = i;
    let type: TokenType;
    let image: string | undefined;
    if (isLetter(c) || c === 95) {
      i++;
      for (;;) {
        while (i < length && isWordChar(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) === 45 && isLetter(text.charCodeAt(i + 1))) i += 2;
        else break;
      }
      const word = text.slice(start, i);
      const keyword = KEYWORDS.get(word);
      if (keyword) {
        type = keyword.type;
        image = keyword.image;
      } else {
        // One string per distinct name: fewer live strings, and their hashes are computed once for every
        // Map, Set and property lookup the parser and compiler do with them.
        type = T.Identifier;
        image = names.get(word);
        if (image === undefined) names.set(word, (image = word));
      }
    } else if (isSpace(c)) {
      i++;
      while (i < length && isSpace(text.charCodeAt(i))) i++;
      continue;
    } else if (c === 10 || c === 13) {
      const crlf = c === 13 && text.charCodeAt(i + 1) === 10;
      i += crlf ? 2 : 1;
      sink.newline(start, line, start - lineStart + 1, crlf ? '\r\n' : c === 10 ? '\n' : '\r');
      prev2 = prev1;
      prev1 = T.RawNewline;
      line++;
      lineStart = i;
      continue;
    } else if (SINGLE[c] !== undefined) {
      type = SINGLE[c]!;
      i++;
    } else if (PAIRS[c] !== undefined) {
      const pair = PAIRS[c];
      const two = text.charCodeAt(i + 1) === pair.second;
      type = two ? pair.pair : pair.single;
      i += two ? 2 : 1;
    } else if (c === 34) {
      const end = scanString(text, i);
      if (end >= 0) {
        type = T.StringLiteral;
        i = end;
      } else {
        type = T.UnterminatedString;
        i++;
        while (i < length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      }
    } else if (isDigit(c)) {
      DURATION.lastIndex = i;
      if (DURATION.test(text)) {
        type = T.Duration;
        i = DURATION.lastIndex;
      } else {
        NUMBER.lastIndex = i;
        NUMBER.test(text);
        type = T.NumberLiteral;
        i = NUMBER.lastIndex;
      }
    } else if (c === 35) {
      while (i < length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    } else if (c === 47) {
      PATH.lastIndex = i;
      if (prev1 === T.Identifier && prev2 === T.Http && PATH.test(text)) {
        type = T.HttpPath;
        i = PATH.lastIndex;
      } else {
        type = T.Slash;
        i++;
      }
    } else if (c === 38 && text.charCodeAt(i + 1) === 38) {
      type = T.AndAnd;
      i += 2;
    } else {
      i++;
      while (i < length && !canStart(text, i)) i++;
      errors.push({ offset: start, line, column: start - lineStart + 1, length: i - start });
      continue;
    }
    sink.token(token(type, image ?? text.slice(start, i), start, line, start - lineStart + 1));
    prev2 = prev1;
    prev1 = type;
  }
  return errors;
}
