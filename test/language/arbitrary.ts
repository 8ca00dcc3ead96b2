/**
 * fast-check generators of flow ASTs in the canonical shape the parsers build (ranges are dummies), for the
 * generated round-trip tests. Known gaps of the front ends are avoided and listed in the report: doc strings and
 * literal types never contain `${`, and a text part never ends in `\` right before an interpolation.
 */
import fc from 'fast-check';
import { STEPS } from '../../src/catalog/index.js';
import type {
  ArgAst,
  ConfigDeclAst,
  EntryAst,
  Expr,
  FieldAst,
  FlowAst,
  Ident,
  OutcomeAst,
  StateAst,
  StatementAst,
  TransitionAst,
  TypeAst,
} from '../../src/language/index.js';
import { durationMs } from '../../src/language/parser-expr.js';
import { markPositional, normalizeArgValue, stepDecl } from '../../src/language/step-args.js';

const R = { file: 'gen', start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const HARD = [
  'true',
  'false',
  'null',
  'set',
  'if',
  'else',
  'switch',
  'case',
  'default',
  'goto',
  'into',
  'on',
];

const name = fc.constantFrom(
  'a',
  'b',
  'pin',
  'room',
  'x_1',
  'ask-again',
  'call',
  'config',
  'request',
  'Value',
  'end',
  'n2',
);
const word = fc.oneof(name, fc.constantFrom(...HARD, 'channel', 'from'));
const ident = (n: fc.Arbitrary<string>): fc.Arbitrary<Ident> => n.map((s) => ({ name: s, range: R }));
const text = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    ' ',
    '"',
    '\\',
    '$',
    '{',
    '}',
    ':',
    '#',
    ',',
    '-',
    '\n',
    '\t',
    'é',
    "'",
    '*',
    '[',
    '1',
    '.',
  ),
  maxLength: 12,
});
const docText = text.filter((s) => !s.includes('${'));

const number = fc.oneof(
  fc.integer({ min: -1000, max: 100000 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(-0, 0.5, 1e21, 5e-324, Infinity, -Infinity),
);
const durationText = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.constantFrom('ms', 's', 'm', 'h'), fc.boolean()), {
      minLength: 1,
      maxLength: 2,
    }),
  )
  .map(([neg, ps]) => `${neg ? '-' : ''}${ps.map(([n, u, frac]) => `${n}${frac ? '.5' : ''}${u}`).join('')}`);

/** Merge text pieces as the parsers do: no empty or adjacent text parts, at least one part. */
function canonicalParts(parts: Array<string | Expr>): Array<string | Expr> {
  const out: Array<string | Expr> = [];
  for (const p of parts) {
    if (p === '') continue;
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  for (let i = 0; i + 1 < out.length; i++) {
    const p = out[i];
    if (typeof p === 'string' && typeof out[i + 1] !== 'string' && p.endsWith('\\')) out[i] = `${p}x`;
  }
  return out.length === 0 ? [''] : out;
}

const BINARY = ['??', '||', '&&', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'] as const;

/** Expressions up to a small depth. */
export const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => {
  const e = tie('e');
  const leaf = fc.oneof(
    text.map((s): Expr => ({ kind: 'string', parts: canonicalParts([s]), range: R })),
    number.map((value): Expr => ({ kind: 'number', value, range: R })),
    durationText.map((t): Expr => ({
      kind: 'duration',
      ms: (t.startsWith('-') ? -1 : 1) * durationMs(t),
      text: t,
      range: R,
    })),
    fc.boolean().map((value): Expr => ({ kind: 'bool', value, range: R })),
    fc.constant<Expr>({ kind: 'null', range: R }),
    name.map((n): Expr => ({ kind: 'var', name: n, range: R })),
  );
  return {
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(e, word).map(([object, n]): Expr => ({ kind: 'member', object, name: n, range: R })),
      fc.tuple(e, e).map(([object, index]): Expr => ({ kind: 'index', object, index, range: R })),
      fc
        .tuple(fc.constantFrom('!', '-'), e)
        .filter(([op, o]) => !(op === '-' && (o.kind === 'number' || o.kind === 'duration')))
        .map(([op, operand]): Expr => ({ kind: 'unary', op, operand, range: R })),
      fc
        .tuple(fc.constantFrom(...BINARY), e, e)
        .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, range: R })),
      fc
        .tuple(fc.constantFrom('len', 'format', 'lower', 'custom_fn'), fc.array(e, { maxLength: 3 }))
        .map(([fn, args]): Expr => ({ kind: 'call', fn, fnRange: R, args, range: R })),
      fc.array(fc.tuple(fc.oneof(word, docText), e), { maxLength: 3 }).map((es): Expr => ({
        kind: 'object',
        entries: es.map(([key, value]) => ({ key, keyRange: R, value })),
        range: R,
      })),
      fc.array(e, { maxLength: 3 }).map((items): Expr => ({ kind: 'array', items, range: R })),
      fc
        .array(fc.oneof(text, e), { minLength: 1, maxLength: 4 })
        .map((parts): Expr => ({ kind: 'string', parts: canonicalParts(parts), range: R })),
    ),
  };
}).e;

const transition: fc.Arbitrary<TransitionAst> = fc.letrec<{ t: TransitionAst }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small' },
    ident(name).map((target): TransitionAst => ({ target, range: R })),
    fc
      .tuple(ident(name), fc.integer({ min: 1, max: 9 }), fc.option(tie('t'), { nil: undefined }))
      .map(([target, value, e]): TransitionAst => {
        const t: TransitionAst = { target, max: { value, range: R }, range: R };
        if (e) t.else = e;
        return t;
      }),
  ),
})).t;

const STEP_NAMES = Object.keys(STEPS);

/** Whether a transition chain ends in `max N` with no `else` (so a following `else` would attach to it). */
function openMax(t: TransitionAst): boolean {
  if (!t.max) return false;
  return t.else ? openMax(t.else) : true;
}

const step: fc.Arbitrary<StatementAst> = fc
  .tuple(
    fc.oneof(fc.constantFrom(...STEP_NAMES), fc.constant('custom-step')),
    fc.array(fc.tuple(fc.nat(), expr), { maxLength: 4 }),
    fc.option(ident(name), { nil: undefined }),
    fc.array(fc.tuple(fc.oneof(name, fc.constantFrom('*', 'busy', 'no-answer', 'timeout')), transition), {
      maxLength: 3,
    }),
  )
  .map(([stepName, rawArgs, into, outs]): StatementAst => {
    const decl = stepDecl(stepName);
    const names = decl ? decl.args.map((a) => a.name) : ['', 'opt-a', 'b'];
    const args: ArgAst[] = (names.length === 0 ? [] : rawArgs).map(([i, value], k) => {
      const argName = decl ? names[i % names.length]! : k === 0 ? '' : names[1 + (i % 2)]!;
      const d = decl?.args.find((a) => a.name === argName);
      return { name: { name: argName, range: R }, value: normalizeArgValue(d, value), range: R };
    });
    const outcomes: OutcomeAst[] = outs.map(([o, t]) => ({
      outcome: { name: o, range: R },
      transition: t,
      range: R,
    }));
    const s: StatementAst = {
      kind: 'step',
      name: { name: stepName, range: R },
      args: markPositional(decl, args),
      outcomes,
      range: R,
    };
    if (into) s.into = into;
    return s;
  });

const statement: fc.Arbitrary<StatementAst> = fc.oneof(
  step,
  fc
    .tuple(ident(name), fc.array(ident(word), { maxLength: 2 }), expr)
    .map(([first, rest, value]): StatementAst => ({
      kind: 'set',
      target: [first, ...rest],
      value,
      range: R,
    })),
  // `if c -> a max 1 else -> b`: the DSL binds `else` to the bounded transition (a dangling else), so a bounded
  // `then` without its own `else` cannot be followed by the if's `else` in `.flow` syntax.
  fc
    .tuple(expr, transition, fc.option(transition, { nil: undefined }))
    .map(([cond, then, e]): StatementAst =>
      e && !openMax(then)
        ? { kind: 'if', cond, then, else: e, range: R }
        : { kind: 'if', cond, then, range: R },
    ),
  fc
    .tuple(
      expr,
      fc.array(fc.tuple(fc.array(expr, { minLength: 1, maxLength: 3 }), transition), { maxLength: 3 }),
      fc.option(transition, { nil: undefined }),
    )
    .filter(([, cases, d]) => cases.length > 0 || d !== undefined)
    .map(([subject, cases, d]): StatementAst => {
      const s: StatementAst = {
        kind: 'switch',
        subject,
        cases: cases.map(([values, t]) => ({ values, transition: t, range: R })),
        range: R,
      };
      if (d) s.default = d;
      return s;
    }),
  fc
    .tuple(transition, fc.boolean())
    .map(([t, arrow]): StatementAst =>
      arrow
        ? { kind: 'goto', transition: t, arrow: true, range: R }
        : { kind: 'goto', transition: t, range: R },
    ),
);

const type: fc.Arbitrary<TypeAst> = fc.oneof(
  fc
    .constantFrom('string', 'number', 'boolean', 'object', 'array', 'any')
    .map((n): TypeAst => ({ kind: 'base', name: n as 'string', range: R })),
  docText.map((value): TypeAst => ({ kind: 'literal', value, range: R })),
  fc
    .array(
      fc.oneof(
        fc
          .constantFrom('string', 'number')
          .map((n): TypeAst => ({ kind: 'base', name: n as 'string', range: R })),
        docText.map((value): TypeAst => ({ kind: 'literal', value, range: R })),
      ),
      { minLength: 2, maxLength: 3 },
    )
    .map((types): TypeAst => ({ kind: 'union', types, range: R })),
);

const field = (docs: boolean): fc.Arbitrary<FieldAst> =>
  fc
    .tuple(
      ident(name),
      type,
      fc.boolean(),
      fc.option(expr, { nil: undefined }),
      docs ? fc.option(docText, { nil: undefined }) : fc.constant(undefined),
    )
    .map(([n, t, optional, d, doc]) => {
      const f: FieldAst = { name: n, type: t, optional, range: R };
      if (d) f.default = d;
      if (doc !== undefined) f.doc = doc;
      return f;
    });

const entry: fc.Arbitrary<EntryAst> = fc.oneof(
  fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom('to', 'user', 'domain', 'from', 'trunk'), expr), { maxLength: 2 }),
      transition,
    )
    .map(([ms, t]): EntryAst => ({
      kind: 'call',
      matchers: ms
        .filter((m, i) => ms.findIndex((x) => x[0] === m[0]) === i)
        .map(([f, pattern]) => ({ field: f as 'to', pattern, range: R })),
      transition: t,
      range: R,
    })),
  fc
    .tuple(fc.array(field(false), { maxLength: 2 }), transition)
    .map(([params, t]): EntryAst => ({ kind: 'start', params, transition: t, range: R })),
  fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'delete'),
      path: fc.constantFrom('/', '/v1/x', '/v1/calls/:id', '/a-b.json'),
      request: fc.array(field(true), { maxLength: 2 }),
      doc: fc.option(docText, { nil: undefined }),
      auth: fc.option(fc.tuple(ident(name), fc.array(fc.tuple(ident(name), expr), { maxLength: 2 })), {
        nil: undefined,
      }),
      invalid: fc.option(transition, { nil: undefined }),
      t: transition,
    })
    .map((r): EntryAst => {
      const e: EntryAst = {
        kind: 'http',
        method: { name: r.method, range: R },
        path: { value: r.path, range: R },
        request: r.request,
        transition: r.t,
        range: R,
      };
      if (r.doc !== undefined) e.doc = r.doc;
      if (r.auth)
        e.auth = {
          scheme: r.auth[0],
          args: r.auth[1].map(([n, value]) => ({ name: n, value, range: R })),
          range: R,
        };
      if (r.invalid) e.invalid = r.invalid;
      return e;
    }),
);

const config: fc.Arbitrary<ConfigDeclAst> = fc
  .tuple(ident(name), fc.option(expr, { nil: undefined }), fc.option(docText, { nil: undefined }))
  .map(([n, d, doc]) => {
    const c: ConfigDeclAst = { name: n, range: R };
    if (d) c.default = d;
    if (doc !== undefined) c.doc = doc;
    return c;
  });

const state: fc.Arbitrary<StateAst> = fc
  .tuple(ident(name), fc.array(statement, { maxLength: 4 }))
  .map(([n, body]) => ({ name: n, body, range: R }));

/** A whole flow. */
export const flow: fc.Arbitrary<FlowAst> = fc
  .record({
    name: ident(name),
    description: fc.option(docText, { nil: undefined }),
    configs: fc.array(config, { maxLength: 2 }),
    entries: fc.array(entry, { maxLength: 3 }),
    states: fc.array(state, { maxLength: 3 }),
  })
  .map((r) => {
    const ast: FlowAst = {
      kind: 'flow',
      file: 'gen',
      format: 'flow',
      name: r.name,
      configs: r.configs,
      entries: r.entries,
      states: r.states,
      range: R,
    };
    if (r.description !== undefined) ast.description = r.description;
    return ast;
  });
