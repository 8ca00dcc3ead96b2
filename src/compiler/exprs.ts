/**
 * Walking expressions: calls into the function library (name and arity), `config.x` against the declared
 * configs, and the variables an expression reads (for the dataflow check).
 */
import { FUNCTIONS } from '../catalog/index.js';
import type { Expr } from '../language/ast.js';
import type { SourceRange } from '../language/diagnostics.js';
import { Code } from './codes.js';
import type { Reporter } from './report.js';
import { didYouMean } from './suggest.js';

/** A variable read: the root name of a path such as `room.channel`. */
export interface VarRead {
  name: string;
  range: SourceRange;
}

/** Functions whose first argument is probed, not used: `has(x, "k")`, `missing(x, [...])`. */
const PROBES = new Set(['has', 'missing']);

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'string':
      return e.parts.filter((p): p is Expr => typeof p !== 'string');
    case 'member':
      return [e.object];
    case 'index':
      return [e.object, e.index];
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return e.args;
    case 'object':
      return e.entries.map((x) => x.value);
    case 'array':
      return e.items;
    default:
      return [];
  }
}

/** Check function calls and `config.x` reads in one expression. */
export function checkExpr(e: Expr, configs: ReadonlySet<string>, r: Reporter): void {
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x; x = stack.pop()) {
    if (x.kind === 'call') {
      const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, x.fn) ? FUNCTIONS[x.fn] : undefined;
      if (!fn) r.error(Code.unknownFunction, `unknown function '${x.fn}'${didYouMean(x.fn, Object.keys(FUNCTIONS))}`, x.fnRange);
      else {
        const max = fn.variadic ? Infinity : fn.params.length;
        const min = fn.params.length - (fn.optional ?? 0);
        const n = x.args.length;
        if (n < min || n > max) {
          const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
          r.error(Code.functionArity, `${fn.name}(${fn.params.join(', ')}) takes ${want} argument${want === '1' ? '' : 's'}, not ${n}`, x.range);
        }
      }
    } else if (x.kind === 'member' && x.object.kind === 'var' && x.object.name === 'config' && !configs.has(x.name)) {
      r.warning(Code.unknownConfig, `config '${x.name}' is not declared in this flow${didYouMean(x.name, configs)}`, x.range, {
        hint: `declare it with \`config ${x.name}\` (optionally \`= default\`) so deployments know to set it`,
      });
    }
    for (const c of children(x)) stack.push(c);
  }
}

/** The root variable of a path expression (`a`, `a.b`, `a[0].c`), if it is one. */
function pathRoot(e: Expr): Extract<Expr, { kind: 'var' }> | undefined {
  let x = e;
  while (x.kind === 'member' || x.kind === 'index') x = x.object;
  return x.kind === 'var' ? x : undefined;
}

/** Index expressions inside a path (`a[i].b` → [i]), which are real reads even when the path is probed. */
function pathIndexes(e: Expr): Expr[] {
  const out: Expr[] = [];
  let x = e;
  while (x.kind === 'member' || x.kind === 'index') {
    if (x.kind === 'index') out.push(x.index);
    x = x.object;
  }
  return out;
}

/**
 * The variables an expression reads, skipping guarded reads: the left side of `??`, the probed argument of
 * has()/missing(), and a side compared with `null`. `bound` names are defined by the context (e.g. `response`).
 */
export function collectReads(e: Expr, out: VarRead[], bound?: ReadonlySet<string>): void {
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x; x = stack.pop()) {
    switch (x.kind) {
      case 'var':
        if (!bound?.has(x.name)) out.push({ name: x.name, range: x.range });
        continue;
      case 'binary': {
        const guardLeft = x.op === '??' || ((x.op === '==' || x.op === '!=') && x.right.kind === 'null');
        const guardRight = (x.op === '==' || x.op === '!=') && x.left.kind === 'null';
        if (guardLeft && pathRoot(x.left)) stack.push(...pathIndexes(x.left));
        else stack.push(x.left);
        if (guardRight && pathRoot(x.right)) stack.push(...pathIndexes(x.right));
        else stack.push(x.right);
        continue;
      }
      case 'call': {
        const [first, ...rest] = x.args;
        if (first && PROBES.has(x.fn) && pathRoot(first)) stack.push(...pathIndexes(first), ...rest);
        else stack.push(...x.args);
        continue;
      }
      default:
        stack.push(...children(x));
    }
  }
}
