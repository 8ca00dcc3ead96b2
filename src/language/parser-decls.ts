/**
 * Grammar pieces shared by declarations and statements: doc blocks, typed fields (request shapes, start
 * parameters), step arguments and transitions. Split from parser.ts to keep each file to one part of the grammar.
 */
import type { IToken } from 'chevrotain';
import type { ArgAst, Expr, FieldAst, TransitionAst, TypeAst } from './ast.js';
import { ExpressionParser } from './parser-expr.js';
import { span } from './ranges.js';
import { argDecl, normalizeArgValue } from './step-args.js';
import * as T from './tokens.js';

const BASE_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'any'] as const;

/** Parser base holding the declaration-level helper rules. */
export abstract class DeclParser extends ExpressionParser {
  /** The argument name whose value the cached option below may parse. */
  private argName = '';
  private valueOption: (() => Expr) | undefined;

  /** Indented string lines under a declaration: its documentation. */
  readonly docBlock = this.RULE('docBlock', (): string => {
    const lines: string[] = [];
    this.CONSUME(T.Indent);
    this.AT_LEAST_ONE(() => {
      const s = this.CONSUME(T.StringLiteral);
      this.CONSUME(T.Newline);
      this.ACTION(() => lines.push(this.plainString(s, 'a doc string')));
    });
    this.CONSUME(T.Dedent);
    return lines.join('\n');
  });

  /** `name?: type = default` in a request block or a start parameter list. */
  readonly field = this.RULE('field', (): FieldAst => {
    const name = this.CONSUME(T.Name);
    const q = this.OPTION(() => this.CONSUME(T.Question));
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.type) ?? { kind: 'base', name: 'any', range: this.hole().range };
    const value = this.OPTION2(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE(this.expression);
    });
    return this.ACTION(() => {
      const f: FieldAst = { name: this.ident(name), type, optional: q !== undefined, range: span(this.r(name), value?.range ?? type.range) };
      if (value) f.default = value;
      return f;
    });
  });

  /** `string`, `"inbound"`, or a union `string | number`. */
  readonly type = this.RULE('type', (): TypeAst => {
    const types: TypeAst[] = [];
    const first = this.SUBRULE(this.typeAtom);
    this.ACTION(() => first && types.push(first));
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      const next = this.SUBRULE2(this.typeAtom);
      this.ACTION(() => next && types.push(next));
    });
    return this.ACTION(() => {
      if (types.length === 1) return types[0]!;
      if (types.length === 0) return { kind: 'base', name: 'any', range: this.hole().range };
      return { kind: 'union', types, range: span(types[0]!.range, types[types.length - 1]!.range) };
    });
  });

  /** One member of a type: a base type name or a string literal. */
  readonly typeAtom = this.RULE('typeAtom', (): TypeAst =>
    this.OR([
      {
        ALT: () => {
          const n = this.CONSUME(T.Name);
          return this.ACTION((): TypeAst => {
            if (!(BASE_TYPES as readonly string[]).includes(n.image)) {
              this.report('CF2011', `unknown type '${n.image}'`, this.r(n), `use ${BASE_TYPES.join(', ')} or a "literal"`);
            }
            return { kind: 'base', name: n.image as (typeof BASE_TYPES)[number], range: this.r(n) };
          });
        },
      },
      {
        ALT: () => {
          const s = this.CONSUME(T.StringLiteral);
          return this.ACTION((): TypeAst => ({ kind: 'literal', value: this.plainString(s, 'a literal type'), range: this.r(s) }));
        },
      },
    ]),
  );

  /** `name value` pairs and flags, shaped by the current step's catalog entry (see ParserSupport gates). */
  readonly namedArgs = this.RULE('namedArgs', (): ArgAst[] => {
    // One argument function made once, adding to `this.args` (saved and restored: recovery may unwind through
    // here): a closure and its context per step were a measurable share of a parse's garbage.
    const outer = this.args;
    const args: ArgAst[] = (this.args = []);
    try {
      this.MANY(this.namedArg);
    } finally {
      this.args = outer;
    }
    return args;
  });

  /** The arguments `namedArg` adds to. */
  private args: ArgAst[] = [];

  /** One `name [value]` argument. */
  private readonly namedArg = (): void => {
    const name = this.CONSUME(T.Name);
    this.argName = name.image;
    // Built once: a closure per argument is measurable on large files (see bench/compile.ts). The gate is
    // tested here rather than as the option's GATE, for which Chevrotain makes a closure per call.
    const value = this.RECORDING_PHASE || this.valueGate(this.argName)
      ? this.OPTION((this.valueOption ??= () => this.SUBRULE(this.expression)))
      : undefined;
    if (!this.RECORDING_PHASE) {
      const id = this.ident(name);
      const decl = argDecl(this.step, name.image);
      if (!value && decl && decl.flag !== true) {
        this.report('CF2018', `'${name.image}' needs a value`, id.range, `write \`${name.image} <value>\``);
      }
      const v: Expr = value ?? (decl && decl.flag !== true ? { kind: 'null', range: id.range } : { kind: 'bool', value: true, range: id.range });
      this.args.push({ name: id, value: normalizeArgValue(decl, v), range: span(id.range, v.range) });
    }
  };

  // ------------------------------------------------------------------------------------------- transitions

  readonly transition = this.RULE('transition', (): TransitionAst => {
    const arrow = this.CONSUME(T.Arrow);
    const t = this.transitionTail();
    if (this.RECORDING_PHASE) return undefined as never;
    t.range = span(this.r(arrow), t.range);
    return t;
  });

  /** `else -> other` after a transition's `max N`: where to go once the bound is used up. */
  private orElse(t: TransitionAst, e: TransitionAst): void {
    t.else = e;
    t.range = span(t.range, e.range);
  }

  /** `max N` on a transition: N must be a whole number of times, at least 1. */
  private bound(t: TransitionAst, n: IToken): void {
    const value = Number(n.image);
    if (!Number.isInteger(value) || value < 1) this.report('CF2017', "'max' needs a whole number of times, at least 1", this.r(n));
    t.max = { value, range: this.r(n) };
    t.range = span(t.range, this.r(n));
  }

  /**
   * `target [max N [else -> other]]`, parsed inside the `transition` and `goto` rules: not a rule of its own,
   * because each rule invocation has a measurable cost in Chevrotain and every transition has a tail.
   */
  protected transitionTail(): TransitionAst {
    const target = this.CONSUME(T.Name);
    let t: TransitionAst = undefined as never;
    if (!this.RECORDING_PHASE) {
      const id = this.ident(target);
      t = { target: id, range: id.range };
    }
    // The `max` part through one function made once (most transitions have none), on `this.bounded`, saved and
    // restored because its `else` holds a transition of its own.
    const outer = this.bounded;
    this.bounded = t;
    try {
      this.OPTION(this.maxPart);
    } finally {
      this.bounded = outer;
    }
    return t;
  }

  /** The transition a `max N [else -> ...]` part applies to. */
  private bounded: TransitionAst | undefined;

  /** `max N [else -> other]` after a transition's target. */
  private readonly maxPart = (): void => {
    const t = this.bounded as TransitionAst;
    this.CONSUME(T.Max);
    const n = this.CONSUME(T.NumberLiteral);
    this.ACTION(() => this.bound(t, n));
    this.OPTION2(() => {
      this.CONSUME(T.Else);
      const e = this.tr(this.SUBRULE(this.transition));
      this.ACTION(() => this.orElse(t, e));
    });
  };

  /** A transition as YAML writes it: `target`, `-> target`, `ask max 3 else goodbye`. */
  readonly looseTransition = this.RULE('looseTransition', (): TransitionAst => {
    const arrow = this.OPTION(() => this.CONSUME(T.Arrow));
    const target = this.CONSUME(T.Name);
    const t = this.ACTION((): TransitionAst => ({ target: this.ident(target), range: span(arrow ? this.r(arrow) : this.r(target), this.r(target)) }));
    this.OPTION2(() => {
      this.CONSUME(T.Max);
      const n = this.CONSUME(T.NumberLiteral);
      this.ACTION(() => this.bound(t, n));
      this.OPTION3(() => {
        this.CONSUME(T.Else);
        const e = this.tr(this.SUBRULE(this.looseTransition));
        this.ACTION(() => this.orElse(t, e));
      });
    });
    return t;
  });
}
