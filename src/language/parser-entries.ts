/**
 * The entry points of a flow: `on call` (matched on called number, SIP user or domain), `on http METHOD /path`
 * (a REST trigger with its request shape and auth) and `on start` (with parameters). Split from parser.ts so
 * each file holds one part of the grammar.
 */
import type { IToken } from 'chevrotain';
import { CallMatchField } from './ast.js';
import type { CallEntryAst, EntryAst, FieldAst, HttpEntryAst, StartEntryAst } from './ast.js';
import { DeclParser } from './parser-decls.js';
import { span } from './ranges.js';
import * as T from './tokens.js';

const MATCHERS: readonly string[] = Object.values(CallMatchField);

/** Parser base holding the entry rules. */
export abstract class EntryParser extends DeclParser {
  readonly entryDecl = this.RULE('entryDecl', (): EntryAst => {
    const on = this.CONSUME(T.On);
    return this.OR<EntryAst>([
      { ALT: () => this.SUBRULE(this.callEntry, { ARGS: [on] }) },
      { ALT: () => this.SUBRULE(this.httpEntry, { ARGS: [on] }) },
      { ALT: () => this.SUBRULE(this.startEntry, { ARGS: [on] }) },
    ]);
  });

  readonly callEntry = this.RULE('callEntry', (on: IToken): CallEntryAst => {
    this.CONSUME(T.Call);
    const matchers: CallEntryAst['matchers'] = [];
    this.MANY(() => {
      const field = this.CONSUME(T.Name);
      const pattern = this.SUBRULE(this.expression);
      this.ACTION(() => {
        const range = span(this.r(field), pattern?.range ?? this.r(field));
        if (!MATCHERS.includes(field.image)) {
          this.report('CF2012', `unknown call matcher '${field.image}'`, this.r(field), `use ${MATCHERS.join(', ')}`);
        } else matchers.push({ field: field.image as CallMatchField, pattern: pattern ?? this.hole(range), range });
      });
    });
    const transition = this.tr(this.SUBRULE(this.transition));
    this.CONSUME(T.Newline);
    return this.ACTION(() => ({ kind: 'call', matchers, transition, range: span(this.r(on), transition.range) }));
  });

  readonly httpEntry = this.RULE('httpEntry', (on: IToken): HttpEntryAst => {
    this.CONSUME(T.Http);
    const method = this.CONSUME(T.Name);
    const path = this.CONSUME(T.HttpPath);
    const entry = this.ACTION(
      (): HttpEntryAst => ({
        kind: 'http',
        method: this.ident(method),
        path: { value: path.image, range: this.r(path) },
        request: [],
        transition: { target: { name: '', range: this.r(path) }, range: this.r(path) },
        range: span(this.r(on), this.r(path)),
      }),
    );
    let seenTransition = false;
    let seenRequest = false;
    this.OPTION(() => {
      const t = this.tr(this.SUBRULE(this.transition));
      this.ACTION(() => { entry.transition = t; seenTransition = true; });
    });
    this.CONSUME(T.Newline);
    this.OPTION2(() => {
      this.CONSUME(T.Indent);
      this.MANY(() => {
        this.OR([
          {
            ALT: () => {
              const s = this.CONSUME(T.StringLiteral);
              this.CONSUME2(T.Newline);
              this.ACTION(() => {
                const text = this.plainString(s, 'a doc string');
                entry.doc = entry.doc === undefined ? text : `${entry.doc}\n${text}`;
              });
            },
          },
          {
            ALT: () => {
              const kw = this.CONSUME(T.Auth);
              const scheme = this.CONSUME2(T.Name);
              this.ACTION(() => (this.step = undefined));
              const args = (this.SUBRULE(this.namedArgs) ?? []);
              this.CONSUME3(T.Newline);
              this.ACTION(() => {
                if (entry.auth) this.report('CF2014', 'this http entry already has an auth line', this.r(kw));
                const last = args[args.length - 1];
                entry.auth = { scheme: this.ident(scheme), args, range: span(this.r(kw), last?.range ?? this.r(scheme)) };
              });
            },
          },
          {
            ALT: () => {
              const kw = this.CONSUME(T.Request);
              this.CONSUME4(T.Newline);
              this.CONSUME2(T.Indent);
              this.MANY2(() => {
                const f = this.SUBRULE(this.field);
                this.CONSUME5(T.Newline);
                const doc = this.OPTION3(() => this.SUBRULE(this.docBlock));
                this.ACTION(() => {
                  if (doc !== undefined && f) f.doc = doc;
                  if (f) entry.request.push(f);
                });
              });
              this.CONSUME(T.Dedent);
              this.ACTION(() => {
                if (seenRequest) this.report('CF2014', 'this http entry already has a request block', this.r(kw));
                seenRequest = true;
              });
            },
          },
          {
            ALT: () => {
              const kw = this.CONSUME(T.Invalid);
              const t = this.tr(this.SUBRULE2(this.transition));
              this.CONSUME6(T.Newline);
              this.ACTION(() => {
                if (entry.invalid) this.report('CF2014', "this http entry already has an 'invalid' line", this.r(kw));
                entry.invalid = t;
              });
            },
          },
          {
            ALT: () => {
              const t = this.tr(this.SUBRULE3(this.transition));
              this.CONSUME7(T.Newline);
              this.ACTION(() => {
                if (seenTransition) this.report('CF2014', "this http entry already has a '-> state' line", t.range);
                entry.transition = t;
                seenTransition = true;
              });
            },
          },
        ]);
      });
      this.CONSUME2(T.Dedent);
    });
    return this.ACTION(() => {
      if (!seenTransition) {
        this.report('CF2015', "this http entry has no '-> state' line", entry.range, 'add a line `-> state` under the entry');
      }
      entry.range = span(entry.range, entry.transition.range);
      return entry;
    });
  });

  readonly startEntry = this.RULE('startEntry', (on: IToken): StartEntryAst => {
    this.CONSUME(T.Start);
    const params: FieldAst[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        const f = this.SUBRULE(this.field);
        this.ACTION(() => f && params.push(f));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          const g = this.SUBRULE2(this.field);
          this.ACTION(() => g && params.push(g));
        });
        this.OPTION3(() => this.CONSUME2(T.Comma));
      });
      this.CONSUME(T.RParen);
    });
    const transition = this.tr(this.SUBRULE(this.transition));
    this.CONSUME(T.Newline);
    return this.ACTION(() => ({ kind: 'start', params, transition, range: span(this.r(on), transition.range) }));
  });
}
