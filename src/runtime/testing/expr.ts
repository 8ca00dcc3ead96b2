/** Builders for expression ASTs in runtime tests (the parser is another layer's). */
import type { BinaryOp, Expr } from '../../language/ast.js';
import type { SourceRange } from '../../language/diagnostics.js';

/** A range on line `line` (0-based) of `file`. */
export function at(line = 0, character = 0, file = 'test.flow'): SourceRange {
  return { file, start: { line, character }, end: { line, character: character + 1 } };
}

const R = at();

/** Expression builders. */
export const x = {
  num: (value: number): Expr => ({ kind: 'number', value, range: R }),
  str: (...parts: Array<string | Expr>): Expr => ({ kind: 'string', parts, range: R }),
  bool: (value: boolean): Expr => ({ kind: 'bool', value, range: R }),
  nil: (): Expr => ({ kind: 'null', range: R }),
  dur: (ms: number): Expr => ({ kind: 'duration', ms, text: `${ms}ms`, range: R }),
  v: (dotted: string): Expr => {
    const [root, ...rest] = dotted.split('.');
    let e: Expr = { kind: 'var', name: root ?? '', range: R };
    for (const name of rest) e = { kind: 'member', object: e, name, range: R };
    return e;
  },
  idx: (object: Expr, index: Expr): Expr => ({ kind: 'index', object, index, range: R }),
  not: (operand: Expr): Expr => ({ kind: 'unary', op: '!', operand, range: R }),
  neg: (operand: Expr): Expr => ({ kind: 'unary', op: '-', operand, range: R }),
  bin: (op: BinaryOp, left: Expr, right: Expr, range: SourceRange = R): Expr => ({ kind: 'binary', op, left, right, range }),
  call: (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, fnRange: R, args, range: R }),
  obj: (entries: Record<string, Expr>): Expr => ({
    kind: 'object',
    entries: Object.entries(entries).map(([key, value]) => ({ key, keyRange: R, value })),
    range: R,
  }),
  arr: (...items: Expr[]): Expr => ({ kind: 'array', items, range: R }),
};

/** A JSON value as an expression. */
export function lit(v: unknown): Expr {
  if (v === null || v === undefined) return x.nil();
  if (typeof v === 'number') return x.num(v);
  if (typeof v === 'boolean') return x.bool(v);
  if (typeof v === 'string') return x.str(v);
  if (Array.isArray(v)) return x.arr(...v.map(lit));
  return x.obj(Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, e]) => [k, lit(e)])));
}
