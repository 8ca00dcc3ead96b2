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

/**
 * One walk stack reused by every (non-reentrant) walk: compiling a big flow walks a lot of expressions. It keeps
 * its own depth, because emptying an array by `length = 0` or `pop()` frees or shrinks its storage, and every
 * walk would then allocate it again.
 */
class WalkStack {
  private readonly items: Array<Expr | undefined> = [];
  private depth = 0;
  push(e: Expr): void {
    this.items[this.depth++] = e;
  }
  pop(): Expr | undefined {
    if (this.depth === 0) return undefined;
    const e = this.items[--this.depth];
    this.items[this.depth] = undefined;
    return e;
  }
  clear(): void {
    while (this.depth > 0) this.items[--this.depth] = undefined;
  }
}

const SHARED = new WalkStack();

/** Functions whose first argument is probed, not used: `has(x, "k")`, `missing(x, [...])`. */
const PROBES = new Set(['has', 'missing']);

/** Push an expression's direct children onto `stack` (no closures: this runs for every expression node). */
function pushChildren(e: Expr, stack: WalkStack): void {
  switch (e.kind) {
    case 'string':
      for (const p of e.parts) if (typeof p !== 'string') stack.push(p);
      return;
    case 'member':
      stack.push(e.object);
      return;
    case 'index':
      stack.push(e.object);
      stack.push(e.index);
      return;
    case 'unary':
      stack.push(e.operand);
      return;
    case 'binary':
      stack.push(e.left);
      stack.push(e.right);
      return;
    case 'call':
      for (const a of e.args) stack.push(a);
      return;
    case 'object':
      for (const x of e.entries) stack.push(x.value);
      return;
    case 'array':
      for (const x of e.items) stack.push(x);
      return;
    case 'var':
    case 'number':
    case 'duration':
    case 'bool':
    case 'null':
      return;
  }
}

/** Check function calls and `config.x` reads in one expression. */
export function checkExpr(e: Expr, configs: ReadonlySet<string>, r: Reporter): void {
  const stack = SHARED;
  stack.clear();
  stack.push(e);
  for (let x = stack.pop(); x; x = stack.pop()) {
    if (x.kind === 'call') {
      const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, x.fn) ? FUNCTIONS[x.fn] : undefined;
      if (!fn)
        r.error(
          Code.unknownFunction,
          `unknown function '${x.fn}'${didYouMean(x.fn, Object.keys(FUNCTIONS))}`,
          x.fnRange,
        );
      else {
        const max = fn.variadic ? Infinity : fn.params.length;
        const min = fn.params.length - (fn.optional ?? 0);
        const n = x.args.length;
        if (n < min || n > max) {
          const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
          r.error(
            Code.functionArity,
            `${fn.name}(${fn.params.join(', ')}) takes ${want} argument${want === '1' ? '' : 's'}, not ${n}`,
            x.range,
          );
        }
      }
    } else if (
      x.kind === 'member' &&
      x.object.kind === 'var' &&
      x.object.name === 'config' &&
      !configs.has(x.name)
    ) {
      r.warning(
        Code.unknownConfig,
        `config '${x.name}' is not declared in this flow${didYouMean(x.name, configs)}`,
        x.range,
        {
          hint: `declare it with \`config ${x.name}\` (optionally \`= default\`) so deployments know to set it`,
        },
      );
    }
    pushChildren(x, stack);
  }
}

/** The root variable of a path expression (`a`, `a.b`, `a[0].c`), if it is one. */
function pathRoot(e: Expr): Extract<Expr, { kind: 'var' }> | undefined {
  let x = e;
  while (x.kind === 'member' || x.kind === 'index') x = x.object;
  return x.kind === 'var' ? x : undefined;
}

/** Push the index expressions inside a path (`a[i].b` → i): real reads even when the path is probed. */
function pushIndexes(e: Expr, stack: WalkStack): void {
  let x = e;
  while (x.kind === 'member' || x.kind === 'index') {
    if (x.kind === 'index') stack.push(x.index);
    x = x.object;
  }
}

/**
 * The variables an expression reads, skipping guarded reads: the left side of `??`, the probed argument of
 * has()/missing(), and a side compared with `null`. `bound` names are defined by the context (e.g. `response`).
 */
export function collectReads(e: Expr, out: VarRead[], bound?: ReadonlySet<string>): void {
  const stack = SHARED;
  stack.clear();
  stack.push(e);
  for (let x = stack.pop(); x; x = stack.pop()) {
    switch (x.kind) {
      case 'var':
        if (!bound?.has(x.name)) out.push({ name: x.name, range: x.range });
        continue;
      case 'binary': {
        const guardLeft = x.op === '??' || ((x.op === '==' || x.op === '!=') && x.right.kind === 'null');
        const guardRight = (x.op === '==' || x.op === '!=') && x.left.kind === 'null';
        if (guardLeft && pathRoot(x.left)) pushIndexes(x.left, stack);
        else stack.push(x.left);
        if (guardRight && pathRoot(x.right)) pushIndexes(x.right, stack);
        else stack.push(x.right);
        continue;
      }
      case 'call': {
        const first = x.args[0];
        const probed = first !== undefined && PROBES.has(x.fn) && pathRoot(first) !== undefined;
        if (probed) pushIndexes(first, stack);
        for (let i = probed ? 1 : 0; i < x.args.length; i++) stack.push(x.args[i]!);
        continue;
      }
      case 'string':
      case 'number':
      case 'duration':
      case 'bool':
      case 'null':
      case 'member':
      case 'index':
      case 'unary':
      case 'object':
      case 'array':
        pushChildren(x, stack);
    }
  }
}
