/**
 * The function library declared in src/catalog/functions.ts. Text parameters accept text, numbers and
 * booleans (as text) and reject null, lists and objects, so a missing value surfaces as an error at its source
 * range instead of silently becoming "null". Impure functions draw time and randomness from the FunctionEnv.
 */
import type { Random } from './random.js';
import { isRecord, toText, typeName, valueEquals } from './values.js';

/** Time and randomness for the impure functions (a simulated clock and a seeded Random in simulations). */
export interface FunctionEnv {
  now(): number;
  random: Random;
}

/** A misuse of a library function; the evaluator turns it into an EvalError at the call's range. */
export class FnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FnError';
  }
}

/** A library function's implementation. */
export type FunctionImpl = (args: unknown[], env: FunctionEnv) => unknown;

function text(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new FnError(`${what} must be text, got ${typeName(v)}`);
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new FnError(`${what} must be a whole number, got ${typeName(v)}`);
  return v;
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new FnError(`${what} must be a list, got ${typeName(v)}`);
  return v;
}

function onlyDigits(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

/** E.164: keep a leading + or 00, else strip a trunk 0 and prefix the country code when the number is national. */
function e164(raw: string, country: string): string {
  const s = raw.trim();
  if (s.startsWith('+')) return `+${onlyDigits(s)}`;
  const d = onlyDigits(s);
  if (d.startsWith('00')) return `+${d.slice(2)}`;
  if (d.startsWith('0')) return `+${country}${d.slice(1)}`;
  if (d.length > 10 || (country === '1' && d.length === 11)) return `+${d}`;
  return `+${country}${d}`;
}

function displayNumber(raw: string): string {
  const e = e164(raw, '1');
  const d = e.slice(1);
  if (d.length === 11 && d.startsWith('1')) return `+1 (${d.slice(1, 4)}) ${d.slice(4, 7)} ${d.slice(7)}`;
  return e;
}

const regexCache = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    if (pattern.length > 500) throw new FnError('pattern is longer than 500 characters');
    try {
      re = new RegExp(pattern, 'u');
    } catch (err) {
      throw new FnError(`invalid pattern: ${(err as Error).message}`);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

function uuid(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(r() * 4) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The implementations, by name (every FUNCTIONS entry; a test checks the two agree). */
export const FUNCTION_IMPLS: Readonly<Record<string, FunctionImpl>> = {
  len: ([v]) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isRecord(v)) return Object.keys(v).length;
    throw new FnError(`expects text, a list or an object, got ${typeName(v)}`);
  },
  lower: ([v]) => text(v, 'text').toLowerCase(),
  upper: ([v]) => text(v, 'text').toUpperCase(),
  trim: ([v]) => text(v, 'text').trim(),
  digits: ([v]) => onlyDigits(text(v, 'text')),
  e164: ([n, c]) => e164(text(n, 'number'), c === undefined || c === null ? '1' : onlyDigits(text(c, 'country'))),
  display_number: ([n]) => displayNumber(text(n, 'number')),
  random_digits: ([n], env) => {
    const count = int(n, 'count');
    if (count < 0 || count > 1000) throw new FnError('count must be between 0 and 1000');
    let out = '';
    for (let i = 0; i < count; i++) out += String(Math.floor(env.random.next() * 10));
    return out;
  },
  random_int: ([a, b], env) => {
    const min = int(a, 'min');
    const max = int(b, 'max');
    if (min > max) throw new FnError(`min (${min}) is greater than max (${max})`);
    return min + Math.floor(env.random.next() * (max - min + 1));
  },
  pick: ([l], env) => {
    const items = list(l, 'list');
    return items.length === 0 ? null : (items[Math.floor(env.random.next() * items.length)] ?? null);
  },
  uuid: (_args, env) => uuid(() => env.random.next()),
  now: (_args, env) => env.now(),
  iso_time: ([ms], env) => {
    const t = ms === undefined || ms === null ? env.now() : ms;
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new FnError(`ms must be a number, got ${typeName(t)}`);
    return new Date(t).toISOString();
  },
  format: ([tpl, ...rest]) =>
    text(tpl, 'template').replace(/\{(\d+)\}/g, (m, i: string) => {
      const n = Number(i);
      return n < rest.length ? toText(rest[n]) : m;
    }),
  contains: ([h, n]) => {
    if (Array.isArray(h)) return h.some((x) => valueEquals(x, n));
    return text(h, 'haystack').includes(text(n, 'needle'));
  },
  starts_with: ([t, p]) => text(t, 'text').startsWith(text(p, 'prefix')),
  ends_with: ([t, s]) => text(t, 'text').endsWith(text(s, 'suffix')),
  replace: ([t, f, w]) => {
    const find = text(f, 'find');
    return find === '' ? text(t, 'text') : text(t, 'text').split(find).join(text(w, 'with'));
  },
  split: ([t, s]) => text(t, 'text').split(text(s, 'separator')),
  join: ([l, s]) => list(l, 'list').map(toText).join(s === undefined || s === null ? ',' : text(s, 'separator')),
  substr: ([t, s, n]) => {
    const str = text(t, 'text');
    let start = int(s, 'start');
    if (start < 0) start = Math.max(0, str.length + start);
    if (n === undefined || n === null) return str.slice(start);
    const len = int(n, 'length');
    return len <= 0 ? '' : str.slice(start, start + len);
  },
  before: ([t, s]) => {
    const str = text(t, 'text');
    const i = str.indexOf(text(s, 'separator'));
    return i < 0 ? str : str.slice(0, i);
  },
  after: ([t, s]) => {
    const str = text(t, 'text');
    const sep = text(s, 'separator');
    const i = str.indexOf(sep);
    return i < 0 ? '' : str.slice(i + sep.length);
  },
  number: ([v]) => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'string' && v.trim() !== '') {
      const n = Number(v.trim());
      return Number.isFinite(n) ? n : null;
    }
    return null;
  },
  string: ([v]) => toText(v),
  keys: ([o]) => {
    if (!isRecord(o)) throw new FnError(`expects an object, got ${typeName(o)}`);
    return Object.keys(o);
  },
  has: ([o, k]) => {
    if (!isRecord(o)) return false;
    const key = text(k, 'key');
    return Object.prototype.hasOwnProperty.call(o, key) && o[key] !== null && o[key] !== undefined;
  },
  missing: ([o, ks]) => {
    const names = list(ks, 'keys').map((k) => text(k, 'key'));
    const obj = isRecord(o) ? o : {};
    return names.filter((k) => {
      const v = Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
      return v === undefined || v === null || v === '';
    });
  },
  matches: ([t, p]) => {
    const str = text(t, 'text');
    if (str.length > 10_000) throw new FnError('text is longer than 10000 characters');
    return regex(text(p, 'pattern')).test(str);
  },
  base64: ([t]) => Buffer.from(text(t, 'text'), 'utf8').toString('base64'),
};
