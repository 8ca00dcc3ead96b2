/**
 * Variables read before they are assigned. A forward "definitely assigned" dataflow over the statement graph
 * (bitsets, intersection at joins): built-in roots and the entry's declared fields are assigned at the start;
 * `set` and `into` assign. A name assigned nowhere is an error (usually a typo); one assigned on some paths but
 * not all that reach the read is a warning. Guarded reads (`x ?? d`, `has(x, ...)`, `x == null`) are not counted.
 */
import { BUILTIN_ROOTS } from '../catalog/index.js';
import { Code } from './codes.js';
import { collectReads, type VarRead } from './exprs.js';
import type { FlowGraph, GraphNode } from './graph.js';
import type { EntryIr } from './ir.js';
import type { Reporter } from './report.js';
import { didYouMean } from './suggest.js';

const RESPONSE: ReadonlySet<string> = new Set(['response']);

function readsOf(n: GraphNode): VarRead[] {
  const out: VarRead[] = [];
  const st = n.st;
  switch (st.op) {
    case 'step':
      for (const name in st.args)
        collectReads(st.args[name]!, out, st.step === 'lookup' && name === 'map' ? RESPONSE : undefined);
      break;
    case 'set':
      collectReads(st.value, out);
      break;
    case 'if':
      collectReads(st.cond, out);
      break;
    case 'switch':
      collectReads(st.subject, out);
      for (const c of st.cases) for (const v of c.values) collectReads(v, out);
      break;
    case 'goto':
      break;
  }
  return out;
}

function assigned(n: GraphNode): string | undefined {
  const st = n.st;
  if (st.op === 'set') return st.target[0];
  if (st.op === 'step' && st.into !== undefined) return st.into.split('.')[0];
  return undefined;
}

function entryFields(e: EntryIr): string[] {
  return e.kind === 'http'
    ? e.request.map((f) => f.name)
    : e.kind === 'start'
      ? e.params.map((f) => f.name)
      : [];
}

/** Nodes reachable from `starts` in reverse postorder (iterative DFS). */
function reversePostorder(g: FlowGraph, starts: readonly number[]): number[] {
  const seen = new Uint8Array(g.nodes.length);
  const order: number[] = [];
  const nodeStack: number[] = [];
  const edgeStack: number[] = [];
  for (const s of starts) {
    if (seen[s]) continue;
    seen[s] = 1;
    nodeStack.push(s);
    edgeStack.push(0);
    while (nodeStack.length > 0) {
      const top = nodeStack.length - 1;
      const node = nodeStack[top]!;
      const out = g.nodes[node]!.out;
      const i = edgeStack[top]!;
      if (i < out.length) {
        edgeStack[top] = i + 1;
        const to = out[i]!.to;
        if (typeof to === 'number' && !seen[to]) {
          seen[to] = 1;
          nodeStack.push(to);
          edgeStack.push(0);
        }
      } else {
        nodeStack.pop();
        edgeStack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

/** Run the dataflow and report reads of unassigned variables. */
export function checkVars(g: FlowGraph, r: Reporter): void {
  const index = new Map<string, number>();
  const add = (name: string): void => {
    if (!index.has(name)) index.set(name, index.size);
  };
  for (const b of BUILTIN_ROOTS) add(b);
  for (const e of g.entryEdges.keys()) entryFields(e).forEach(add);
  const gens = g.nodes.map((n) => {
    const a = assigned(n);
    if (a !== undefined) add(a);
    return a === undefined ? -1 : index.get(a)!;
  });
  const W = Math.max(1, Math.ceil(index.size / 32));
  const n = g.nodes.length;
  const IN = new Uint32Array(n * W);
  const visited = new Uint8Array(n);
  const meet = (target: number, src: Uint32Array): boolean => {
    const base = target * W;
    if (!visited[target]) {
      visited[target] = 1;
      for (let w = 0; w < W; w++) IN[base + w] = src[w]!;
      return true;
    }
    let changed = false;
    for (let w = 0; w < W; w++) {
      const v = (IN[base + w]! & src[w]!) >>> 0;
      if (v !== IN[base + w]) {
        IN[base + w] = v;
        changed = true;
      }
    }
    return changed;
  };
  const starts: number[] = [];
  for (const [e, edges] of g.entryEdges) {
    const init = new Uint32Array(W);
    for (const name of [...BUILTIN_ROOTS, ...entryFields(e)]) {
      const i = index.get(name)!;
      init[i >>> 5]! |= 1 << (i & 31);
    }
    for (const edge of edges) {
      if (typeof edge.to !== 'number') continue;
      meet(edge.to, init);
      starts.push(edge.to);
    }
  }
  // Rounds in reverse postorder: a must-analysis converges in a few passes (loop nesting depth + 2).
  const order = reversePostorder(g, starts);
  const out = new Uint32Array(W);
  for (let changed = true; changed;) {
    changed = false;
    for (const id of order) {
      for (let w = 0; w < W; w++) out[w] = IN[id * W + w]!;
      const gen = gens[id]!;
      if (gen >= 0) out[gen >>> 5]! |= 1 << (gen & 31);
      for (const edge of g.nodes[id]!.out)
        if (typeof edge.to === 'number' && meet(edge.to, out)) changed = true;
    }
  }
  const names = [...index.keys()];
  for (const node of g.nodes) {
    for (const read of readsOf(node)) {
      const i = index.get(read.name);
      if (i === undefined) {
        r.error(
          Code.undefinedVariable,
          `'${read.name}' is never assigned${didYouMean(read.name, names)}`,
          read.range,
          {
            hint: `assign it first with \`set ${read.name} = ...\` or a step's \`into ${read.name}\``,
          },
        );
      } else if (visited[node.id] && !((IN[node.id * W + (i >>> 5)]! >>> (i & 31)) & 1)) {
        r.warning(
          Code.maybeUnassigned,
          `'${read.name}' may be read before it is assigned: some path here does not assign it`,
          read.range,
          {
            hint: `assign it on every path (e.g. \`set ${read.name} = null\` earlier), or read it as \`${read.name} ?? default\``,
          },
        );
      }
    }
  }
}
