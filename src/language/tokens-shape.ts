/**
 * The parser's token shape, shared by the lexed tokens (FlowLexer makes them) and the synthetic layout tokens.
 *
 * Why not Chevrotain's own token literal: its field order is also that of the parser's END_OF_FILE token, whose
 * positions are NaN. Objects built in one field order share one V8 hidden class, so that NaN turns every
 * position field of every token into a boxed double: six heap numbers per token, about 40 % of what lexing
 * allocated, all of it copied by every scavenge during the parse. A different field order gets a hidden class
 * of its own whose positions stay small integers stored in place. Never put a NaN (or any non-integer) in one.
 */
import { Lexer, type IToken, type TokenType } from 'chevrotain';

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

/**
 * Chevrotain's Lexer making its tokens in makeToken's field order. Its constructor picks the token factory for
 * full position tracking as `this.createFullToken`, which this overrides (lexer_public.js, Chevrotain 11; if a
 * release renames it, tokens-shape.test.ts fails); line-breaking tokens then get their end line and column set
 * by the lexer as usual.
 */
export class FlowLexer extends Lexer {
  createFullToken(
    image: string,
    startOffset: number,
    _tokenTypeIdx: number,
    tokenType: TokenType,
    startLine: number,
    startColumn: number,
    imageLength: number,
  ): IToken {
    const last = imageLength - 1;
    return makeToken(tokenType, image, startOffset, startOffset + last, startLine, startColumn, startColumn + last);
  }
}
