import { describe, expect, it } from 'vitest';
import { parseExpression } from '../index.js';
import { printExpr } from './print-expr.js';

function roundTrip(source: string): string {
  const r = parseExpression(source);
  expect(r.diagnostics).toEqual([]);
  return printExpr(r.expr!);
}

describe('printing expressions', () => {
  it('uses the fewest parentheses that keep the meaning', () => {
    expect(roundTrip('(a + b) * c')).toBe('(a + b) * c');
    expect(roundTrip('a + (b * c)')).toBe('a + b * c');
    expect(roundTrip('(a - b) - c')).toBe('a - b - c');
    expect(roundTrip('a - (b - c)')).toBe('a - (b - c)');
    expect(roundTrip('(a ?? b) ?? c')).toBe('a ?? b ?? c');
    expect(roundTrip('!(a && b) || c')).toBe('!(a && b) || c');
    expect(roundTrip('(a.b)[c]')).toBe('a.b[c]');
    expect(roundTrip('(a + b).c')).toBe('(a + b).c');
    expect(roundTrip('(-5).x')).toBe('(-5).x');
    expect(roundTrip('-(a + 1)')).toBe('-(a + 1)');
    expect(roundTrip('- -a')).toBe('- -a');
  });

  it('escapes strings so they parse back', () => {
    expect(roundTrip('"a\\"b\\\\c\\n\\t \\${x} ${y}"')).toBe('"a\\"b\\\\c\\n\\t \\${x} ${y}"');
    expect(roundTrip('{ "a b": 1, c: [1, 2.5, -0, 1e999] }')).toBe('{ "a b": 1, c: [1, 2.5, -0, 1e999] }');
  });

  it('prints durations as written and calls with their arguments', () => {
    expect(roundTrip('1m30s + len(x, "y")')).toBe('1m30s + len(x, "y")');
  });
});
