/**
 * Lexing plus the layout pass. Chevrotain produces the tokens, skipping line breaks like spaces; the layout pass
 * finds them as a change of line between two tokens, ignores those inside brackets (and so blank and comment
 * lines), and turns the rest and the indentation changes into Newline / Indent / Dedent tokens (as Python does),
 * so the grammar can attach indented lines to the line above.
 */
import type { IToken, TokenType } from 'chevrotain';
import type { Diagnostic } from './diagnostics.js';
import { FlowLexer, makeToken } from './tokens-shape.js';
import { error } from './ranges.js';
import * as T from './tokens.js';

// Skipping line breaks (Chevrotain still counts lines) saves a token object per line.
const lexer = new FlowLexer(T.LEXED_TOKENS, { positionTracking: 'full', ensureOptimizations: true });

/** Chevrotain's lexing errors as diagnostics. */
function lexErrors(file: string, text: string, errors: ReadonlyArray<{ offset: number; line?: number; column?: number; length: number }>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const e of errors) {
    const line = (e.line ?? 1) - 1;
    const character = (e.column ?? 1) - 1;
    const shown = text.slice(e.offset, e.offset + Math.min(e.length, 20));
    const range = { file, start: { line, character }, end: { line, character: character + e.length } };
    diagnostics.push(error('CF1002', `unexpected character${e.length > 1 ? 's' : ''} '${shown}'`, range));
  }
  return diagnostics;
}

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

const isOpener = (t: TokenType): boolean => t === T.LParen || t === T.LBracket || t === T.LBrace;
const isCloser = (t: TokenType): boolean => t === T.RParen || t === T.RBracket || t === T.RBrace;

/** Tokenize a whole file, with Newline/Indent/Dedent from its layout. */
export function tokenizeFile(file: string, text: string): LexResult {
  const lexed = lexer.tokenize(text);
  const diagnostics = lexErrors(file, text, lexed.errors);
  const layout = new Layout(file, text);
  // Indexed: a for-of here allocates an iterator result per token (Layout.token is too big to inline).
  const lexedTokens = lexed.tokens;
  for (let i = 0; i < lexedTokens.length; i++) layout.token(lexedTokens[i]!);
  const tokens = layout.finish();
  for (const d of layout.diagnostics) diagnostics.push(d);
  return { tokens, diagnostics };
}

/**
 * Tokenize a fragment (an interpolation, a YAML scalar): line breaks are plain whitespace. `base` shifts
 * positions to where the fragment sits in its file.
 */
export function tokenizeFragment(file: string, text: string, base?: Base): LexResult {
  const lexed = lexer.tokenize(text);
  const diagnostics = lexErrors(file, text, lexed.errors);
  const tokens = lexed.tokens;
  if (base !== undefined && (base.line !== 0 || base.character !== 0 || base.offset !== 0)) shift(tokens, base, diagnostics);
  for (const t of tokens) {
    if (t.tokenType === T.Identifier) retypeKeyword(t);
    else if (t.tokenType === T.UnterminatedString) fixString(file, t, diagnostics);
  }
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

/** A name that spells a keyword becomes that keyword's token (see keywordOf). */
function retypeKeyword(t: IToken): void {
  const k = T.keywordOf(t.image);
  if (k === undefined) return;
  t.tokenType = k;
  t.tokenTypeIdx = k.tokenTypeIdx!;
}

function fixString(file: string, t: IToken, diagnostics: Diagnostic[]): void {
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

/** A zero-width synthetic token right before `at` (or at the end of the text). */
function synth(type: TokenType, at: IToken | undefined, text: string, endLine: number, endColumn: number): IToken {
  if (at) {
    const col = at.startColumn ?? 1;
    return makeToken(type, '', at.startOffset, at.startOffset - 1, at.startLine ?? 1, col, col - 1);
  }
  return makeToken(type, '', text.length, text.length - 1, endLine, endColumn + 1, endColumn);
}

/** The layout pass, fed the lexed tokens in order. */
class Layout {
  /** Sized from the text (about one token per 5 characters) so pushing rarely regrows it; trimmed at the end. */
  private readonly out: IToken[];
  private count = 0;
  /** Layout problems, in the order found (after the lexing errors in the result). */
  readonly diagnostics: Diagnostic[] = [];
  private readonly indents: number[] = [0];
  private readonly openers: Array<{ tok: IToken; indent: number }> = [];
  private lineIndent = 0;
  /** The pending statement end (offset, 1-based line and column); offset -1 when there is none. */
  private nlOffset = -1;
  private nlLine = 0;
  private nlColumn = 0;
  private bracketBreak = false;
  /** The last lexed token: a token on a later line means line breaks came between them. */
  private prev: IToken | undefined;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.out = new Array<IToken>(Math.ceil(text.length / 5) + 16);
  }

  private push(t: IToken): void {
    this.out[this.count++] = t;
  }

  /** Line breaks after `prev`: inside brackets they join lines, else the first one ends the statement. */
  private lineBreakAfter(prev: IToken): void {
    if (this.openers.length > 0) {
      this.bracketBreak = true;
      return;
    }
    // Only spaces and a comment can sit between a token and the line break after it (strings end on their line).
    const { text } = this;
    let at = prev.endOffset! + 1;
    for (let c = text.charCodeAt(at); c !== 10 && c !== 13 && at < text.length; c = text.charCodeAt(++at));
    this.nlOffset = at;
    this.nlLine = prev.endLine!;
    this.nlColumn = prev.endColumn! + (at - prev.endOffset!);
  }

  token(t: IToken): void {
    const { out, openers, diagnostics, file } = this;
    const prev = this.prev;
    if (prev !== undefined && t.startLine! > prev.endLine!) this.lineBreakAfter(prev);
    this.prev = t;
    if (t.tokenType === T.Identifier) retypeKeyword(t);
    else if (t.tokenType === T.UnterminatedString) fixString(file, t, diagnostics);
    const col = (t.startColumn ?? 1) - 1;
    if (this.bracketBreak) {
      this.bracketBreak = false;
      const top = openers[openers.length - 1]!;
      if (col <= top.indent && !isCloser(t.tokenType)) {
        // A bracket left open: end the logical line here instead of swallowing the rest of the file.
        for (const o of openers) {
          diagnostics.push(error('CF1007', `'${o.tok.image}' is not closed`, rangeOf(file, o.tok)));
        }
        openers.length = 0;
        // The line ends after the last token before the break (columns are 1-based).
        const prev = this.count > 0 ? out[this.count - 1] : undefined;
        this.nlLine = prev?.endLine ?? prev?.startLine ?? t.startLine ?? 1;
        this.nlColumn = (prev?.endColumn ?? 0) + 1;
        this.nlOffset = prev ? prev.endOffset ?? prev.startOffset : t.startOffset - 1;
      }
    }
    if (this.count === 0 || this.nlOffset >= 0) {
      if (this.nlOffset >= 0) {
        this.push(makeToken(T.Newline, '', this.nlOffset, this.nlOffset, this.nlLine, this.nlColumn, this.nlColumn));
        this.nlOffset = -1;
      }
      const indents = this.indents;
      let top = indents[indents.length - 1]!;
      if (col > top) {
        indents.push(col);
        this.push(synth(T.Indent, t, this.text, 0, 0));
      } else {
        while (col < top) {
          indents.pop();
          this.push(synth(T.Dedent, t, this.text, 0, 0));
          top = indents[indents.length - 1]!;
        }
        if (col > top) {
          const range = { file, start: { line: (t.startLine ?? 1) - 1, character: 0 }, end: { line: (t.startLine ?? 1) - 1, character: col } };
          diagnostics.push(error('CF1006', 'this line is indented to a level no enclosing block uses', range));
        }
      }
      this.lineIndent = col;
    }
    if (isOpener(t.tokenType)) openers.push({ tok: t, indent: this.lineIndent });
    else if (isCloser(t.tokenType) && openers.length > 0) openers.pop();
    this.push(t);
  }

  /** Close what is still open and return the tokens. */
  finish(): IToken[] {
    const { out, text, file } = this;
    for (const o of this.openers) this.diagnostics.push(error('CF1007', `'${o.tok.image}' is not closed`, rangeOf(file, o.tok)));
    const end = textEnd(text);
    const endLine = end.line + 1;
    const endColumn = end.character;
    const last = this.count > 0 ? out[this.count - 1] : undefined;
    if (last && last.tokenType !== T.Newline) {
      this.push(makeToken(T.Newline, '', text.length, text.length - 1, endLine, endColumn + 1, endColumn));
    }
    for (let i = 1; i < this.indents.length; i++) this.push(synth(T.Dedent, undefined, text, endLine, endColumn));
    out.length = this.count;
    return out;
  }
}
