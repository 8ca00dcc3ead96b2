import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../catalog/functions.js';
import { FnError, FUNCTION_IMPLS, type FunctionEnv } from './functions.js';
import { seededRandom } from './random.js';

const env = (seed = 7): FunctionEnv => ({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5), random: seededRandom(seed) });
function call(name: string, ...args: unknown[]): unknown {
  const f = FUNCTION_IMPLS[name];
  if (!f) throw new Error(`no ${name}`);
  return f(args, env());
}
const fails = (name: string, ...args: unknown[]): void => {
  expect(() => call(name, ...args)).toThrow(FnError);
};

describe('function library', () => {
  it('implements exactly the declared functions', () => {
    expect(Object.keys(FUNCTION_IMPLS).sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });
  it('len', () => {
    expect(call('len', 'abcd')).toBe(4);
    expect(call('len', [1, 2])).toBe(2);
    expect(call('len', { a: 1 })).toBe(1);
    fails('len', 5);
    fails('len', null);
  });
  it('text case, trim, digits', () => {
    expect(call('lower', 'AbC')).toBe('abc');
    expect(call('upper', 'abc')).toBe('ABC');
    expect(call('trim', '  x ')).toBe('x');
    expect(call('digits', '+1 (737) 758-3411')).toBe('17377583411');
    expect(call('digits', 42)).toBe('42');
    fails('lower', null);
    fails('upper', [1]);
  });
  it('e164 and display_number', () => {
    expect(call('e164', '(737) 758-3411')).toBe('+17377583411');
    expect(call('e164', '+44 20 7946 0958')).toBe('+442079460958');
    expect(call('e164', '0044 20 7946 0958')).toBe('+442079460958');
    expect(call('e164', '020 7946 0958', 44)).toBe('+442079460958');
    expect(call('e164', '1 737 758 3411')).toBe('+17377583411');
    expect(call('display_number', '+17377583411')).toBe('+1 (737) 758 3411');
    expect(call('display_number', '7377583411')).toBe('+1 (737) 758 3411');
    expect(call('display_number', '+442079460958')).toBe('+442079460958');
  });
  it('random functions are reproducible from the seed', () => {
    const a = FUNCTION_IMPLS.random_digits?.([6], env(3));
    const b = FUNCTION_IMPLS.random_digits?.([6], env(3));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9]{6}$/);
    const n = call('random_int', 3, 5) as number;
    expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    expect(call('random_int', 4, 4)).toBe(4);
    fails('random_int', 5, 3);
    fails('random_digits', 1.5);
    expect([1, 2, 3]).toContain(call('pick', [1, 2, 3]));
    expect(call('pick', [])).toBeNull();
    expect(call('uuid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(FUNCTION_IMPLS.uuid?.([], env(9))).toBe(FUNCTION_IMPLS.uuid?.([], env(9)));
  });
  it('now and iso_time use the injected clock', () => {
    expect(call('now')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(call('iso_time')).toBe('2026-01-02T03:04:05.000Z');
    expect(call('iso_time', 0)).toBe('1970-01-01T00:00:00.000Z');
    fails('iso_time', 'x');
  });
  it('format', () => {
    expect(call('format', '{0} has {1} {2}', 'ann', 3, null)).toBe('ann has 3 ');
    expect(call('format', '{0}{5}', 'a')).toBe('a{5}');
  });
  it('contains, starts_with, ends_with', () => {
    expect(call('contains', 'hello', 'ell')).toBe(true);
    expect(call('contains', [1, { a: 2 }], { a: 2 })).toBe(true);
    expect(call('contains', [1], '1')).toBe(false);
    expect(call('starts_with', 'lookup_x', 'lookup_')).toBe(true);
    expect(call('ends_with', 'file.wav', '.mp3')).toBe(false);
    fails('contains', null, 'x');
  });
  it('replace, split, join, substr, before, after', () => {
    expect(call('replace', 'a-b-c', '-', '+')).toBe('a+b+c');
    expect(call('replace', 'abc', '', 'x')).toBe('abc');
    expect(call('split', 'a,b', ',')).toEqual(['a', 'b']);
    expect(call('join', ['a', 1, null])).toBe('a,1,');
    expect(call('join', ['a', 'b'], ' ')).toBe('a b');
    expect(call('substr', 'abcdef', 2)).toBe('cdef');
    expect(call('substr', 'abcdef', 1, 2)).toBe('bc');
    expect(call('substr', 'abcdef', -2)).toBe('ef');
    expect(call('before', 'user@host', '@')).toBe('user');
    expect(call('before', 'user', '@')).toBe('user');
    expect(call('after', 'user@host', '@')).toBe('host');
    expect(call('after', 'user', '@')).toBe('');
    fails('join', 'ab');
  });
  it('number and string conversions', () => {
    expect(call('number', ' 42 ')).toBe(42);
    expect(call('number', 'x')).toBeNull();
    expect(call('number', '')).toBeNull();
    expect(call('number', true)).toBeNull();
    expect(call('number', 3.5)).toBe(3.5);
    expect(call('string', { a: 1 })).toBe('{"a":1}');
    expect(call('string', null)).toBe('');
    expect(call('string', 5)).toBe('5');
  });
  it('keys, has, missing', () => {
    expect(call('keys', { a: 1, b: 2 })).toEqual(['a', 'b']);
    fails('keys', [1]);
    expect(call('has', { a: 1, b: null }, 'a')).toBe(true);
    expect(call('has', { a: 1, b: null }, 'b')).toBe(false);
    expect(call('has', { a: 1 }, 'toString')).toBe(false);
    expect(call('has', null, 'a')).toBe(false);
    expect(call('missing', { a: 1, b: '', c: null }, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
    expect(call('missing', null, ['a'])).toEqual(['a']);
  });
  it('matches and base64', () => {
    expect(call('matches', '12345', '^[0-9]{5}$')).toBe(true);
    expect(call('matches', '12a45', '^[0-9]{5}$')).toBe(false);
    fails('matches', 'x', '(');
    expect(call('base64', 'user:pass')).toBe('dXNlcjpwYXNz');
  });
});
