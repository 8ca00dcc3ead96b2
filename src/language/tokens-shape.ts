/**
 * The parser's token shape, shared by the scanned tokens and the synthetic layout tokens.
 *
 * Why not the field order of Chevrotain's own token literal: it is also that of the parser's END_OF_FILE token,
 * whose positions are NaN. Objects built in one field order share one V8 hidden class, so that NaN turns every
 * position field of every token into a boxed double: six heap numbers per token, half the lexer's allocation
 * and most of the garbage collector's work during a parse. A different field order gets a hidden class of its
 * own whose positions stay small integers stored in place. Never put a NaN (or any non-integer) in one.
 */
import type { IToken, TokenType } from 'chevrotain';

/** A token in the field order every parser token uses: see the module comment. */
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
    tokenType: type,
    tokenTypeIdx: type.tokenTypeIdx!,
    image,
    startOffset,
    endOffset,
    startLine: line,
    endLine: line,
    startColumn,
    endColumn,
  };
}
