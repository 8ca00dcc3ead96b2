/**
 * The expression grammar. Binary operators are parsed flat (`unary (op unary)*`) and folded by precedence in
 * one action, which keeps the parser fast: no rule per precedence level.
 * Precedence, lowest first: `??`, `||`, `&&`, `== !=`, `< <= > >=`, `+ -`, `* / %`; then unary `! -`, then
 * postfix `.name`, `[index]`, and calls `name(args)`.
 */
import type { IToken } from 'chevrotain';
import type { IOrAlt } from 'chevrotain';
import type { Expr, ObjectExpr } from './ast.js';
import { BINARY_TOKENS, ParserSupport } from './parser-support.js';
import { span } from './ranges.js';
import * as T from './tokens.js';

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const SINGLE_PART = /^(\d+)(ms|h|m|s)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a duration literal such as `1m30s`. */
export function durationMs(text: string): number {
  // Most literals have one part (`10s`): skip the regex iterator for them.
  const single = SINGLE_PART.exec(text);
  if (single) return Number(single[1]) * UNIT_MS[single[2]!]!;
  let ms = 0;
  for (const m of text.matchAll(DURATION_PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}

/** An expression's operands and operators as parsed (before folding by precedence). */
interface BinaryChain {
  first: Expr | undefined;
  /** Most expressions have no operator: the lists are only allocated once one appears. */
  operands: Expr[] | undefined;
  ops: IToken[] | undefined;
}

/** One `.name` or `[index]` after a primary expression. */
interface PostfixStep {
  name?: IToken;
  index?: Expr;
  close?: IToken;
}

/** Parser base holding the expression rules. */
export abstract class ExpressionParser extends ParserSupport {
  readonly expression = this.RULE('expression', (): Expr => {
    // The first operand is parsed right here, with the very alternatives of `unary` (whose DSL indices this
    // rule leaves free): most expressions are one operand, and a rule invocation less for each is measurable.
    const first = this.OR(this.unaryAlternatives());
    // `op operand` pairs go to `this.binary`, through one tail function made once: a closure per expression
    // (and the context it captures) was a measurable share of a parse's garbage. Saved and restored around
    // the loop, since operands nest expressions; the finally keeps it right when recovery unwinds a nested one.
    const outer = this.binary;
    this.binary = { first, operands: undefined, ops: undefined };
    let mine: BinaryChain;
    try {
      this.MANY2(this.binaryTail);
    } finally {
      mine = this.binary;
      this.binary = outer;
    }
    // Actions are written inline behind RECORDING_PHASE (what ACTION does) to save a closure per call.
    if (this.RECORDING_PHASE) return undefined as never;
    const { operands, ops } = mine;
    if (!operands || !ops) return first ?? this.hole();
    for (let i = 0; i < operands.length; i++) operands[i] ??= this.hole();
    return this.foldBinary(operands, ops);
  });

  /** The expression being parsed: its first operand, then (once an operator appears) the rest and the operators. */
  private binary: BinaryChain = { first: undefined, operands: undefined, ops: undefined };

  /** One `op operand` of an expression, recorded on `this.binary`. */
  private readonly binaryTail = (): void => {
    const op = this.OR4(this.binaryAlternatives());
    (this.binary.ops ??= []).push(op);
    const operand = this.SUBRULE3(this.unary);
    const b = this.binary;
    (b.operands ??= [b.first as Expr]).push(operand);
  };

  /**
   * One operand: `! x`, `- x`, or a value (literal, name, call, `(...)`, `{...}`, `[...]`) followed by `.name` and
   * `[index]` steps. One rule rather than unary → postfix → primary → name: every operand passes through here, and
   * each rule invocation has a measurable cost in Chevrotain (bench/compile.ts).
   * Alternatives of the hottest rules are built once and reused (Chevrotain's documented OR caching).
   */
  readonly unary = this.RULE('unary', (): Expr => this.OR(this.unaryAlternatives()));

  /**
   * The alternatives of an operand, used by `unary` and by `expression` for its first operand. The DSL calls
   * they make (OR to OR3, MANY, OPTION, SUBRULE and SUBRULE2 of unary and expression, CONSUME and CONSUME2 of
   * their tokens) must stay unused by the rest of both rules.
   */
  private unaryAlternatives(): Array<IOrAlt<Expr>> {
    this.unaryAlts ??= [
      {
        ALT: () => {
          const bang = this.CONSUME(T.Bang);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION((): Expr => {
            const o = operand ?? this.hole();
            return { kind: 'unary', op: '!', operand: o, range: span(this.r(bang), o.range) };
          });
        },
      },
      {
        ALT: () => {
          const minus = this.CONSUME(T.Minus);
          const operand = this.SUBRULE2(this.unary);
          return this.ACTION(() => this.negate(minus, operand ?? this.hole()));
        },
      },
      { ALT: () => this.postfix(this.OR2(this.primaryAlternatives())) },
    ];
    return this.unaryAlts;
  }

  /**
   * `.name` and `[index]` steps after a value, applied in order to `this.postfixed` by one step function made
   * once (every operand passes through here); saved and restored as `binary` is in `expression`.
   */
  private postfix(value: Expr): Expr {
    const outer = this.postfixed;
    this.postfixed = value;
    try {
      this.MANY(this.postfixStep);
      return this.postfixed;
    } finally {
      this.postfixed = outer;
    }
  }

  /** The value postfix steps apply to (undefined where recovery could not build one). */
  private postfixed: Expr | undefined;

  private readonly postfixStep = (): void => {
    // The alternatives are cached (no closures per call): each returns what to apply to the value.
    const step = this.OR3(this.postfixAlternatives());
    if (this.RECORDING_PHASE) return;
    const object = this.postfixed ?? this.hole();
    if (step.name) this.postfixed = { kind: 'member', object, name: step.name.image, range: span(object.range, this.r(step.name)) };
    else if (step.close) this.postfixed = { kind: 'index', object, index: step.index ?? this.hole(), range: span(object.range, this.r(step.close)) };
  };

  /** A value: the alternatives of an operand after `!` and `-`. */
  private primaryAlternatives(): Array<IOrAlt<Expr>> {
    this.primaryAlts ??= [
      {
        ALT: (): Expr => {
          const s = this.CONSUME(T.StringLiteral);
          return this.RECORDING_PHASE ? (undefined as never) : this.stringExpr(s);
        },
      },
      {
        ALT: (): Expr => {
          const n = this.CONSUME(T.NumberLiteral);
          return this.RECORDING_PHASE ? (undefined as never) : { kind: 'number', value: Number(n.image), range: this.r(n) };
        },
      },
      {
        ALT: (): Expr => {
          const d = this.CONSUME(T.Duration);
          return this.RECORDING_PHASE ? (undefined as never) : { kind: 'duration', ms: durationMs(d.image), text: d.image, range: this.r(d) };
        },
      },
      { ALT: () => this.literal(this.CONSUME(T.True), true) },
      { ALT: () => this.literal(this.CONSUME(T.False), false) },
      { ALT: () => this.literal(this.CONSUME(T.Null), null) },
      { ALT: () => this.nameOrCall() },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.objectLiteral) },
      { ALT: () => this.SUBRULE(this.arrayLiteral) },
    ];
    return this.primaryAlts;
  }

  /** A variable, or a call `name(args)`. */
  private nameOrCall(): Expr {
    const name = this.CONSUME(T.Name);
    const call = this.OPTION(this.callTail);
    if (this.RECORDING_PHASE) return undefined as never;
    const range = this.r(name);
    if (!call?.args || !call.close) return { kind: 'var', name: name.image, range };
    return { kind: 'call', fn: name.image, fnRange: range, args: call.args, range: span(range, this.r(call.close)) };
  }

  /** `(args)` after a name; made once, as most names are not calls and a closure per name is garbage. */
  private readonly callTail = (): { args: Expr[] | undefined; close: IToken | undefined } => {
    this.CONSUME2(T.LParen);
    const args = this.SUBRULE(this.exprList);
    return { args, close: this.CONSUME2(T.RParen) };
  };

  /** Comma-separated expressions, a trailing comma allowed (call arguments, array items). */
  readonly exprList = this.RULE('exprList', (): Expr[] => {
    const items: Expr[] = [];
    this.OPTION(() => {
      items.push(this.SUBRULE(this.expression));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        items.push(this.SUBRULE2(this.expression));
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    return this.ACTION(() => items.map((e) => e ?? this.hole()));
  });

  readonly arrayLiteral = this.RULE('arrayLiteral', (): Expr => {
    const open = this.CONSUME(T.LBracket);
    const items = this.SUBRULE(this.exprList);
    const close = this.CONSUME(T.RBracket);
    return this.ACTION((): Expr => ({ kind: 'array', items, range: span(this.r(open), this.r(close)) }));
  });

  readonly objectLiteral = this.RULE('objectLiteral', (): Expr => {
    const open = this.CONSUME(T.LBrace);
    const entries: ObjectExpr['entries'] = [];
    this.OPTION(() => {
      const first = this.SUBRULE(this.objectEntry);
      this.ACTION(() => first && entries.push(first));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        const next = this.SUBRULE2(this.objectEntry);
        this.ACTION(() => next && entries.push(next));
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    const close = this.CONSUME(T.RBrace);
    return this.ACTION((): Expr => ({ kind: 'object', entries, range: span(this.r(open), this.r(close)) }));
  });

  /** `key: value` inside an object literal; the key is a word or a plain string. */
  readonly objectEntry = this.RULE('objectEntry', (): ObjectExpr['entries'][number] => {
    const key = this.OR((this.keyAlts ??= [{ ALT: () => this.CONSUME(T.Word) }, { ALT: () => this.CONSUME(T.StringLiteral) }]));
    this.CONSUME(T.Colon);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => {
      const name = key.tokenType === T.StringLiteral ? this.plainString(key, 'an object key') : key.image;
      return { key: name, keyRange: this.r(key), value: value ?? this.hole() };
    });
  });

  private binaryAlts: Array<IOrAlt<IToken>> | undefined;
  private unaryAlts: Array<IOrAlt<Expr>> | undefined;
  private primaryAlts: Array<IOrAlt<Expr>> | undefined;
  private postfixAlts: Array<IOrAlt<PostfixStep>> | undefined;
  private keyAlts: Array<IOrAlt<IToken>> | undefined;
  private postfixAlternatives(): Array<IOrAlt<PostfixStep>> {
    this.postfixAlts ??= [
      {
        ALT: (): PostfixStep => {
          this.CONSUME(T.Dot);
          return { name: this.CONSUME(T.Word) };
        },
      },
      {
        ALT: (): PostfixStep => {
          this.CONSUME(T.LBracket);
          const index = this.SUBRULE2(this.expression);
          return { index, close: this.CONSUME(T.RBracket) };
        },
      },
    ];
    return this.postfixAlts;
  }
  private binaryAlternatives(): Array<IOrAlt<IToken>> {
    // CONSUME2: the operand alternatives in the same rule (expression) consume Minus as a sign.
    this.binaryAlts ??= BINARY_TOKENS.map((t) => ({ ALT: () => this.CONSUME2(t) }));
    return this.binaryAlts;
  }

  private literal(tok: IToken, value: boolean | null): Expr {
    return this.ACTION((): Expr => (value === null ? { kind: 'null', range: this.r(tok) } : { kind: 'bool', value, range: this.r(tok) }));
  }
}
