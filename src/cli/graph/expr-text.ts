/** Short, one-line renderings of expressions and entries for graph labels (not a formatter: long text is cut). */
import type { Expr } from '../../language/ast.js';
import type { EntryIr } from '../../compiler/ir.js';

const MAX = 40;

function clip(text: string, max = MAX): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function inner(e: Expr): string {
  switch (e.kind) {
    case 'string':
      return `"${e.parts.map((p) => (typeof p === 'string' ? p : `\${${inner(p)}}`)).join('')}"`;
    case 'number':
      return String(e.value);
    case 'duration':
      return e.text;
    case 'bool':
      return String(e.value);
    case 'null':
      return 'null';
    case 'var':
      return e.name;
    case 'member':
      return `${inner(e.object)}.${e.name}`;
    case 'index':
      return `${inner(e.object)}[${inner(e.index)}]`;
    case 'unary':
      return `${e.op}${inner(e.operand)}`;
    case 'binary':
      return `${inner(e.left)} ${e.op} ${inner(e.right)}`;
    case 'call':
      return `${e.fn}(${e.args.map(inner).join(', ')})`;
    case 'object':
      return `{ ${e.entries.map((x) => `${x.key}: ${inner(x.value)}`).join(', ')} }`;
    case 'array':
      return `[${e.items.map(inner).join(', ')}]`;
  }
}

/** An expression as `.flow` would write it, cut to `max` characters. */
export function exprText(e: Expr, max = MAX): string {
  return clip(inner(e), max);
}

/** `on call to "+15550100"`, `on http POST /x`, `on start (to, channel)`. */
export function entryText(entry: EntryIr): string {
  switch (entry.kind) {
    case 'call': {
      const m = entry.matchers.map((x) => `${x.field} "${x.pattern}"`).join(' ');
      return clip(m ? `on call ${m}` : 'on call');
    }
    case 'http':
      return clip(`on http ${entry.method} ${entry.path}`);
    case 'start':
      return clip(`on start (${entry.params.map((p) => p.name).join(', ')})`);
  }
}
