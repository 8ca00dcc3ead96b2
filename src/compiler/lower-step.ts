/**
 * Lowering one catalog step: its arguments (checked against the catalog) and its outcome map. Every outcome
 * the step can produce gets a transition: the one the author wrote, `continue` for outcomes the catalog lets
 * fall through (continueOn), or the `on other` default; anything left is an unhandled-outcome error.
 */
import { BUILTIN_ROOTS, CONTROL_KEYWORDS, outcomeCondition, STEPS } from '../catalog/index.js';
import type { OutcomeAst, StepAst, TransitionAst } from '../language/ast.js';
import { stepDecl } from '../language/step-args.js';
import { argEnabled, argsByName, checkStepArgs } from './check-args.js';
import { Code } from './codes.js';
import type { StepIr, TransitionIr } from './ir.js';
import type { Reporter } from './report.js';
import { didYouMean } from './suggest.js';

const CONTINUE: TransitionIr = { kind: 'continue' };
const ROOTS: ReadonlySet<string> = new Set(BUILTIN_ROOTS);

/** Lower a step statement. `lower` lowers a transition with a counter name for `max`. */
export function lowerStep(
  ast: StepAst,
  id: string,
  lower: (t: TransitionAst, counter: string) => TransitionIr,
  r: Reporter,
): StepIr {
  const name = ast.name.name;
  const decl = stepDecl(name);
  const args: StepIr['args'] = {};
  for (const a of ast.args) {
    // `__proto__` cannot be a plain own key; it is an unknown argument anyway (reported below).
    if (a.name.name === '' || a.name.name === '__proto__' || Object.hasOwn(args, a.name.name)) continue;
    const literal = decl !== undefined && argsByName(decl).get(a.name.name)?.literal === true;
    // A bare word for a literal argument is a (wrong) value, not a variable read: checked in check-args.
    args[a.name.name] =
      literal && a.value.kind === 'var'
        ? { kind: 'string', parts: [a.value.name], range: a.value.range }
        : a.value;
  }
  const ir: StepIr = { op: 'step', id, step: name, args, outcomes: {}, range: ast.range };
  if (ast.into) {
    ir.into = ast.into.name;
    if (ROOTS.has(ast.into.name))
      r.error(
        Code.noResult,
        `'${ast.into.name}' is a built-in variable; choose another name for the result`,
        ast.into.range,
      );
    else if (decl && decl.into === undefined)
      r.warning(Code.noResult, `'${name}' has no result to put into '${ast.into.name}'`, ast.into.range);
  }
  const routed = new Map<string, OutcomeAst>();
  let other: OutcomeAst | undefined;
  for (const o of ast.outcomes) {
    const on = o.outcome.name;
    const prev = on === '*' ? other : routed.get(on);
    if (prev) {
      r.error(
        Code.duplicateOutcome,
        `'${on === '*' ? 'other' : on}' is already routed for this step`,
        o.outcome.range,
        { related: [{ message: 'first routed here', range: prev.outcome.range }] },
      );
      continue;
    }
    if (on === '*') other = o;
    else routed.set(on, o);
  }
  if (!decl) {
    const known = [...Object.keys(STEPS), ...CONTROL_KEYWORDS];
    r.error(Code.unknownStep, `unknown step '${name}'${didYouMean(name, known)}`, ast.name.range);
    for (const [on, o] of routed)
      if (on !== '__proto__') ir.outcomes[on] = lower(o.transition, `${id}:${on}`);
    if (other) ir.outcomes['*'] = lower(other.transition, `${id}:other`);
    return ir;
  }
  checkStepArgs(decl, ast, r);
  const possible: string[] = [];
  for (const o of decl.outcomes) {
    const only = o.onlyWith;
    const needs =
      only === undefined ||
      (typeof only === 'string' ? argEnabled(decl, ast, only) : only.some((a) => argEnabled(decl, ast, a)));
    if (needs && (o.notWith === undefined || !argEnabled(decl, ast, o.notWith))) possible.push(o.name);
  }
  for (const [on, o] of routed) {
    let d: (typeof decl.outcomes)[number] | undefined;
    for (const x of decl.outcomes) if (x.name === on) d = x;
    if (!d) {
      const declared = decl.outcomes.map((x) => x.name);
      const hint =
        declared.length > 0
          ? `${name} can end with ${declared.join(', ')}`
          : `${name} has no outcomes to route`;
      r.error(
        Code.unknownOutcome,
        `'${name}' has no outcome '${on}'${didYouMean(on, declared)}`,
        o.outcome.range,
        { hint },
      );
    } else if (!possible.includes(on)) {
      r.warning(
        Code.impossibleOutcome,
        `'${name}' ends with '${on}' ${outcomeCondition(d) ?? ''}, so this route is never taken`,
        o.outcome.range,
      );
    }
    if (on !== '__proto__') ir.outcomes[on] = lower(o.transition, `${id}:${on}`);
  }
  const fallback = other ? lower(other.transition, `${id}:other`) : undefined;
  const unhandled: string[] = [];
  for (const on of possible) {
    if (routed.has(on)) continue;
    if (decl.continueOn.includes(on)) ir.outcomes[on] = CONTINUE;
    else if (fallback) ir.outcomes[on] = fallback;
    else unhandled.push(on);
  }
  if (fallback) ir.outcomes['*'] = fallback;
  if (unhandled.length > 0) {
    const list = unhandled.map((o) => `'${o}'`).join(', ');
    const first = unhandled[0]!;
    r.error(Code.unhandledOutcome, `'${name}' can end with ${list}, which nothing handles`, ast.name.range, {
      hint: `add \`on ${first} -> state\` under the step, or \`on other -> state\` for every unrouted outcome`,
    });
  }
  return ir;
}
