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

const argMaps = new WeakMap<StepDecl, ReadonlyMap<string, ArgDecl>>();

/** A step's arguments by name (cached per declaration). */
export function argsByName(step: StepDecl): ReadonlyMap<string, ArgDecl> {
  let m = argMaps.get(step);
  if (!m) {
    m = new Map(step.args.map((a) => [a.name, a]));
    argMaps.set(step, m);
  }
  return m;
}

/** A problem with a value against a type, or undefined when it fits (or only run time can tell). */
interface Problem {
  code: Code;
  message: string;
  range: Expr['range'];
}

function wrongType(arg: string, t: ArgType, st: StaticType, e: Expr): Problem {
  return {
    code: Code.argType,
    message: `'${arg}' expects ${describeType(t)}, not ${TYPE_WORDS[st]}`,
    range: e.range,
  };
}

function checkValue(arg: string, t: ArgType, e: Expr): Problem | undefined {
  const st = staticType(e);
  const range = e.range;
  if (st === 'unknown' || t.kind === 'any') return undefined;
  switch (t.kind) {
    case 'string':
      return st === 'string' || st === 'number' || st === 'null' ? undefined : wrongType(arg, t, st, e);
    case 'boolean':
      return st === 'boolean' || st === 'null' ? undefined : wrongType(arg, t, st, e);
    case 'object':
      return st === 'object' || st === 'null' ? undefined : wrongType(arg, t, st, e);
    case 'number': {
      if (st === 'null') return undefined;
      if (st === 'duration' && e.kind === 'duration') {
        return {
          code: Code.argUnit,
          message: `'${arg}' is a plain number, not a duration: write ${e.ms} rather than ${e.text}`,
          range,
        };
      }
      if (st !== 'number') return wrongType(arg, t, st, e);
      if (e.kind !== 'number') return undefined;
      if (t.integer && !Number.isInteger(e.value))
        return { code: Code.argRange, message: `'${arg}' must be a whole number, not ${e.value}`, range };
      if (t.min !== undefined && e.value < t.min)
        return { code: Code.argRange, message: `'${arg}' must be at least ${t.min}, not ${e.value}`, range };
      if (t.max !== undefined && e.value > t.max)
        return { code: Code.argRange, message: `'${arg}' must be at most ${t.max}, not ${e.value}`, range };
      return undefined;
    }
    case 'duration': {
      if (st === 'null') return undefined;
      if (e.kind === 'number') {
        const v = e.value;
        return {
          code: Code.argUnit,
          message: `'${arg}' is a duration and needs a unit: write ${v}s (seconds) or ${v}ms (milliseconds), not ${v}`,
          range,
        };
      }
      if (
        e.kind === 'string' &&
        plainText(e) !== undefined &&
        /^\d+(\.\d+)?(ms|s|m|h)$/.test(plainText(e) ?? '')
      ) {
        return {
          code: Code.argUnit,
          message: `'${arg}' is a duration: write ${plainText(e)} without quotes`,
          range,
        };
      }
      if (e.kind !== 'duration') return wrongType(arg, t, st, e);
      if (t.minMs !== undefined && e.ms < t.minMs)
        return {
          code: Code.argRange,
          message: `'${arg}' must be at least ${fmtMs(t.minMs)}, not ${e.text}`,
          range,
        };
      if (t.maxMs !== undefined && e.ms > t.maxMs)
        return {
          code: Code.argRange,
          message: `'${arg}' must be at most ${fmtMs(t.maxMs)}, not ${e.text}`,
          range,
        };
      return undefined;
    }
    case 'enum': {
      if (st === 'null') return undefined;
      const text = plainText(e);
      if (e.kind === 'string' && text === undefined) return undefined;
      if (text === undefined) return wrongType(arg, t, st, e);
      if (t.values.includes(text)) return undefined;
      return {
        code: Code.argEnum,
        message: `'${arg}' cannot be '${text}': use ${t.values.map((v) => `'${v}'`).join(', ')}${didYouMean(text, t.values)}`,
        range,
      };
    }
    case 'array': {
      if (st === 'null') return undefined;
      if (st !== 'array') return wrongType(arg, t, st, e);
      if (e.kind !== 'array' || !t.items) return undefined;
      for (const item of e.items) {
        const p = checkValue(arg, t.items, item);
        if (p) return p;
      }
      return undefined;
    }
    case 'oneOf': {
      let specific: Problem | undefined;
      for (const m of t.types) {
        const p = checkValue(arg, m, e);
        if (!p) return undefined;
        if (p.code !== Code.argType) specific ??= p;
      }
      return specific ?? wrongType(arg, t, st, e);
    }
  }
}

function checkOneArg(step: StepDecl, decl: ArgDecl, a: ArgAst, r: Reporter): void {
  const values = enumValues(decl.type);
  if (decl.literal && a.value.kind === 'var' && values.length > 0) {
    // A bare word where a literal enum value is required: an unknown value, not a variable.
    const word = a.value.name;
    r.error(
      Code.argEnum,
      `'${decl.name}' cannot be '${word}': use ${values.map((v) => `'${v}'`).join(', ')}${didYouMean(word, values)}`,
      a.value.range,
    );
    return;
  }
  const p = checkValue(decl.name, decl.type, a.value);
  if (p) {
    r.error(p.code, p.message, p.range);
    return;
  }
  if (decl.literal && !isLiteral(a.value)) {
    r.error(
      Code.argLiteral,
      `'${decl.name}' of ${step.name} must be written as a literal value, not computed`,
      a.value.range,
    );
  }
}

/** Check a known step's arguments; reports through `r`. */
export function checkStepArgs(step: StepDecl, ast: StepAst, r: Reporter): void {
  const seen = new Map<string, ArgAst>();
  const byName = argsByName(step);
  for (const a of ast.args) {
    const name = a.name.name;
    const decl = byName.get(name);
    if (!decl) {
      if (name === '') continue;
      const names = step.args.map((x) => x.name);
      const hint =
        names.length > 0 ? `${step.name} takes ${names.join(', ')}` : `${step.name} takes no arguments`;
      r.error(
        Code.unknownArg,
        `'${step.name}' has no argument '${name}'${didYouMean(name, names)}`,
        a.name.range,
        { hint },
      );
      continue;
    }
    const prev = seen.get(name);
    if (prev) {
      r.error(Code.duplicateArg, `'${name}' is given twice`, a.name.range, {
        related: [{ message: 'first given here', range: prev.name.range }],
      });
      continue;
    }
    seen.set(name, a);
    checkOneArg(step, decl, a, r);
  }
  for (const d of step.args) {
    if (d.required && !seen.has(d.name)) {
      const how = d.positional ? `${step.name} <${d.name}>` : `${d.name} <value>`;
      r.error(
        Code.missingArg,
        `'${step.name}' needs '${d.name}' (${describeType(d.type)}): write \`${how}\``,
        ast.name.range,
      );
    }
  }
  for (const group of step.oneOf ?? []) {
    const given: string[] = [];
    for (const g of group) if (seen.has(g)) given.push(g);
    if (given.length === 0)
      r.error(
        Code.oneOf,
        `'${step.name}' needs one of ${group.map((g) => `'${g}'`).join(', ')}`,
        ast.name.range,
      );
    else if (given.length > 1) {
      const second = seen.get(given[1]!)!;
      r.error(
        Code.oneOf,
        `'${step.name}' takes only one of ${group.map((g) => `'${g}'`).join(', ')}, not both '${given[0]}' and '${given[1]}'`,
        second.name.range,
      );
    }
  }
}

/** Whether an `onlyWith` argument is effectively given: present and not its catalog default literal. */
export function argEnabled(step: StepDecl, ast: StepAst, name: string): boolean {
  let a: ArgAst | undefined;
  for (const x of ast.args) if (x.name.name === name) a = x;
  if (!a) return false;
  const decl = argsByName(step).get(name);
  if (decl?.default === undefined || !isLiteral(a.value)) return true;
  return literalValue(a.value) !== decl.default;
}
