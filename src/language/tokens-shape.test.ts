import { EOF } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { tokenizeFile, tokenizeFragment } from './lexer.js';
import * as T from './tokens.js';

// The parser's END_OF_FILE token is Chevrotain's token literal with NaN positions: a token in that field order
// would share its hidden class and box every position as a heap number (see tokens-shape.ts).
const CHEVROTAIN_ORDER = ['image', 'startOffset', 'endOffset', 'startLine', 'endLine', 'startColumn', 'endColumn', 'tokenTypeIdx', 'tokenType'];

describe('token shape', () => {
  it('lexed and synthetic tokens share one field order, not the one of END_OF_FILE', () => {
    const { tokens } = tokenizeFile('t.flow', 'state a\n  set x = "hi"\n  -> b\n');
    const orders = new Set(tokens.map((t) => Object.keys(t).join(',')));
    expect(orders.size).toBe(1);
    expect([...orders][0]).not.toBe(CHEVROTAIN_ORDER.join(','));
    expect(tokens.some((t) => t.tokenType === T.Indent)).toBe(true);
    expect(tokens.every((t) => t.tokenType !== EOF && Number.isInteger(t.startOffset) && Number.isInteger(t.endColumn))).toBe(true);
  });

  it('keywords are names retyped by their exact spelling', () => {
    const types = (s: string): string[] => tokenizeFragment('t.flow', s).tokens.map((t) => t.tokenType.name);
    expect(types('set settle set-x if state')).toEqual(['Set', 'Identifier', 'Identifier', 'If', 'State']);
    expect(types('on http GET /x')).toEqual(['On', 'Http', 'Identifier', 'HttpPath']);
    expect(types('on http set /x')).toEqual(['On', 'Http', 'Set', 'Slash', 'Identifier']);
  });
});
