/**
 * The expression evaluator. Each AST expression is compiled once into a closure (cached by node identity), so
 * the hot path is a tree of plain function calls: no eval, no `new Function`, no re-walking the AST.
 *
 * Semantics (docs for flow authors):
 * - reading a missing variable, a missing member, or a member of null gives null (never an error);
 * - `+` concatenates when either side is text, adds numbers, and joins two lists; anything else is an error;
 * - `- * / %` take numbers; dividing by zero is an error;
 * - `< <= > >=` compare two numbers or two texts;
 * - `==`/`!=` compare by value (deep, no coercion: 1 != "1"; null == null);
 * - `&&`, `||`, `!` short-circuit on JavaScript truthiness and always give a boolean;
 * - `a ?? b` is `b` only when `a` is null;
 * - `"${x}"` interpolates x as text (null → "", objects and lists as JSON); durations are milliseconds.
 * Errors are `EvalError`s carrying the source range of the failing expression.
 */
import type { BinaryExpr, Expr } from '../language/ast.js';
import type { SourceRange } from '../language/diagnostics.js';
import { FnError, FUNCTION_IMPLS, type FunctionEnv } from './functions.js';
import { ownProp, toText, truthy, typeName, valueEquals } from './values.js';

/** What an expression is evaluated against. `extra` (e.g. lookup's `response`) shadows session variables. */
export interface EvalScope {
  vars: Record<string, unknown>;
  extra: Record<string, unknown> | undefined;
  env: FunctionEnv;
}

/** A compiled expression. */
export type CompiledExpr = (s: EvalScope) => unknown;

/** Codes of runtime expression errors. */
export const EvalErrorCode = { type: 'type', divideByZero: 'divide-by-zero', function: 'function', unknownFunction: 'unknown-function' } as const;
export type EvalErrorCode = (typeof EvalErrorCode)[keyof typeof EvalErrorCode];

/** A runtime error in an expression, pointing at the expression's source. */
export class EvalError extends Error {
  constructor(
    readonly code: EvalErrorCode,
    message: string,
    readonly range: SourceRange,
  ) {
    super(message);
    this.name = 'EvalError';
  }
}

const cache = new WeakMap<Expr, CompiledExpr>();

/** Compile an expression to a closure (memoised per AST node). */
export function compileExpr(e: Expr): CompiledExpr {
  let c = cache.get(e);
  if (!c) {
    c = build(e);
    cache.set(e, c);
  }
  return c;
}

/** Evaluate an expression once (compiles and caches it). */
export function evaluate(e: Expr, scope: EvalScope): unknown {
  return compileExpr(e)(scope);
}

/** Names that exist on every object or list prototype: member reads of these must check own properties. */
const PROTO_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Array.prototype)]);

function build(e: Expr): CompiledExpr {
  switch (e.kind) {
    case 'number':
    case 'bool': {
      const v = e.value;
      return () => v;
    }
    case 'duration': {
      const v = e.ms;
      return () => v;
    }
    case 'null':
      return () => null;
    case 'string':
      return buildString(e.parts);
    case 'var': {
      const name = e.name;
      return (s) => {
        if (s.extra !== undefined) {
          const x = s.extra[name];
          if (x !== undefined) return x;
        }
        const v = s.vars[name];
        return v === undefined ? null : v;
      };
    }
    case 'member': {
      const obj = compileExpr(e.object);
      const name = e.name;
      if (PROTO_NAMES.has(name)) return (s) => ownProp(obj(s), name);
      return (s) => {
        const o = obj(s);
        if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
        const v = (o as Record<string, unknown>)[name];
        return v === undefined ? null : v;
      };
    }
    case 'index': {
      const obj = compileExpr(e.object);
      const idx = compileExpr(e.index);
      return (s) => indexValue(obj(s), idx(s));
    }
    case 'unary': {
      const operand = compileExpr(e.operand);
      if (e.op === '!') return (s) => !truthy(operand(s));
      const range = e.range;
      return (s) => {
        const v = operand(s);
        if (typeof v !== 'number') throw new EvalError('type', `cannot negate ${typeName(v)}`, range);
        return -v;
      };
    }
    case 'binary':
      return buildBinary(e);
    case 'call':
      return buildCall(e.fn, e.args.map(compileExpr), e.range);
    case 'object': {
      const entries = e.entries.map((x) => [x.key, compileExpr(x.value)] as const);
      return (s) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
          if (k === '__proto__') Object.defineProperty(out, k, { value: v(s), enumerable: true, writable: true, configurable: true });
          else out[k] = v(s);
        }
        return out;
      };
    }
    case 'array': {
      const items = e.items.map(compileExpr);
      return (s) => items.map((i) => i(s));
    }
  }
}

function indexValue(o: unknown, i: unknown): unknown {
  if (Array.isArray(o) || typeof o === 'string') {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= o.length) return null;
    const v: unknown = o[i];
    return v === undefined ? null : v;
  }
  if (typeof o === 'object' && o !== null) {
    if (typeof i === 'string') return ownProp(o, i);
    if (typeof i === 'number') return ownProp(o, String(i));
  }
  return null;
}

function buildString(parts: ReadonlyArray<string | Expr>): CompiledExpr {
  if (parts.length === 0) return () => '';
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const text = parts[0];
    return () => text;
  }
  const compiled = parts.map((p) => (typeof p === 'string' ? p : compileExpr(p)));
  return (s) => {
    let out = '';
    for (const p of compiled) out += typeof p === 'string' ? p : toText(p(s));
    return out;
  };
}

function buildBinary(e: BinaryExpr): CompiledExpr {
  const l = compileExpr(e.left);
  const r = compileExpr(e.right);
  const range = e.range;
  const op = e.op;
  switch (op) {
    case '??':
      return (s) => {
        const a = l(s);
        return a === null || a === undefined ? r(s) : a;
      };
    case '||':
      return (s) => truthy(l(s)) || truthy(r(s));
    case '&&':
      return (s) => truthy(l(s)) && truthy(r(s));
    case '==':
      return (s) => valueEquals(l(s), r(s));
    case '!=':
      return (s) => !valueEquals(l(s), r(s));
    case '+':
      return (s) => add(l(s), r(s), range);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (s) => compare(op, l(s), r(s), range);
    case '-':
    case '*':
    case '/':
    case '%':
      return (s) => arithmetic(op, l(s), r(s), range);
  }
}

function add(a: unknown, b: unknown, range: SourceRange): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' || typeof b === 'string') return toText(a) + toText(b);
  if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
  throw new EvalError('type', `cannot add ${typeName(a)} and ${typeName(b)}`, range);
}

function compare(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown, range: SourceRange): boolean {
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) {
    throw new EvalError('type', `cannot compare ${typeName(a)} with ${typeName(b)} using ${op}`, range);
  }
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function arithmetic(op: '-' | '*' | '/' | '%', a: unknown, b: unknown, range: SourceRange): number {
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw new EvalError('type', `cannot use ${op} on ${typeName(a)} and ${typeName(b)}`, range);
  }
  switch (op) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0) throw new EvalError('divide-by-zero', `division by zero`, range);
      return op === '/' ? a / b : a % b;
  }
}

function buildCall(name: string, args: CompiledExpr[], range: SourceRange): CompiledExpr {
  const impl = Object.prototype.hasOwnProperty.call(FUNCTION_IMPLS, name) ? FUNCTION_IMPLS[name] : undefined;
  if (!impl) {
    return () => {
      throw new EvalError('unknown-function', `unknown function '${name}'`, range);
    };
  }
  return (s) => {
    const values = args.map((a) => a(s));
    try {
      return impl(values, s.env);
    } catch (err) {
      if (err instanceof FnError) throw new EvalError('function', `${name}: ${err.message}`, range);
      throw err;
    }
  };
}
