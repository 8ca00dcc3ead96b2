/**
 * Lexing plus the layout pass. Chevrotain produces raw tokens; the layout pass then drops line breaks inside
 * brackets, collapses blank and comment lines, and turns the remaining line breaks and indentation changes into
 * Newline / Indent / Dedent tokens (as Python does), so the grammar can attach indented lines to the line above.
 */
import { createTokenInstance, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { Diagnostic } from './diagnostics.js';
import { error } from './ranges.js';
import * as T from './tokens.js';

const lexer = new Lexer(T.LEXED_TOKENS, { positionTracking: 'full', ensureOptimizations: false });

/** Where a fragment (an interpolation, a YAML scalar) starts in its file, 0-based. */
export interface Base {
  line: number;
  character: number;
  offset: number;
}

let lastText: string | undefined;
let lastEnd = { line: 0, character: 0 };

/** Where `text` ends (0-based line and column), as `split(/\r\n|\r|\n/)` would count, without splitting. */
export function textEnd(text: string): { line: number; character: number } {
  if (text === lastText) return { ...lastEnd };
  let line = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      start = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      line++;
      start = i + 1;
    }
  }
  lastText = text;
  lastEnd = { line, character: text.length - start };
  return { ...lastEnd };
}

/** Tokens ready for the parser, and the lexing problems found. */
export interface LexResult {
  tokens: IToken[];
  diagnostics: Diagnostic[];
}

const OPENERS = new Set<TokenType>([T.LParen, T.LBracket, T.LBrace]);
const CLOSERS = new Set<TokenType>([T.RParen, T.RBracket, T.RBrace]);

/**
 * Tokenize `text`. `layout` (whole files) emits Newline/Indent/Dedent; without it (expression fragments) line
 * breaks are plain whitespace. `base` shifts positions for fragments embedded in a larger file.
 */
export function tokenize(file: string, text: string, layout: boolean, base?: Base): LexResult {
  const lexed = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const e of lexed.errors) {
    const line = (e.line ?? 1) - 1;
    const character = (e.column ?? 1) - 1;
    const shown = text.slice(e.offset, e.offset + Math.min(e.length, 20));
    const range = { file, start: { line, character }, end: { line, character: character + e.length } };
    diagnostics.push(error('CF1002', `unexpected character${e.length > 1 ? 's' : ''} '${shown}'`, range));
  }
  if (base && (base.line !== 0 || base.character !== 0 || base.offset !== 0)) shift(lexed.tokens, base, diagnostics);
  const tokens = layout ? applyLayout(file, text, lexed.tokens, diagnostics) : dropNewlines(file, lexed.tokens, diagnostics);
  return { tokens, diagnostics };
}

function shift(tokens: IToken[], base: Base, diagnostics: Diagnostic[]): void {
  for (const t of tokens) {
    if (t.startLine === 1) t.startColumn = (t.startColumn ?? 1) + base.character;
    if (t.endLine === 1) t.endColumn = (t.endColumn ?? 0) + base.character;
    t.startLine = (t.startLine ?? 1) + base.line;
    t.endLine = (t.endLine ?? 1) + base.line;
    t.startOffset += base.offset;
    t.endOffset = (t.endOffset ?? t.startOffset) + base.offset;
  }
  for (const d of diagnostics) {
    if (d.range.start.line === 0) d.range.start.character += base.character;
    if (d.range.end.line === 0) d.range.end.character += base.character;
    d.range.start.line += base.line;
    d.range.end.line += base.line;
  }
}

function fixString(file: string, t: IToken, diagnostics: Diagnostic[]): void {
  if (t.tokenType !== T.UnterminatedString) return;
  diagnostics.push(error('CF1001', 'this string has no closing quote', rangeOf(file, t), 'strings end on the line they start on'));
  t.tokenType = T.StringLiteral;
  t.tokenTypeIdx = T.StringLiteral.tokenTypeIdx!;
  (t as IToken & { unterminated?: boolean }).unterminated = true;
}

function rangeOf(file: string, t: IToken): Diagnostic['range'] {
  const line = (t.startLine ?? 1) - 1;
  const character = (t.startColumn ?? 1) - 1;
  return { file, start: { line, character }, end: { line: (t.endLine ?? 1) - 1, character: t.endColumn ?? character } };
}

function dropNewlines(file: string, tokens: IToken[], diagnostics: Diagnostic[]): IToken[] {
  const out: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === T.RawNewline) continue;
    fixString(file, t, diagnostics);
    out.push(t);
  }
  return out;
}

/** A zero-width synthetic token right before `at` (or at the end of the text). */
function synth(type: TokenType, at: IToken | undefined, text: string, endLine: number, endColumn: number): IToken {
  if (at) {
    const col = at.startColumn ?? 1;
    return createTokenInstance(type, '', at.startOffset, at.startOffset - 1, at.startLine ?? 1, at.startLine ?? 1, col, col - 1);
  }
  return createTokenInstance(type, '', text.length, text.length - 1, endLine, endLine, endColumn + 1, endColumn);
}

function applyLayout(file: string, text: string, raw: IToken[], diagnostics: Diagnostic[]): IToken[] {
  const out: IToken[] = [];
  const indents: number[] = [0];
  const openers: Array<{ tok: IToken; indent: number }> = [];
  let lineIndent = 0;
  let newline: IToken | undefined;
  let bracketBreak = false;
  for (const t of raw) {
    if (t.tokenType === T.RawNewline) {
      if (openers.length > 0) bracketBreak = true;
      else if (out.length > 0) newline ??= t;
      continue;
    }
    fixString(file, t, diagnostics);
    const col = (t.startColumn ?? 1) - 1;
    if (bracketBreak) {
      bracketBreak = false;
      const top = openers[openers.length - 1]!;
      if (col <= top.indent && !CLOSERS.has(t.tokenType)) {
        // A bracket left open: end the logical line here instead of swallowing the rest of the file.
        for (const o of openers) {
          diagnostics.push(error('CF1007', `'${o.tok.image}' is not closed`, rangeOf(file, o.tok)));
        }
        openers.length = 0;
        // The line ends after the last token before the break (columns are 1-based).
        const prev = out[out.length - 1];
        const line = prev?.endLine ?? prev?.startLine ?? t.startLine ?? 1;
        const column = (prev?.endColumn ?? 0) + 1;
        const offset = prev ? prev.endOffset ?? prev.startOffset : t.startOffset - 1;
        newline = createTokenInstance(T.Newline, '', offset, offset, line, line, column, column);
      }
    }
    if (out.length === 0 || newline) {
      if (newline) {
        const n = newline;
        out.push(createTokenInstance(T.Newline, '', n.startOffset, n.startOffset, n.startLine ?? 1, n.startLine ?? 1, n.startColumn ?? 1, n.startColumn ?? 1));
        newline = undefined;
      }
      let top = indents[indents.length - 1]!;
      if (col > top) {
        indents.push(col);
        out.push(synth(T.Indent, t, text, 0, 0));
      } else {
        while (col < top) {
          indents.pop();
          out.push(synth(T.Dedent, t, text, 0, 0));
          top = indents[indents.length - 1]!;
        }
        if (col > top) {
          const range = { file, start: { line: (t.startLine ?? 1) - 1, character: 0 }, end: { line: (t.startLine ?? 1) - 1, character: col } };
          diagnostics.push(error('CF1006', 'this line is indented to a level no enclosing block uses', range));
        }
      }
      lineIndent = col;
    }
    if (OPENERS.has(t.tokenType)) openers.push({ tok: t, indent: lineIndent });
    else if (CLOSERS.has(t.tokenType) && openers.length > 0) openers.pop();
    out.push(t);
  }
  for (const o of openers) diagnostics.push(error('CF1007', `'${o.tok.image}' is not closed`, rangeOf(file, o.tok)));
  const end = textEnd(text);
  const endLine = end.line + 1;
  const endColumn = end.character;
  const last = out[out.length - 1];
  if (last && last.tokenType !== T.Newline) {
    out.push(createTokenInstance(T.Newline, '', text.length, text.length - 1, endLine, endLine, endColumn + 1, endColumn));
  }
  for (let i = 1; i < indents.length; i++) out.push(synth(T.Dedent, undefined, text, endLine, endColumn));
  return out;
}
