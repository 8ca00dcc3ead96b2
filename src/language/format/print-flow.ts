/**
 * The canonical `.flow` printer: two-space indentation, one statement per line, outcome lines under their step,
 * a blank line between top-level blocks. Comments are not in the AST, so they are lost; everything else
 * parses back to the same AST (ranges aside).
 */
import type {
  ArgAst,
  ConfigDeclAst,
  EntryAst,
  Expr,
  FieldAst,
  FlowAst,
  StateAst,
  StatementAst,
  StepAst,
  TransitionAst,
} from '../ast.js';
import type { ArgDecl } from '../../catalog/index.js';
import { argDecl, enumValues, isArgName, stepDecl } from '../step-args.js';
import { leadingName, printExpr, printType, quote } from './print-expr.js';

const IND = '  ';

/** `target [max N [else -> ...]]` (without the leading arrow). */
function tail(t: TransitionAst): string {
  let s = t.target.name;
  if (t.max) {
    s += ` max ${t.max.value}`;
    if (t.else) s += ` else ${arrow(t.else)}`;
  }
  return s;
}

/** Whether a transition ends in `max N` without `else`, so an `else` written after it would attach to it. */
function openMax(t: TransitionAst): boolean {
  if (!t.max) return false;
  return t.else ? openMax(t.else) : true;
}

/** `-> target [max N [else -> ...]]`. */
export function arrow(t: TransitionAst): string {
  return `-> ${tail(t)}`;
}

function docLines(doc: string | undefined, indent: string): string[] {
  return doc === undefined ? [] : doc.split('\n').map((l) => `${indent}${quote(l)}`);
}

function field(f: FieldAst): string {
  const def = f.default ? ` = ${printExpr(f.default)}` : '';
  return `${f.name.name}${f.optional ? '?' : ''}: ${printType(f.type)}${def}`;
}

function config(c: ConfigDeclAst): string[] {
  const def = c.default ? ` = ${printExpr(c.default)}` : '';
  return [`config ${c.name.name}${def}`, ...docLines(c.doc, IND)];
}

function entry(e: EntryAst): string[] {
  switch (e.kind) {
    case 'call': {
      const m = e.matchers.map((x) => ` ${x.field} ${printExpr(x.pattern)}`).join('');
      return [`on call${m} ${arrow(e.transition)}`];
    }
    case 'start': {
      const params = e.params.length > 0 ? ` (${e.params.map(field).join(', ')})` : '';
      return [`on start${params} ${arrow(e.transition)}`];
    }
    case 'http': {
      const head = `on http ${e.method.name} ${e.path.value}`;
      const block: string[] = [...docLines(e.doc, IND)];
      if (e.auth)
        block.push(
          `${IND}auth ${e.auth.scheme.name}${e.auth.args.map((a) => ` ${namedArg(undefined, a)}`).join('')}`,
        );
      if (e.request.length > 0) {
        block.push(`${IND}request`);
        for (const f of e.request) block.push(`${IND}${IND}${field(f)}`, ...docLines(f.doc, IND.repeat(3)));
      }
      if (e.invalid) block.push(`${IND}invalid ${arrow(e.invalid)}`);
      if (block.length === 0) return [`${head} ${arrow(e.transition)}`];
      return [head, ...block, `${IND}${arrow(e.transition)}`];
    }
  }
}

/** A value the argument gates would misread (a name that is also an argument name) goes in parentheses. */
function guarded(step: StepAst | undefined, e: Expr): string {
  const s = printExpr(e);
  const lead = leadingName(e);
  const decl = step ? stepDecl(step.name.name) : undefined;
  return lead !== undefined && isArgName(decl, lead) ? `(${s})` : s;
}

const BARE = /^(?:[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*|[1-9][0-9]*)$/;
const HARD = new Set([
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
]);

/** An enum word the parser reads back as the same string (`method POST`), or undefined. */
function bareEnum(decl: ArgDecl | undefined, step: StepAst, e: Expr): string | undefined {
  const values = enumValues(decl?.type);
  const word = (x: Expr): string | undefined => {
    if (x.kind !== 'string' || x.parts.length !== 1 || typeof x.parts[0] !== 'string') return undefined;
    const w = x.parts[0];
    const ok = values.includes(w) && BARE.test(w) && !HARD.has(w) && !isArgName(stepDecl(step.name.name), w);
    return ok ? w : undefined;
  };
  if (e.kind === 'array' && e.items.length > 0) {
    const words = e.items.map(word);
    return words.every((w) => w !== undefined) ? `[${words.join(', ')}]` : undefined;
  }
  return word(e);
}

function namedArg(step: StepAst | undefined, a: ArgAst): string {
  const decl = step ? argDecl(stepDecl(step.name.name), a.name.name) : undefined;
  const bare = step ? bareEnum(decl, step, a.value) : undefined;
  if (bare !== undefined) return `${a.name.name} ${bare}`;
  if (decl?.flag) {
    if (a.value.kind === 'bool' && a.value.value) return a.name.name;
    if (a.value.kind === 'bool') return `${a.name.name} false`;
    return `${a.name.name} (${printExpr(a.value)})`;
  }
  return `${a.name.name} ${guarded(step, a.value)}`;
}

/** The unnamed first argument; parenthesised when the parser's lookahead would take a name for an argument name. */
function positional(step: StepAst, a: ArgAst, next: ArgAst | undefined): string {
  const decl = stepDecl(step.name.name);
  const s = printExpr(a.value);
  const lead = leadingName(a.value);
  if (lead === undefined) return s;
  const risky =
    decl === undefined ||
    isArgName(decl, lead) ||
    (a.value.kind === 'var' && next !== undefined && !isArgName(decl, next.name.name));
  return risky ? `(${s})` : s;
}

function step(s: StepAst, indent: string): string[] {
  let line = s.name.name;
  s.args.forEach((a, i) => {
    const unnamed = a.positional === true && i === 0;
    line += ` ${unnamed ? positional(s, a, s.args[1]) : namedArg(s, a)}`;
  });
  if (s.into) line += ` into ${s.into.name}`;
  const out = [`${indent}${line}`];
  for (const o of s.outcomes)
    out.push(`${indent}${IND}on ${o.outcome.name === '*' ? 'other' : o.outcome.name} ${arrow(o.transition)}`);
  return out;
}

function statement(s: StatementAst, indent: string): string[] {
  switch (s.kind) {
    case 'step':
      return step(s, indent);
    case 'set':
      return [`${indent}set ${s.target.map((t) => t.name).join('.')} = ${printExpr(s.value)}`];
    case 'if': {
      const head = `${indent}if ${printExpr(s.cond)} ${arrow(s.then)}`;
      if (!s.else) return [head];
      // `if c -> a max 1 else -> b` would bind `else` to the bound (a dangling else): keep the meaning with a goto.
      if (openMax(s.then)) return [head, `${indent}goto ${tail(s.else)}`];
      return [`${head} else ${arrow(s.else)}`];
    }
    case 'goto':
      return [`${indent}${s.arrow ? arrow(s.transition) : `goto ${tail(s.transition)}`}`];
    case 'switch': {
      const out = [`${indent}switch ${printExpr(s.subject)}`];
      for (const c of s.cases)
        out.push(`${indent}${IND}case ${c.values.map(printExpr).join(', ')} ${arrow(c.transition)}`);
      if (s.default) out.push(`${indent}${IND}default ${arrow(s.default)}`);
      return out;
    }
  }
}

function state(s: StateAst): string[] {
  return [`state ${s.name.name}`, ...s.body.flatMap((b) => statement(b, IND))];
}

/** Print a flow in canonical `.flow` syntax. */
export function printFlow(ast: FlowAst): string {
  const blocks: string[][] = [[`flow ${ast.name.name}`, ...docLines(ast.description, IND)]];
  if (ast.configs.length > 0) blocks.push(ast.configs.flatMap(config));
  let simple: string[] = [];
  for (const e of ast.entries) {
    const lines = entry(e);
    if (lines.length === 1) {
      simple.push(...lines);
      continue;
    }
    if (simple.length > 0) blocks.push(simple);
    simple = [];
    blocks.push(lines);
  }
  if (simple.length > 0) blocks.push(simple);
  for (const s of ast.states) blocks.push(state(s));
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}
