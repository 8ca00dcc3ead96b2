/**
 * How the catalog shapes step arguments in both front ends: which argument is written without its name,
 * which are flags, and which enum values may be written as bare words (`method POST`, `wait any`).
 */
import { STEPS, type ArgDecl, type ArgType, type StepDecl } from '../catalog/index.js';
import type { ArgAst, Expr, StringExpr } from './ast.js';

/** The step's declaration, if the catalog knows it. */
export function stepDecl(name: string): StepDecl | undefined {
  return Object.prototype.hasOwnProperty.call(STEPS, name) ? STEPS[name] : undefined;
}

/** The declaration of one argument of a step. */
export function argDecl(step: StepDecl | undefined, name: string): ArgDecl | undefined {
  // A loop, not find(): the parser asks for every argument, and a closure per question is garbage.
  if (step === undefined) return undefined;
  for (const a of step.args) if (a.name === name) return a;
  return undefined;
}

/** The argument the DSL accepts without its name. */
export function positionalArg(step: StepDecl | undefined): ArgDecl | undefined {
  if (step === undefined) return undefined;
  for (const a of step.args) if (a.positional === true) return a;
  return undefined;
}

/** Whether `word` names an argument of the step (so it starts a new argument rather than being a value). */
export function isArgName(step: StepDecl | undefined, word: string): boolean {
  return argDecl(step, word) !== undefined;
}

const NONE: readonly string[] = [];
/** Catalog types never change, so the values of a oneOf are collected once (the parser asks for every argument). */
const oneOfValues = new WeakMap<ArgType, readonly string[]>();

/** The enum values an argument accepts as bare words (directly, in a oneOf, or as list items). */
export function enumValues(type: ArgType | undefined): readonly string[] {
  if (!type) return NONE;
  switch (type.kind) {
    case 'enum':
      return type.values;
    case 'oneOf': {
      let values = oneOfValues.get(type);
      if (!values) oneOfValues.set(type, (values = type.types.flatMap((t) => enumValues(t))));
      return values;
    }
    case 'array':
      return enumValues(type.items);
    case 'string':
    case 'number':
    case 'boolean':
    case 'duration':
    case 'object':
    case 'any':
    default:
      return NONE;
  }
}

/** Whether the argument's type accepts a duration (so YAML reads `10s` as one). */
export function isDurationType(type: ArgType | undefined): boolean {
  if (!type) return false;
  if (type.kind === 'duration') return true;
  if (type.kind === 'oneOf') return type.types.some((t) => isDurationType(t));
  return false;
}

function toEnumString(e: Expr, values: readonly string[]): Expr {
  if (e.kind === 'var' && values.includes(e.name)) return { kind: 'string', parts: [e.name], range: e.range } satisfies StringExpr;
  if (e.kind === 'number' && values.includes(String(e.value))) {
    return { kind: 'string', parts: [String(e.value)], range: e.range } satisfies StringExpr;
  }
  if (e.kind === 'array') return { ...e, items: e.items.map((i) => toEnumString(i, values)) };
  return e;
}

/** Read bare enum words as the strings they stand for, so `method POST` and `method: POST` mean the same. */
export function normalizeArgValue(decl: ArgDecl | undefined, value: Expr): Expr {
  const values = enumValues(decl?.type);
  return values.length === 0 ? value : toEnumString(value, values);
}

/**
 * Mark the catalog's positional argument (of a known step) and the nameless argument (of an unknown one) as
 * `positional`, whichever way it was written, so both front ends agree and `fmt` writes it unnamed.
 */
export function markPositional(step: StepDecl | undefined, args: ArgAst[]): ArgAst[] {
  const pos = positionalArg(step);
  for (const a of args) {
    if (a.name.name === '' || (pos !== undefined && a.name.name === pos.name)) a.positional = true;
    else delete a.positional;
  }
  return args;
}
