/**
 * Step arguments against the catalog: unknown or duplicate names, missing required ones, one-of groups, and
 * each value's type, unit and range, with messages in the author's words (`timeout 10` → "write 10s").
 */
import type { ArgDecl, ArgType, StepDecl } from '../catalog/index.js';
import type { ArgAst, Expr, StepAst } from '../language/ast.js';
import { enumValues } from '../language/step-args.js';
import { Code } from './codes.js';
import { isLiteral, literalValue, plainText, staticType, type StaticType } from './expr-type.js';
import type { Reporter } from './report.js';
import { didYouMean } from './suggest.js';

const TYPE_WORDS: Readonly<Record<StaticType, string>> = {
  string: 'text',
  number: 'a number',
  duration: 'a duration',
  boolean: 'true or false',
  null: 'null',
  object: 'an object { ... }',
  array: 'a list [ ... ]',
  unknown: 'a value',
};

/** How a type is described to the author. */
export function describeType(t: ArgType): string {
  switch (t.kind) {
    case 'string':
      return 'text';
    case 'number':
      return t.integer ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'duration':
      return 'a duration such as 10s or 500ms';
    case 'enum':
      return `one of ${t.values.map((v) => `'${v}'`).join(', ')}`;
    case 'object':
      return 'an object { ... }';
    case 'array':
      return t.items ? `a list of ${describeType(t.items).replace(/^an? /, '')}` : 'a list [ ... ]';
    case 'any':
      return 'any value';
    case 'oneOf':
      return t.types.map(describeType).join(' or ');
  }
}

function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A problem with a value against a type, or undefined when it fits (or only run time can tell). */
interface Problem {
  code: Code;
  message: string;
  range: Expr['range'];
}

function checkValue(arg: string, t: ArgType, e: Expr): Problem | undefined {
  const st = staticType(e);
  const range = e.range;
  const wrong = (): Problem => ({ code: Code.argType, message: `'${arg}' expects ${describeType(t)}, not ${TYPE_WORDS[st]}`, range });
  if (st === 'unknown' || t.kind === 'any') return undefined;
  switch (t.kind) {
    case 'string':
      return st === 'string' || st === 'number' || st === 'null' ? undefined : wrong();
    case 'boolean':
      return st === 'boolean' || st === 'null' ? undefined : wrong();
    case 'object':
      return st === 'object' || st === 'null' ? undefined : wrong();
    case 'number': {
      if (st === 'null') return undefined;
      if (st === 'duration' && e.kind === 'duration') {
        return { code: Code.argUnit, message: `'${arg}' is a plain number, not a duration: write ${e.ms} rather than ${e.text}`, range };
      }
      if (st !== 'number') return wrong();
      if (e.kind !== 'number') return undefined;
      if (t.integer && !Number.isInteger(e.value)) return { code: Code.argRange, message: `'${arg}' must be a whole number, not ${e.value}`, range };
      if (t.min !== undefined && e.value < t.min) return { code: Code.argRange, message: `'${arg}' must be at least ${t.min}, not ${e.value}`, range };
      if (t.max !== undefined && e.value > t.max) return { code: Code.argRange, message: `'${arg}' must be at most ${t.max}, not ${e.value}`, range };
      return undefined;
    }
    case 'duration': {
      if (st === 'null') return undefined;
      if (e.kind === 'number') {
        const v = e.value;
        return { code: Code.argUnit, message: `'${arg}' is a duration and needs a unit: write ${v}s (seconds) or ${v}ms (milliseconds), not ${v}`, range };
      }
      if (e.kind === 'string' && plainText(e) !== undefined && /^\d+(\.\d+)?(ms|s|m|h)$/.test(plainText(e) ?? '')) {
        return { code: Code.argUnit, message: `'${arg}' is a duration: write ${plainText(e)} without quotes`, range };
      }
      if (e.kind !== 'duration') return wrong();
      if (t.minMs !== undefined && e.ms < t.minMs) return { code: Code.argRange, message: `'${arg}' must be at least ${fmtMs(t.minMs)}, not ${e.text}`, range };
      if (t.maxMs !== undefined && e.ms > t.maxMs) return { code: Code.argRange, message: `'${arg}' must be at most ${fmtMs(t.maxMs)}, not ${e.text}`, range };
      return undefined;
    }
    case 'enum': {
      if (st === 'null') return undefined;
      const text = plainText(e);
      if (e.kind === 'string' && text === undefined) return undefined;
      if (text === undefined) return wrong();
      if (t.values.includes(text)) return undefined;
      return { code: Code.argEnum, message: `'${arg}' cannot be '${text}': use ${t.values.map((v) => `'${v}'`).join(', ')}${didYouMean(text, t.values)}`, range };
    }
    case 'array': {
      if (st === 'null') return undefined;
      if (st !== 'array') return wrong();
      if (e.kind !== 'array' || !t.items) return undefined;
      for (const item of e.items) {
        const p = checkValue(arg, t.items, item);
        if (p) return p;
      }
      return undefined;
    }
    case 'oneOf': {
      const problems = t.types.map((m) => checkValue(arg, m, e));
      if (problems.some((p) => p === undefined)) return undefined;
      const specific = problems.find((p) => p && p.code !== Code.argType);
      return specific ?? wrong();
    }
  }
}

function checkOneArg(step: StepDecl, decl: ArgDecl, a: ArgAst, r: Reporter): void {
  const p = checkValue(decl.name, decl.type, a.value);
  if (p) {
    r.error(p.code, p.message, p.range);
    return;
  }
  if (decl.literal && !isLiteral(a.value)) {
    r.error(Code.argLiteral, `'${decl.name}' of ${step.name} must be written as a literal value, not computed`, a.value.range);
  }
}

/** Check a known step's arguments; reports through `r`. */
export function checkStepArgs(step: StepDecl, ast: StepAst, r: Reporter): void {
  const seen = new Map<string, ArgAst>();
  const names = step.args.map((a) => a.name);
  for (const a of ast.args) {
    const name = a.name.name;
    const decl = step.args.find((d) => d.name === name);
    if (!decl) {
      if (name === '') continue;
      const hint = names.length > 0 ? `${step.name} takes ${names.join(', ')}` : `${step.name} takes no arguments`;
      r.error(Code.unknownArg, `'${step.name}' has no argument '${name}'${didYouMean(name, names)}`, a.name.range, { hint });
      continue;
    }
    const prev = seen.get(name);
    if (prev) {
      r.error(Code.duplicateArg, `'${name}' is given twice`, a.name.range, { related: [{ message: 'first given here', range: prev.name.range }] });
      continue;
    }
    seen.set(name, a);
    checkOneArg(step, decl, a, r);
  }
  for (const d of step.args) {
    if (d.required && !seen.has(d.name)) {
      const how = d.positional ? `${step.name} <${d.name}>` : `${d.name} <value>`;
      r.error(Code.missingArg, `'${step.name}' needs '${d.name}' (${describeType(d.type)}): write \`${how}\``, ast.name.range);
    }
  }
  for (const group of step.oneOf ?? []) {
    const given = group.filter((g) => seen.has(g));
    if (given.length === 0) r.error(Code.oneOf, `'${step.name}' needs one of ${group.map((g) => `'${g}'`).join(', ')}`, ast.name.range);
    else if (given.length > 1) {
      const second = seen.get(given[1]!)!;
      r.error(Code.oneOf, `'${step.name}' takes only one of ${group.map((g) => `'${g}'`).join(', ')}, not both '${given[0]}' and '${given[1]}'`, second.name.range);
    }
  }
}

/** Whether an `onlyWith` argument is effectively given: present and not its catalog default literal. */
export function argEnabled(step: StepDecl, ast: StepAst, name: string): boolean {
  const a = ast.args.find((x) => x.name.name === name);
  if (!a) return false;
  const decl = step.args.find((d) => d.name === name);
  if (decl?.default === undefined || !isLiteral(a.value)) return true;
  const v = literalValue(a.value);
  return v !== decl.default && !(a.value.kind === 'string' && enumValues(decl.type).length > 0 && v === decl.default);
}
