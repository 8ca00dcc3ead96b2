/**
 * Value semantics shared by the evaluator and the function library: how values become text, what is truthy,
 * and value equality. Flow values are JSON-like: null, boolean, number, string, array, plain object.
 */

/** The name of a value's type, in the flow author's words (for error messages). */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'string') return 'text';
  return typeof v;
}

/** A value as text: null → "", strings as they are, objects and lists as JSON. */
export function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '[unprintable]';
  }
}

/** Truthiness as in JavaScript: null, false, 0, NaN and "" are false; every list and object is true. */
export function truthy(v: unknown): boolean {
  return !!v;
}

/** Deep value equality without coercion (1 != "1"); null and undefined are the same value. */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  const arrA = Array.isArray(a);
  if (arrA !== Array.isArray(b)) return false;
  if (arrA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!valueEquals(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x).filter((k) => x[k] !== undefined);
  const ky = Object.keys(y).filter((k) => y[k] !== undefined);
  if (kx.length !== ky.length) return false;
  for (const k of kx) if (!valueEquals(x[k], y[k])) return false;
  return true;
}

/** True for a plain object (not a list, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own property read that never reaches the prototype (`constructor`, `__proto__`); missing → null. */
export function ownProp(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null) return null;
  if (Array.isArray(o)) return null;
  if (!Object.prototype.hasOwnProperty.call(o, key)) return null;
  const v = (o as Record<string, unknown>)[key];
  return v === undefined ? null : v;
}
