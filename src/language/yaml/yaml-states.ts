/**
 * `states:` — each state a list of statements. A statement item is a step (`- answer`,
 * `- prompt: {say: Hello}`, with optional `into` and `on`), `set`, `if`, `switch`, `goto`, or `- -> state`.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { CONTROL_KEYWORDS } from '../../catalog/index.js';
import type {
  ArgAst,
  Ident,
  OutcomeAst,
  SetAst,
  StateAst,
  StatementAst,
  StepAst,
  SwitchAst,
  TransitionAst,
} from '../ast.js';
import type { SourceRange } from '../diagnostics.js';
import { parseTransitionAt } from '../parse-flow.js';
import { argDecl, markPositional, normalizeArgValue, positionalArg, stepDecl } from '../step-args.js';
import { YamlCode } from './codes.js';
import { isFlowWord, type YamlContext, type YNode, type YPair } from './yaml-context.js';
import { exprValue, transitionValue, valueExpr } from './yaml-values.js';

const STEP_KEYS = ['into', 'on'] as const;
const MODIFIERS: ReadonlySet<string> = new Set(['into', 'on', 'then', 'else', 'cases', 'default']);

function isStatementKey(key: string): boolean {
  return (CONTROL_KEYWORDS as readonly string[]).includes(key) || stepDecl(key) !== undefined;
}

/** `- answer` or `- -> state`. */
function scalarStatement(ctx: YamlContext, n: YNode): StatementAst | undefined {
  const range = ctx.range(n);
  const text = ctx.str(n, 'a statement');
  if (text === undefined) return undefined;
  if (text.trimStart().startsWith('->')) {
    const plain = isScalar(n) && n.type === 'PLAIN';
    const offset = plain ? (n.range?.[0] ?? 0) : (n.range?.[0] ?? 0) + 1;
    const r = parseTransitionAt(plain ? ctx.source(n) : text, ctx.file, ctx.base(offset));
    ctx.diags.push(...r.diagnostics);
    return r.ast ? { kind: 'goto', transition: r.ast, arrow: true, range } : undefined;
  }
  if (/\s/.test(text.trim())) {
    ctx.report(
      YamlCode.badStatement,
      `'${text.trim()}' is not a step name`,
      range,
      'write arguments as a map, e.g. `- prompt: {say: Hello}`',
    );
    return undefined;
  }
  const name = { name: text.trim(), range };
  ctx.checkName(name, 'a step');
  return { kind: 'step', name, args: [], outcomes: [], range };
}

function stepArgs(ctx: YamlContext, step: StepAst, value: YNode | undefined): void {
  const decl = stepDecl(step.name.name);
  if (ctx.isEmpty(value)) return;
  if (value !== undefined && isMap(value)) {
    for (const p of ctx.map(value, `the arguments of '${step.name.name}'`)) {
      const name = ctx.keyIdent(p);
      if (name.name !== '') ctx.checkName(name, 'an argument');
      const v = normalizeArgValue(argDecl(decl, name.name), valueExpr(ctx, p.value, name.range));
      step.args.push({ name, value: v, range: ctx.pairRange(p) });
    }
    return;
  }
  const pos = positionalArg(decl);
  const range = ctx.range(value, step.name.range);
  if (decl && !pos) {
    ctx.report(
      'CF2016',
      `'${step.name.name}' has no unnamed argument`,
      range,
      'write arguments as a map, e.g. `- prompt: {say: Hello}`',
    );
    return;
  }
  const v = normalizeArgValue(pos, valueExpr(ctx, value, range));
  const arg: ArgAst = {
    name: { name: pos?.name ?? '', range: v.range },
    value: v,
    positional: true,
    range: v.range,
  };
  step.args.push(arg);
}

function outcomes(ctx: YamlContext, p: YPair | undefined): OutcomeAst[] {
  const out: OutcomeAst[] = [];
  for (const o of ctx.map(p?.value, "'on'")) {
    const outcome: Ident = ctx.keyIdent(o);
    if (outcome.name === 'other') outcome.name = '*';
    else if (outcome.name !== '*') ctx.checkName(outcome, 'an outcome');
    const transition = transitionValue(ctx, o.value, `outcome '${o.key}'`, outcome.range);
    if (transition) out.push({ outcome, transition, range: ctx.pairRange(o) });
  }
  return out;
}

function stepStatement(ctx: YamlContext, head: YPair, pairs: YPair[], range: SourceRange): StepAst {
  const name = ctx.keyIdent(head);
  ctx.checkName(name, 'a step');
  const step: StepAst = { kind: 'step', name, args: [], outcomes: [], range };
  stepArgs(ctx, step, head.value);
  const keys = ctx.keys(
    pairs.filter((p) => p !== head),
    STEP_KEYS,
    `step '${name.name}'`,
    { outcomes: 'on', as: 'into' },
  );
  const into = keys.get('into');
  const v = into ? ctx.name(into.value, "the 'into' variable", ctx.keyRange(into)) : undefined;
  if (v) step.into = v;
  step.outcomes = outcomes(ctx, keys.get('on'));
  step.args = markPositional(stepDecl(name.name), step.args);
  return step;
}

function setStatements(ctx: YamlContext, head: YPair, rest: YPair[]): SetAst[] {
  ctx.keys(rest, [], "a 'set'");
  const out: SetAst[] = [];
  const pairs = ctx.map(head.value, "'set'");
  if (pairs.length === 0)
    ctx.report(
      YamlCode.missingKey,
      "'set' needs `name: expression` lines",
      ctx.range(head.value, ctx.keyRange(head)),
    );
  for (const p of pairs) {
    const keyRange = ctx.keyRange(p);
    const parts = p.key.split('.');
    const start = p.keyNode?.range?.[0];
    let offset = 0;
    const target: Ident[] = parts.map((part) => {
      const r =
        start !== undefined && p.keyNode?.type === 'PLAIN'
          ? ctx.span(start + offset, start + offset + part.length)
          : keyRange;
      offset += part.length + 1;
      return { name: part, range: r };
    });
    const [first, ...others] = target;
    if (first) ctx.checkName(first, 'a variable');
    for (const o of others) {
      if (!isFlowWord(o.name)) ctx.report(YamlCode.badName, `'${o.name}' is not a valid field name`, o.range);
    }
    const value = exprValue(ctx, p.value, keyRange);
    out.push({ kind: 'set', target, value, range: ctx.pairRange(p) });
  }
  return out;
}

function switchStatement(ctx: YamlContext, head: YPair, rest: YPair[], range: SourceRange): SwitchAst {
  const keys = ctx.keys(rest, ['cases', 'default'], "a 'switch'", { case: 'cases' });
  const stmt: SwitchAst = {
    kind: 'switch',
    subject: exprValue(ctx, head.value, ctx.keyRange(head), 'switch value'),
    cases: [],
    range,
  };
  for (const c of ctx.seq(keys.get('cases')?.value, "'cases'")) {
    const ck = ctx.keys(ctx.map(c, 'a case'), ['case', 'goto'], 'a case', {
      when: 'case',
      to: 'goto',
      then: 'goto',
    });
    const cr = ctx.range(c);
    const values = ck.get('case');
    const items: YNode[] =
      values?.value && isSeq(values.value)
        ? ctx.seq(values.value, "'case'")
        : values?.value
          ? [values.value]
          : [];
    if (!values || items.length === 0)
      ctx.report(YamlCode.missingKey, "a case needs 'case: value' (or a list of values)", cr);
    const g = ck.get('goto');
    const t = g ? transitionValue(ctx, g.value, 'the case', ctx.keyRange(g)) : undefined;
    if (!g) ctx.report(YamlCode.missingKey, "a case needs 'goto: state'", cr);
    stmt.cases.push({
      values: items.map((i) => exprValue(ctx, i, cr)),
      transition: t ?? { target: { name: '', range: cr }, range: cr },
      range: cr,
    });
  }
  const d = keys.get('default');
  const def = d ? transitionValue(ctx, d.value, "'default'", ctx.keyRange(d)) : undefined;
  if (def) stmt.default = def;
  if (!keys.get('cases') && !def)
    ctx.report(YamlCode.missingKey, "a 'switch' needs 'cases' or 'default'", range);
  return stmt;
}

function mapStatement(ctx: YamlContext, n: YNode): StatementAst[] {
  const range = ctx.range(n);
  const pairs = ctx.map(n, 'a statement');
  const head = pairs.find((p) => isStatementKey(p.key)) ?? pairs.find((p) => !MODIFIERS.has(p.key));
  if (!head) {
    ctx.report(YamlCode.badStatement, 'a statement names a step, or set, if, switch or goto', range);
    return [];
  }
  const rest = pairs.filter((p) => p !== head);
  switch (head.key) {
    case 'set':
      return setStatements(ctx, head, rest);
    case 'goto': {
      ctx.keys(rest, [], "a 'goto'");
      const t = transitionValue(ctx, head.value, "'goto'", ctx.keyRange(head));
      return t ? [{ kind: 'goto', transition: t, range }] : [];
    }
    case 'if': {
      const keys = ctx.keys(rest, ['then', 'else'], "an 'if'", { goto: 'then' });
      const cond = exprValue(ctx, head.value, ctx.keyRange(head), 'condition');
      const then = keys.get('then');
      const t = then ? transitionValue(ctx, then.value, "'then'", ctx.keyRange(then)) : undefined;
      if (!then) ctx.report(YamlCode.missingKey, "an 'if' needs 'then: state'", range);
      const stmt: StatementAst = {
        kind: 'if',
        cond,
        then: t ?? { target: { name: '', range }, range },
        range,
      };
      const e = keys.get('else');
      const otherwise = e ? transitionValue(ctx, e.value, "'else'", ctx.keyRange(e)) : undefined;
      if (otherwise) stmt.else = otherwise;
      const open = otherwise && t ? openBound(t) : undefined;
      if (open?.max)
        ctx.report(
          YamlCode.ambiguousBound,
          `'${open.target.name} max ${open.max.value}' needs its own else when the 'if' has an 'else'`,
          open.range,
          `write '${open.target.name} max ${open.max.value} else <state>': the state taken once the bound is used up`,
        );
      return [stmt];
    }
    case 'switch':
      return [switchStatement(ctx, head, rest, range)];
    default:
      return [stepStatement(ctx, head, pairs, range)];
  }
}

/** `states:` — a map from state name to its statement list. */
export function readStates(ctx: YamlContext, n: YNode | undefined): StateAst[] {
  const out: StateAst[] = [];
  for (const p of ctx.map(n, "'states'")) {
    const name = ctx.keyIdent(p);
    ctx.checkName(name, 'a state');
    const body: StatementAst[] = [];
    if (!ctx.isEmpty(p.value)) {
      for (const item of ctx.seq(p.value, `state '${p.key}'`)) {
        if (isMap(item)) body.push(...mapStatement(ctx, item));
        else {
          const s = scalarStatement(ctx, item);
          if (s) body.push(s);
        }
      }
    }
    out.push({ name, body, range: ctx.pairRange(p) });
  }
  return out;
}

/** The bounded transition at the end of an else-chain that has no `else` of its own, if any. */
function openBound(t: TransitionAst): TransitionAst | undefined {
  if (!t.max) return undefined;
  return t.else ? openBound(t.else) : t;
}
