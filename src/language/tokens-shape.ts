/**
 * The parser's token shape: exactly the fields, in the order, of the tokens Chevrotain's lexer makes with full
 * position tracking, so lexed tokens are handed to the parser as they are (no copy) and the synthetic ones made
 * here share their V8 object shape.
 */
import type { IToken, TokenType } from 'chevrotain';

/**
 * A token in the field layout of Chevrotain's `createFullToken` (same names, same order, nothing more): lexed
 * and synthetic tokens then have one V8 object shape in the parser's hot paths.
 */
export function makeToken(
  type: TokenType,
  image: string,
  startOffset: number,
  endOffset: number,
  line: number,
  startColumn: number,
  endColumn: number,
): IToken {
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
  };
}
