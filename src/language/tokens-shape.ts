/**
 * The parser's token shape: Chevrotain's IToken plus a slot for the token's source range, made in one place so
 * V8 sees one object shape in the parser's hot paths; and the sink interface the layout pass is fed through.
 */
import type { IToken, TokenType } from 'chevrotain';
import type { SourceRange } from './diagnostics.js';
import * as T from './tokens.js';

/** A lexing error in Chevrotain's shape (1-based line and column). */
export interface ScanError {
  offset: number;
  line: number;
  column: number;
  length: number;
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

/** Where lexed tokens go: line breaks separately, so a layout pass needs no token for them. */
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
