/**
 * The `.flow` grammar (Chevrotain, embedded actions building the AST directly): the file, config declarations,
 * states and their statements here; entries, shared declarations and expressions in the base classes
 * (parser-entries.ts, parser-decls.ts, parser-expr.ts). One instance is created once and reused; see
 * parse-flow.ts. Line structure comes from the lexer's Newline / Indent / Dedent tokens.
 */
import type { IOrAlt, IToken } from 'chevrotain';
import type {
  ConfigDeclAst,
  EntryAst,
  Expr,
  Ident,
  OutcomeAst,
  StateAst,
  StatementAst,
  StepAst,
  SwitchAst,
  TransitionAst,
} from './ast.js';
import type { SourceRange } from './diagnostics.js';
import { EntryParser } from './parser-entries.js';
import { endsAfter, span } from './ranges.js';
import { markPositional, stepDecl } from './step-args.js';
import * as T from './tokens.js';

/** The parse of a whole file, before it becomes a FlowAst (parse-flow.ts adds the file-level defaults). */
export interface FlowParts {
  header?: { name: Ident; description?: string; range: SourceRange };
  configs: ConfigDeclAst[];
  entries: EntryAst[];
  states: StateAst[];
}

/** One line under a switch: a case with its values, or the default. */
type SwitchLine = { kind: 'case'; tok: IToken; values: Array<Expr | undefined>; t: TransitionAst } | { kind: 'default'; tok: IToken; t: TransitionAst };

/** The `.flow` parser. */
export class FlowParser extends EntryParser {
  // ------------------------------------------------------------------------------------------- file

  private statementAlts: Array<IOrAlt<StatementAst>> | undefined;
  private positionalOption: (() => { value: Expr | undefined }) | undefined;
  private switchAlts: Array<IOrAlt<SwitchLine>> | undefined;
  private fileAlts: Array<IOrAlt<void>> | undefined;

  /** What the file rule has built so far, returned even when recovery has to give up. */
  private fileParts: FlowParts = { configs: [], entries: [], states: [] };

  readonly flowFile = this.RULE(
    'flowFile',
    (): FlowParts => {
    const parts: FlowParts = { configs: [], entries: [], states: [] };
    this.ACTION(() => (this.fileParts = parts));
    this.OPTION(() => {
      const h = this.SUBRULE(this.flowHeader);
      this.ACTION(() => (parts.header = h));
    });
    this.MANY(() => {
      // Built once; each alternative adds to `this.fileParts`, which is `parts` (no closures per declaration).
      this.OR((this.fileAlts ??= [
        { ALT: () => { const c = this.SUBRULE(this.configDecl); this.ACTION(() => c && this.fileParts.configs.push(c)); } },
        { ALT: () => { const e = this.SUBRULE(this.entryDecl); this.ACTION(() => e && this.fileParts.entries.push(e)); } },
        { ALT: () => { const s = this.SUBRULE(this.stateDecl); this.ACTION(() => s && this.fileParts.states.push(s)); } },
      ]));
    });
    return parts;
    },
    { recoveryValueFunc: () => this.fileParts },
  );

  readonly flowHeader = this.RULE('flowHeader', () => {
    const kw = this.CONSUME(T.Flow);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Newline);
    const doc = this.OPTION(() => this.SUBRULE(this.docBlock));
    return this.ACTION(() => ({ name: this.ident(name), description: doc, range: span(this.r(kw), this.r(name)) }));
  });

  readonly configDecl = this.RULE('configDecl', (): ConfigDeclAst => {
    const kw = this.CONSUME(T.Config);
    const name = this.CONSUME(T.Name);
    const value = this.OPTION(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE(this.expression);
    });
    this.CONSUME(T.Newline);
    const doc = this.OPTION2(() => this.SUBRULE(this.docBlock));
    return this.ACTION(() => {
      const decl: ConfigDeclAst = { name: this.ident(name), range: span(this.r(kw), value?.range ?? this.r(name)) };
      if (value) decl.default = value;
      if (doc !== undefined) decl.doc = doc;
      return decl;
    });
  });

  // ------------------------------------------------------------------------------------------- states

  readonly stateDecl = this.RULE('stateDecl', (): StateAst => {
    const kw = this.CONSUME(T.State);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Newline);
    const body: StatementAst[] = [];
    this.OPTION(() => {
      this.CONSUME(T.Indent);
      this.MANY(() => {
        const s = this.SUBRULE(this.statement);
        if (!this.RECORDING_PHASE && s) body.push(s);
      });
      this.CONSUME(T.Dedent);
    });
    return this.ACTION(() => {
      const last = body[body.length - 1];
      return { name: this.ident(name), body, range: span(this.r(kw), last?.range ?? this.r(name)) };
    });
  });

  readonly statement = this.RULE('statement', (): StatementAst =>
    this.OR((this.statementAlts ??= [
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.ifStatement) },
      { ALT: () => this.SUBRULE(this.switchStatement) },
      { ALT: () => this.SUBRULE(this.gotoStatement) },
      { ALT: () => this.SUBRULE(this.arrowStatement) },
      { ALT: () => this.SUBRULE(this.stepStatement) },
    ])),
  );

  readonly setStatement = this.RULE('setStatement', (): StatementAst => {
    const kw = this.CONSUME(T.SetKw);
    const first = this.CONSUME(T.Name);
    const rest: IToken[] = [];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      rest.push(this.CONSUME(T.Word));
    });
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    this.CONSUME(T.Newline);
    // Inline behind RECORDING_PHASE (what ACTION does) here and in the other statements: no closure per statement.
    if (this.RECORDING_PHASE) return undefined as never;
    const target = [this.ident(first)];
    for (const t of rest) target.push(this.ident(t));
    const v = value ?? this.hole();
    return { kind: 'set', target, value: v, range: span(this.r(kw), v.range) };
  });

  readonly ifStatement = this.RULE('ifStatement', (): StatementAst => {
    const kw = this.CONSUME(T.If);
    const cond = this.SUBRULE(this.expression);
    const then = this.tr(this.SUBRULE(this.transition));
    const otherwise = this.OPTION(() => {
      this.CONSUME(T.Else);
      return this.tr(this.SUBRULE2(this.transition));
    });
    this.CONSUME(T.Newline);
    if (this.RECORDING_PHASE) return undefined as never;
    const end = otherwise ?? then;
    const stmt: StatementAst = { kind: 'if', cond: cond ?? this.hole(), then, range: span(this.r(kw), end.range) };
    if (otherwise) stmt.else = otherwise;
    return stmt;
  });

  readonly switchStatement = this.RULE('switchStatement', (): SwitchAst => {
    const kw = this.CONSUME(T.Switch);
    const subject = this.SUBRULE(this.expression);
    this.CONSUME(T.Newline);
    const stmt = this.ACTION((): SwitchAst => ({ kind: 'switch', subject: subject ?? this.hole(), cases: [], range: this.r(kw) }));
    this.CONSUME(T.Indent);
    this.AT_LEAST_ONE(() => {
      const line = this.OR(this.switchAlternatives());
      this.ACTION(() => {
        if (line.kind === 'case') {
          stmt.cases.push({ values: line.values.map((v) => v ?? this.hole()), transition: line.t, range: span(this.r(line.tok), line.t.range) });
        } else {
          if (stmt.default) this.report('CF2013', "this switch already has a 'default' line", this.r(line.tok));
          stmt.default = line.t;
        }
        stmt.range = span(stmt.range, line.t.range);
      });
    });
    this.CONSUME(T.Dedent);
    return stmt;
  });

  /** The lines of a switch, built once: each returns what the rule adds to the switch. */
  private switchAlternatives(): Array<IOrAlt<SwitchLine>> {
    this.switchAlts ??= [
      {
        ALT: (): SwitchLine => {
          const tok = this.CONSUME(T.Case);
          const values: Expr[] = [];
          values.push(this.SUBRULE2(this.expression));
          this.MANY(() => {
            this.CONSUME(T.Comma);
            values.push(this.SUBRULE3(this.expression));
          });
          const t = this.tr(this.SUBRULE(this.transition));
          this.CONSUME2(T.Newline);
          return { kind: 'case', tok, values, t };
        },
      },
      {
        ALT: (): SwitchLine => {
          const tok = this.CONSUME(T.Default);
          const t = this.tr(this.SUBRULE2(this.transition));
          this.CONSUME3(T.Newline);
          return { kind: 'default', tok, t };
        },
      },
    ];
    return this.switchAlts;
  }

  readonly gotoStatement = this.RULE('gotoStatement', (): StatementAst => {
    const kw = this.CONSUME(T.Goto);
    const transition = this.tr(this.transitionTail());
    this.CONSUME(T.Newline);
    if (this.RECORDING_PHASE) return undefined as never;
    return { kind: 'goto', transition, range: span(this.r(kw), transition.range) };
  });

  readonly arrowStatement = this.RULE('arrowStatement', (): StatementAst => {
    const transition = this.tr(this.SUBRULE(this.transition));
    this.CONSUME(T.Newline);
    if (this.RECORDING_PHASE) return undefined as never;
    return { kind: 'goto', transition, arrow: true, range: transition.range };
  });

  readonly stepStatement = this.RULE('stepStatement', (): StepAst => {
    const name = this.CONSUME(T.Name);
    // Actions are written inline behind RECORDING_PHASE (what ACTION does) to save a closure per step.
    let step = undefined as unknown as StepAst;
    if (!this.RECORDING_PHASE) {
      this.step = stepDecl(name.image);
      step = { kind: 'step', name: this.ident(name), args: [], outcomes: [], range: this.r(name) };
    }
    // Built once (no closures per step); it returns a box so a value that recovery lost still counts as given.
    // The gate is tested here rather than as the option's GATE, for which Chevrotain makes a closure per call.
    const given = this.RECORDING_PHASE || this.positionalGate()
      ? this.OPTION((this.positionalOption ??= () => ({ value: this.SUBRULE(this.expression) })))
      : undefined;
    if (!this.RECORDING_PHASE && given) this.addPositional(step, name, given.value);
    const named = (this.SUBRULE(this.namedArgs) ?? []);
    // `into` and the outcome block through functions made once, on `this.stepAst` (saved and restored as
    // recovery may unwind through here): closures per step were a measurable share of a parse's garbage.
    const outer = this.stepAst;
    this.stepAst = step;
    try {
      this.OPTION2(this.intoPart);
      this.CONSUME(T.Newline);
      this.OPTION3(this.outcomeBlock);
    } finally {
      this.stepAst = outer;
    }
    if (this.RECORDING_PHASE) return step;
    for (const a of named) step.args.push(a);
    step.args = markPositional(this.step, step.args);
    // The step ends where its furthest-reaching part ends (the first of equals wins).
    let end = step.range;
    for (const a of step.args) if (endsAfter(a.range, end)) end = a.range;
    if (step.into && endsAfter(step.into.range, end)) end = step.into.range;
    step.range = span(step.range, end);
    this.step = undefined;
    return step;
  });


  /** The step whose `into` and outcomes are being parsed. */
  private stepAst: StepAst | undefined;

  private readonly intoPart = (): void => {
    this.CONSUME(T.Into);
    const v = this.CONSUME2(T.Name);
    if (!this.RECORDING_PHASE) (this.stepAst as StepAst).into = this.ident(v);
  };

  private readonly outcomeBlock = (): void => {
    this.CONSUME(T.Indent);
    this.AT_LEAST_ONE(this.outcomeItem);
    this.CONSUME(T.Dedent);
  };

  private readonly outcomeItem = (): void => {
    const o = this.SUBRULE(this.outcomeLine);
    if (!this.RECORDING_PHASE && o) (this.stepAst as StepAst).outcomes.push(o);
  };

  readonly outcomeLine = this.RULE('outcomeLine', (): OutcomeAst => {
    const on = this.CONSUME(T.On);
    const name = this.CONSUME(T.Name);
    const transition = this.tr(this.SUBRULE(this.transition));
    this.CONSUME(T.Newline);
    if (this.RECORDING_PHASE) return undefined as never;
    const outcome = this.ident(name);
    if (outcome.name === 'other') outcome.name = '*';
    return { outcome, transition, range: span(this.r(on), transition.range) };
  });

  /** `recovery` off: stop at the first syntax error (faster on the error-free input that is the usual case). */
  constructor(recovery = true) {
    super(recovery);
    this.performSelfAnalysis();
  }
}
