/**
 * The plumbing under the grammar: ranges from tokens, catalog-driven gates for step arguments, string tokens,
 * binary-operator folding. Kept apart from parser.ts so the grammar reads as a grammar.
 */
import { EmbeddedActionsParser, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { StepDecl } from '../catalog/index.js';
import type { BinaryOp, Expr, Ident, StepAst, StringExpr, TransitionAst } from './ast.js';
import type { Diagnostic, SourceRange } from './diagnostics.js';
import { messageProvider } from './messages.js';
import { error, inString, isInvented, span, tokenRange } from './ranges.js';
import { argDecl, enumValues, isArgName, normalizeArgValue, positionalArg } from './step-args.js';
import { splitTemplate } from './strings.js';
import * as T from './tokens.js';

/** A string token whose interpolations still need parsing (done after the main parse, reusing the parser). */
export interface PendingString {
  expr: StringExpr;
  tok: IToken;
  content: string;
}

const BINARY: ReadonlyMap<TokenType, { op: BinaryOp; prec: number }> = new Map([
  [T.Coalesce, { op: '??', prec: 1 }],
  [T.OrOr, { op: '||', prec: 2 }],
  [T.AndAnd, { op: '&&', prec: 3 }],
  [T.EqEq, { op: '==', prec: 4 }],
  [T.NotEq, { op: '!=', prec: 4 }],
  [T.Lt, { op: '<', prec: 5 }],
  [T.LtEq, { op: '<=', prec: 5 }],
  [T.Gt, { op: '>', prec: 5 }],
  [T.GtEq, { op: '>=', prec: 5 }],
  [T.Plus, { op: '+', prec: 6 }],
  [T.Minus, { op: '-', prec: 6 }],
  [T.Star, { op: '*', prec: 7 }],
  [T.Slash, { op: '/', prec: 7 }],
  [T.Percent, { op: '%', prec: 7 }],
] as const);

/** Binary operator tokens, for the grammar's operator alternatives. */
export const BINARY_TOKENS: readonly TokenType[] = [...BINARY.keys()];

/** Whether a token type can begin an expression, filled on first use (categories make the test a scan). */
const EXPR_START_BY_TYPE = new Map<TokenType, boolean>();

const VALUE_AFTER_NAME: readonly TokenType[] = [T.StringLiteral, T.NumberLiteral, T.Duration, T.True, T.False, T.Null, T.LBrace];

/** Replace the top two operands by the binary expression of the top operator. */
function reduceBinary(out: Expr[], stack: Array<{ op: BinaryOp; prec: number }>): void {
  const right = out.pop()!;
  const left = out.pop()!;
  const { op } = stack.pop()!;
  out.push({ kind: 'binary', op, left, right, range: span(left.range, right.range) });
}

/** Base class of the `.flow` parser: state for one parse and helpers the grammar's actions call. */
export abstract class ParserSupport extends EmbeddedActionsParser {
  protected file = '<input>';
  /** The step whose arguments are being parsed (undefined for unknown steps and auth arguments). */
  protected step: StepDecl | undefined;
  /** Diagnostics found by grammar actions (beyond Chevrotain's own syntax errors). */
  diags: Diagnostic[] = [];
  /** Interpolated strings waiting for their expressions to be parsed. */
  pending: PendingString[] = [];
  private lastRange: SourceRange | undefined;

  /** `recovery` off: the parse stops at the first syntax error (the fast first attempt, see parse-flow.ts). */
  constructor(recovery: boolean) {
    super(T.ALL_TOKENS, { recoveryEnabled: recovery, maxLookahead: 3, errorMessageProvider: messageProvider });
  }

  /** Start a fresh parse of `tokens` from `file`; interpolated strings are queued on `pending`. */
  begin(file: string, tokens: IToken[], pending: PendingString[]): void {
    this.file = file;
    this.pending = pending;
    this.step = undefined;
    this.diags = [];
    this.lastRange = undefined;
    this.input = tokens;
  }

  /** The range of a token; invented (recovery) tokens sit where the last real one ended. */
  protected r(tok: IToken): SourceRange {
    if (isInvented(tok)) {
      const at = this.lastRange?.end ?? { line: 0, character: 0 };
      return { file: this.file, start: at, end: at };
    }
    const range = tokenRange(this.file, tok);
    this.lastRange = range;
    return range;
  }

  protected ident(tok: IToken): Ident {
    return { name: tok.image, range: this.r(tok) };
  }

  /** A stand-in for a part that error recovery could not build (the syntax error is already reported). */
  protected hole(range?: SourceRange): Expr {
    const at = range ?? this.lastRange ?? { file: this.file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { kind: 'null', range: at };
  }

  /** A transition that error recovery could not build stands in as one to the empty name (never reported). */
  protected tr(t: TransitionAst | undefined): TransitionAst {
    if (t) return t;
    const range = this.hole().range;
    return { target: { name: '', range }, range };
  }

  protected report(code: string, message: string, range: SourceRange, hint?: string): void {
    this.diags.push(error(code, message, range, hint));
  }

  protected startsExpr(tok: IToken): boolean {
    let starts = EXPR_START_BY_TYPE.get(tok.tokenType);
    if (starts === undefined) {
      starts = T.EXPR_START.some((t) => tokenMatcher(tok, t));
      EXPR_START_BY_TYPE.set(tok.tokenType, starts);
    }
    return starts;
  }

  /** Before a step's arguments: is the next thing the unnamed (positional) argument? */
  protected positionalGate(): boolean {
    const t = this.LA(1);
    if (!this.startsExpr(t)) return false;
    if (!tokenMatcher(t, T.Name)) return true;
    if (!this.step) return false;
    if (isArgName(this.step, t.image)) {
      // `bridge-to-channel channel`: an argument name with no value after it is a variable given positionally.
      const decl = argDecl(this.step, t.image);
      const n2 = this.LA(2);
      const valueFollows = this.startsExpr(n2) && !(tokenMatcher(n2, T.Name) && isArgName(this.step, n2.image));
      return !decl?.flag && !valueFollows && positionalArg(this.step) !== undefined;
    }
    // `record fiel "/x.wav"` is a misspelt argument name followed by its value, not a variable.
    const next = this.LA(2);
    for (const v of VALUE_AFTER_NAME) if (tokenMatcher(next, v)) return false;
    return !(tokenMatcher(next, T.Name) && !isArgName(this.step, next.image));
  }

  /** After an argument name: does a value follow, or is it a flag? */
  protected valueGate(argName: string): boolean {
    const t = this.LA(1);
    if (!this.startsExpr(t)) return false;
    const decl = argDecl(this.step, argName);
    // `wait digits digits "12"`: a word that is one of this argument's enum values is its value, even when
    // the word also names another argument.
    const isOwnValue = !decl?.flag && tokenMatcher(t, T.Name) && enumValues(decl?.type).includes(t.image);
    if (tokenMatcher(t, T.Name) && isArgName(this.step, t.image) && !isOwnValue) return false;
    if (decl?.flag) return t.tokenType === T.True || t.tokenType === T.False || t.tokenType === T.LParen;
    return true;
  }

  /** Build a string expression; interpolations are queued and parsed once the main parse is over. */
  protected stringExpr(tok: IToken): StringExpr {
    const range = this.r(tok);
    const unterminated = (tok as IToken & { unterminated?: boolean }).unterminated === true;
    const content = tok.image.slice(1, unterminated || tok.image.length < 2 ? undefined : -1);
    if (!content.includes('\\') && !content.includes('${')) return { kind: 'string', parts: [content], range };
    const expr: StringExpr = { kind: 'string', parts: [], range };
    if (!content.includes('${')) {
      const split = splitTemplate(content, 'flow');
      expr.parts = split.parts.map((p) => ('text' in p ? p.text : ''));
      for (const p of split.problems) this.report(p.code, p.message, this.inString(tok, p.offset, p.length));
      return expr;
    }
    this.pending.push({ expr, tok, content });
    return expr;
  }

  /** The range of `length` characters at `offset` in a string token's content. */
  inString(tok: IToken, offset: number, length: number): SourceRange {
    return inString(this.file, tok, offset, length);
  }

  /** A string that must be plain text (doc strings, object keys): interpolation is reported. */
  protected plainString(tok: IToken, what: string): string {
    const e = this.stringExpr(tok);
    if (this.pending[this.pending.length - 1]?.expr === e) {
      this.pending.pop();
      this.report('CF2020', `${what} cannot contain '\${...}'`, e.range);
      return tok.image.slice(1, -1);
    }
    return e.parts.map((part) => (typeof part === 'string' ? part : '')).join('');
  }

  /** Add the unnamed argument of a step (`value` undefined when recovery lost it). */
  protected addPositional(step: StepAst, name: IToken, value: Expr | undefined): void {
    const decl = this.step;
    const pos = positionalArg(decl);
    const v = value ?? this.hole();
    if (decl && !pos) {
      this.report('CF2016', `'${name.image}' has no unnamed argument`, v.range, 'write the argument name before the value');
      return;
    }
    const argName = pos?.name ?? '';
    step.args.push({ name: { name: argName, range: v.range }, value: normalizeArgValue(pos, v), positional: true, range: v.range });
  }

  /** Fold `a op b op c ...` by precedence (all operators are left-associative). */
  protected foldBinary(operands: Expr[], ops: IToken[]): Expr {
    const out: Expr[] = [operands[0]!];
    const stack: Array<{ op: BinaryOp; prec: number }> = [];
    for (let i = 0; i < ops.length; i++) {
      const info = BINARY.get(ops[i]!.tokenType) ?? { op: '+', prec: 6 };
      while (stack.length > 0 && stack[stack.length - 1]!.prec >= info.prec) reduceBinary(out, stack);
      stack.push(info);
      out.push(operands[i + 1] ?? this.hole());
    }
    while (stack.length > 0) reduceBinary(out, stack);
    return out[0]!;
  }

  /** `-` applied to a literal number or duration is folded into the literal (so `-5` is the number -5). */
  protected negate(minus: IToken, operand: Expr): Expr {
    const range = span(this.r(minus), operand.range);
    if (operand.kind === 'number') return { kind: 'number', value: -operand.value, range };
    if (operand.kind === 'duration') return { kind: 'duration', ms: -operand.ms, text: `-${operand.text}`, range };
    return { kind: 'unary', op: '-', operand, range };
  }
}
