/**
 * Expressions back to `.flow` source: minimal parentheses (by the parser's precedence table, all binary operators
 * left-associative) and strings escaped so they parse back to the same AST.
 */
import type { BinaryOp, Expr, StringExpr, TypeAst } from '../ast.js';

const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '??': 1,
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
};
const UNARY = 8;
const POSTFIX = 9;

const WORD = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*$/;

/** How tightly an expression binds when printed (higher binds tighter). */
function precedence(e: Expr): number {
  if (e.kind === 'binary') return PRECEDENCE[e.op];
  if (e.kind === 'unary') return UNARY;
  // A negative literal prints with a leading `-`, so it binds like a unary minus.
  if (e.kind === 'number') return e.value < 0 || Object.is(e.value, -0) ? UNARY : POSTFIX;
  if (e.kind === 'duration') return e.ms < 0 || e.text.startsWith('-') ? UNARY : POSTFIX;
  return POSTFIX;
}

/** A number as the lexer reads it back (`-0` and infinities included). */
export function printNumber(n: number): string {
  if (Object.is(n, -0)) return '-0';
  if (n === Infinity) return '1e999';
  if (n === -Infinity) return '-1e999';
  return String(n);
}

/** Escape text for a `.flow` string literal; `$` before `{` is escaped so it is not an interpolation. */
export function escapeText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\0') out += '\\0';
    else if (c === '$' && s[i + 1] === '{') out += '\\$';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029)
      out += `\\u{${code.toString(16)}}`;
    else out += c;
  }
  return out;
}

/** A string expression as a `.flow` literal, interpolations included. */
export function printString(e: StringExpr): string {
  return `"${e.parts.map((p) => (typeof p === 'string' ? escapeText(p) : `\${${printExpr(p)}}`)).join('')}"`;
}

/** Plain text as a `.flow` string literal (doc strings, literal types, object keys). */
export function quote(s: string): string {
  return `"${escapeText(s)}"`;
}

function wrap(e: Expr, min: number): string {
  const s = printExpr(e);
  return precedence(e) < min ? `(${s})` : s;
}

/** An expression in `.flow` syntax. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'string':
      return printString(e);
    case 'number':
      return printNumber(e.value);
    case 'duration':
      return e.text;
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'var':
      return e.name;
    case 'member':
      return `${wrap(e.object, POSTFIX)}.${e.name}`;
    case 'index':
      return `${wrap(e.object, POSTFIX)}[${printExpr(e.index)}]`;
    case 'call':
      return `${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'unary': {
      const inner = wrap(e.operand, UNARY);
      // `- -x` rather than `--x` reads better; both lex the same.
      return e.op === '-' && inner.startsWith('-') ? `- ${inner}` : `${e.op}${inner}`;
    }
    case 'binary': {
      const p = PRECEDENCE[e.op];
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'object':
      if (e.entries.length === 0) return '{}';
      return `{ ${e.entries.map((en) => `${WORD.test(en.key) ? en.key : quote(en.key)}: ${printExpr(en.value)}`).join(', ')} }`;
    case 'array':
      return `[${e.items.map(printExpr).join(', ')}]`;
  }
}

/** The name an expression's printed form starts with, if it starts with a name (for the argument gates). */
export function leadingName(e: Expr): string | undefined {
  if (e.kind === 'var') return e.name;
  if (e.kind === 'call') return e.fn;
  if (e.kind === 'member' || e.kind === 'index')
    return precedence(e.object) < POSTFIX ? undefined : leadingName(e.object);
  if (e.kind === 'binary') return precedence(e.left) < PRECEDENCE[e.op] ? undefined : leadingName(e.left);
  return undefined;
}

/** A field type in `.flow` syntax. */
export function printType(t: TypeAst): string {
  switch (t.kind) {
    case 'base':
      return t.name;
    case 'literal':
      return quote(t.value);
    case 'union':
      return t.types.map(printType).join(' | ');
  }
}
