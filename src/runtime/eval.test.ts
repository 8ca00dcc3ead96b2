import { describe, expect, it } from 'vitest';
import { compileExpr, EvalError, type EvalScope } from './eval.js';
import { seededRandom } from './random.js';
import { at, lit, x } from './testing/expr.js';
import type { Expr } from '../language/ast.js';

function scope(vars: Record<string, unknown> = {}, extra?: Record<string, unknown>): EvalScope {
  return { vars: Object.assign(Object.create(null) as Record<string, unknown>, vars), extra, env: { now: () => 1_700_000_000_000, random: seededRandom(1) } };
}
const ev = (e: Expr, vars: Record<string, unknown> = {}, extra?: Record<string, unknown>): unknown => compileExpr(e)(scope(vars, extra));
const err = (e: Expr, vars: Record<string, unknown> = {}): EvalError => {
  try {
    ev(e, vars);
  } catch (caught) {
    if (caught instanceof EvalError) return caught;
    throw caught;
  }
  throw new Error('expected an EvalError');
};

describe('literals and variables', () => {
  it('evaluates literals, durations in ms, arrays and objects', () => {
    expect(ev(x.num(4))).toBe(4);
    expect(ev(x.bool(false))).toBe(false);
    expect(ev(x.nil())).toBeNull();
    expect(ev(x.dur(1500))).toBe(1500);
    expect(ev(x.arr(x.num(1), x.str('a')))).toEqual([1, 'a']);
    expect(ev(x.obj({ a: x.num(1), b: x.v('y') }), { y: 'z' })).toEqual({ a: 1, b: 'z' });
  });
  it('interpolates: null → "", objects as JSON', () => {
    const e = x.str('pin ', x.v('pin'), ' n=', x.v('n'), ' o=', x.v('o'), ' b=', x.v('b'));
    expect(ev(e, { pin: null, n: 3, o: { a: [1] }, b: true })).toBe('pin  n=3 o={"a":[1]} b=true');
    expect(ev(x.str())).toBe('');
  });
  it('reads missing variables and members as null, never throwing on null.x', () => {
    expect(ev(x.v('nope'))).toBeNull();
    expect(ev(x.v('a.b.c'), { a: null })).toBeNull();
    expect(ev(x.v('a.b.c'), { a: { b: { c: 7 } } })).toBe(7);
    expect(ev(x.v('a.length'), { a: [1, 2] })).toBeNull();
    expect(ev(x.v('a.constructor'), { a: {} })).toBeNull();
    expect(ev(x.v('constructor'))).toBeNull();
    expect(ev(x.v('s.length'), { s: 'abc' })).toBeNull();
  });
  it('indexes lists, texts and objects; out of range is null', () => {
    expect(ev(x.idx(x.v('l'), x.num(1)), { l: [5, 6] })).toBe(6);
    expect(ev(x.idx(x.v('l'), x.num(9)), { l: [5, 6] })).toBeNull();
    expect(ev(x.idx(x.v('l'), x.num(-1)), { l: [5, 6] })).toBeNull();
    expect(ev(x.idx(x.v('s'), x.num(0)), { s: 'hi' })).toBe('h');
    expect(ev(x.idx(x.v('o'), x.str('k')), { o: { k: 1 } })).toBe(1);
    expect(ev(x.idx(x.v('o'), x.str('toString')), { o: {} })).toBeNull();
    expect(ev(x.idx(x.v('o'), x.num(2)), { o: { 2: 'two' } })).toBe('two');
    expect(ev(x.idx(x.nil(), x.num(0)))).toBeNull();
  });
  it('lets extra bindings shadow session variables', () => {
    expect(ev(x.v('response.status'), { response: { status: 1 } }, { response: { status: 200 } })).toBe(200);
    expect(ev(x.v('other'), { other: 2 }, { response: 1 })).toBe(2);
  });
});

describe('operators', () => {
  it('+ concatenates when either side is text, adds numbers, joins lists', () => {
    expect(ev(x.bin('+', x.num(1), x.num(2)))).toBe(3);
    expect(ev(x.bin('+', x.str('a'), x.num(2)))).toBe('a2');
    expect(ev(x.bin('+', x.num(2), x.str('a')))).toBe('2a');
    expect(ev(x.bin('+', x.str('a'), x.nil()))).toBe('a');
    expect(ev(x.bin('+', lit([1]), lit([2])))).toEqual([1, 2]);
    expect(err(x.bin('+', x.num(1), x.nil())).message).toMatch(/cannot add number and null/);
  });
  it('arithmetic on numbers; division and modulo by zero are errors with the range', () => {
    expect(ev(x.bin('-', x.num(5), x.num(2)))).toBe(3);
    expect(ev(x.bin('*', x.num(5), x.num(2)))).toBe(10);
    expect(ev(x.bin('/', x.num(5), x.num(2)))).toBe(2.5);
    expect(ev(x.bin('%', x.num(5), x.num(2)))).toBe(1);
    const e = err(x.bin('/', x.num(1), x.num(0), at(11, 4)));
    expect(e.code).toBe('divide-by-zero');
    expect(e.range.start).toEqual({ line: 11, character: 4 });
    expect(err(x.bin('%', x.num(1), x.num(0))).code).toBe('divide-by-zero');
    expect(err(x.bin('*', x.str('a'), x.num(2))).code).toBe('type');
  });
  it('unary minus and not', () => {
    expect(ev(x.neg(x.num(3)))).toBe(-3);
    expect(err(x.neg(x.str('3'))).code).toBe('type');
    expect(ev(x.not(x.str('')))).toBe(true);
    expect(ev(x.not(lit([])))).toBe(false);
  });
  it('compares numbers and texts; mixed types are errors', () => {
    expect(ev(x.bin('<', x.num(1), x.num(2)))).toBe(true);
    expect(ev(x.bin('<=', x.num(2), x.num(2)))).toBe(true);
    expect(ev(x.bin('>', x.str('b'), x.str('a')))).toBe(true);
    expect(ev(x.bin('>=', x.num(1), x.num(2)))).toBe(false);
    expect(err(x.bin('<', x.num(1), x.str('2'))).code).toBe('type');
    expect(err(x.bin('<', x.nil(), x.num(2))).code).toBe('type');
  });
  it('== is deep value equality without coercion', () => {
    expect(ev(x.bin('==', x.num(1), x.str('1')))).toBe(false);
    expect(ev(x.bin('==', lit({ a: [1, { b: 2 }] }), lit({ a: [1, { b: 2 }] })))).toBe(true);
    expect(ev(x.bin('==', lit({ a: 1 }), lit({ a: 1, b: 2 })))).toBe(false);
    expect(ev(x.bin('==', x.v('missing'), x.nil()))).toBe(true);
    expect(ev(x.bin('!=', lit([1, 2]), lit([2, 1])))).toBe(true);
    expect(ev(x.bin('==', lit([]), lit({})))).toBe(false);
  });
  it('&& and || short-circuit and give booleans; ?? coalesces null only', () => {
    const boom = x.bin('/', x.num(1), x.num(0));
    expect(ev(x.bin('&&', x.num(0), boom))).toBe(false);
    expect(ev(x.bin('||', x.str('x'), boom))).toBe(true);
    expect(ev(x.bin('&&', x.num(1), x.str('y')))).toBe(true);
    expect(ev(x.bin('||', x.num(0), x.str('')))).toBe(false);
    expect(ev(x.bin('??', x.nil(), x.num(3)))).toBe(3);
    expect(ev(x.bin('??', x.num(0), x.num(3)))).toBe(0);
    expect(ev(x.bin('??', x.str(''), boom))).toBe('');
  });
});

describe('calls', () => {
  it('calls library functions and reports misuse at the call range', () => {
    expect(ev(x.call('len', x.str('abc')))).toBe(3);
    const e = err(x.call('len', x.num(5)));
    expect(e.code).toBe('function');
    expect(e.message).toMatch(/^len: /);
    expect(err(x.call('no_such_fn')).code).toBe('unknown-function');
  });
  it('compiles once per node', () => {
    const e = x.num(1);
    expect(compileExpr(e)).toBe(compileExpr(e));
  });
});
