/**
 * The statement graph the checks walk: one node per statement, edges for every way control can leave it.
 * Built once from the IR in linear time; nodes are numbered so analyses can use arrays and bitsets.
 */
import { getStep, type StepDecl } from '../catalog/index.js';
import type { SourceRange } from '../language/diagnostics.js';
import type { EntryIr, FlowIr, StatementIr, TransitionIr } from './ir.js';

/**
 * Where an edge leads: a node, the end of the session, off the end of a state (`continue` after its last
 * statement), into an empty state, or to a state that does not exist.
 */
export type EdgeTarget = number | 'end' | 'falloff' | 'empty' | 'missing';

/** One way out of a statement. `bounded`: taken at most `max` times (the `then` side of `max N`). */
export interface Edge {
  to: EdgeTarget;
  bounded: boolean;
  /** Where the transition was written (for messages about where a path ends). */
  range: SourceRange;
}

/** A statement node. */
export interface GraphNode {
  id: number;
  state: string;
  index: number;
  st: StatementIr;
  decl: StepDecl | undefined;
  out: Edge[];
}

/** The graph of one flow. */
export interface FlowGraph {
  nodes: GraphNode[];
  /** First node of each state; 'empty' for an empty state. */
  stateStart: ReadonlyMap<string, number | 'empty'>;
  /** Entry edges, per entry (the `to` transition and, for http, the `invalid` one). */
  entryEdges: ReadonlyMap<EntryIr, Edge[]>;
}

/** Build the statement graph of a flow. */
export function buildGraph(ir: FlowIr): FlowGraph {
  const nodes: GraphNode[] = [];
  const stateStart = new Map<string, number | 'empty'>();
  for (const [name, s] of Object.entries(ir.states)) {
    stateStart.set(name, s.body.length > 0 ? nodes.length : 'empty');
    s.body.forEach((st, index) => {
      nodes.push({
        id: nodes.length,
        state: name,
        index,
        st,
        decl: st.op === 'step' ? getStep(st.step) : undefined,
        out: [],
      });
    });
  }
  const flat = (
    t: TransitionIr,
    from: GraphNode | undefined,
    range: SourceRange,
    bounded: boolean,
    out: Edge[],
  ): void => {
    switch (t.kind) {
      case 'goto':
        out.push({ to: stateStart.get(t.state) ?? 'missing', bounded, range: t.range });
        return;
      case 'end':
        out.push({ to: 'end', bounded, range: t.range ?? range });
        return;
      case 'continue': {
        const next = from && nodes[from.id + 1];
        out.push({ to: from && next && next.state === from.state ? next.id : 'falloff', bounded, range });
        return;
      }
      case 'bounded':
        flat(t.then, from, t.range, true, out);
        flat(t.else, from, t.range, bounded, out);
        return;
    }
  };
  for (const n of nodes) {
    const st = n.st;
    const range = st.range;
    switch (st.op) {
      case 'step': {
        const ts = Object.values(st.outcomes);
        for (const t of ts) flat(t, n, range, false, n.out);
        // An unknown step (already an error) is assumed to continue, so it does not hide later problems.
        if (!n.decl) flat({ kind: 'continue' }, n, range, false, n.out);
        else if (n.decl.terminal || ts.length === 0) n.out.push({ to: 'end', bounded: false, range });
        break;
      }
      case 'set':
        flat({ kind: 'continue' }, n, range, false, n.out);
        break;
      case 'if':
        flat(st.then, n, range, false, n.out);
        flat(st.else, n, range, false, n.out);
        break;
      case 'switch':
        for (const c of st.cases) flat(c.to, n, range, false, n.out);
        flat(st.default, n, range, false, n.out);
        break;
      case 'goto':
        flat(st.to, n, range, false, n.out);
        break;
    }
  }
  const entryEdges = new Map<EntryIr, Edge[]>();
  for (const e of ir.entries) {
    const out: Edge[] = [];
    flat(e.to, undefined, e.range, false, out);
    if (e.kind === 'http' && e.invalid) flat(e.invalid, undefined, e.range, false, out);
    entryEdges.set(e, out);
  }
  return { nodes, stateStart, entryEdges };
}

/** Every node reachable from the given edges. */
export function reachableFrom(g: FlowGraph, edges: readonly Edge[]): Uint8Array {
  const seen = new Uint8Array(g.nodes.length);
  const stack: number[] = [];
  for (const e of edges) {
    if (typeof e.to === 'number' && !seen[e.to]) {
      seen[e.to] = 1;
      stack.push(e.to);
    }
  }
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    for (const e of g.nodes[n]!.out) {
      if (typeof e.to === 'number' && !seen[e.to]) {
        seen[e.to] = 1;
        stack.push(e.to);
      }
    }
  }
  return seen;
}
