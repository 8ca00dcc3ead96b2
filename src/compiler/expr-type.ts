/** What can be known statically about an expression's value: its type, and its value when it is a literal. */
import { FUNCTIONS } from '../catalog/index.js';
import type { Expr } from '../language/ast.js';

/** A static type; `unknown` when only run time can tell (variables, most operators). */
export type StaticType =
  'string' | 'number' | 'duration' | 'boolean' | 'null' | 'object' | 'array' | 'unknown';

/** The static type of an expression. */
export function staticType(e: Expr): StaticType {
  switch (e.kind) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'duration':
      return 'duration';
    case 'bool':
      return 'boolean';
    case 'null':
      return 'null';
    case 'object':
      return 'object';
    case 'array':
      return 'array';
    case 'unary':
      return e.op === '!' ? 'boolean' : 'unknown';
    case 'binary':
      if (['==', '!=', '<', '<=', '>', '>='].includes(e.op)) return 'boolean';
      if (e.op === '+' && (staticType(e.left) === 'string' || staticType(e.right) === 'string'))
        return 'string';
      return 'unknown';
    case 'call': {
      const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, e.fn) ? FUNCTIONS[e.fn] : undefined;
      return fn === undefined || fn.returns === 'any' ? 'unknown' : fn.returns;
    }
    case 'var':
    case 'member':
    case 'index':
      return 'unknown';
  }
}

/** The text of a string without interpolations, else undefined. */
export function plainText(e: Expr): string | undefined {
  if (e.kind !== 'string') return undefined;
  let out = '';
  for (const p of e.parts) {
    if (typeof p !== 'string') return undefined;
    out += p;
  }
  return out;
}

/** Whether an expression is a literal (no variables, calls or interpolation), so its value is known now. */
export function isLiteral(e: Expr): boolean {
  switch (e.kind) {
    case 'number':
    case 'duration':
    case 'bool':
    case 'null':
      return true;
    case 'string':
      return plainText(e) !== undefined;
    case 'array':
      return e.items.every(isLiteral);
    case 'object':
      return e.entries.every((x) => isLiteral(x.value));
    case 'var':
    case 'member':
    case 'index':
    case 'unary':
    case 'binary':
    case 'call':
      return false;
  }
}

/** The JSON value of a literal expression (see isLiteral). */
export function literalValue(e: Expr): unknown {
  switch (e.kind) {
    case 'number':
    case 'bool':
      return e.value;
    case 'duration':
      return e.ms;
    case 'null':
      return null;
    case 'string':
      return plainText(e);
    case 'array':
      return e.items.map(literalValue);
    case 'object':
      return Object.fromEntries(e.entries.map((x) => [x.key, literalValue(x.value)]));
    case 'var':
    case 'member':
    case 'index':
    case 'unary':
    case 'binary':
    case 'call':
      return undefined;
  }
}
