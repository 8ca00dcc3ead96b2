/**
 * The picture of a compiled flow that every renderer draws: entry points, states (each listing its steps in
 * order) and labelled arrows for every routed outcome, condition, case and goto. Built from the IR, where
 * defaults are already resolved, so the graph shows what will really happen at run time.
 */
import { getStep } from '../../catalog/index.js';
import type { FlowIr, StatementIr, TransitionIr } from '../../compiler/ir.js';
import { entryText, exprText } from './expr-text.js';

/** The kinds of node a flow graph has. */
export const NodeKind = { entry: 'entry', state: 'state', end: 'end' } as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

/** A box in the picture. `lines` are the state's statements, one per line. */
export interface GraphNode {
  id: string;
  kind: NodeKind;
  title: string;
  lines: string[];
}

/** An arrow. `bounded` marks the `max N` side of a bounded transition, `fallback` its `else` side. */
export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  style: 'normal' | 'bounded' | 'fallback';
}

/** A flow as nodes and edges, in a stable order (entries, then states in IR order, then `end`). */
export interface FlowGraph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The id of the shared terminal node every `end` transition points at. */
export const END_NODE = '__end';

/** The node id of a state: state names are unique, and `state:` keeps them apart from entries and `end`. */
export function stateNodeId(state: string): string {
  return `state:${state}`;
}

function statementLine(s: StatementIr): string {
  switch (s.op) {
    case 'step': {
      const decl = getStep(s.step);
      const pos = decl?.args.find((a) => a.positional === true);
      const value = pos ? s.args[pos.name] : undefined;
      // Without a positional argument, the chosen member of a one-of group (`prompt say "..."`) says the most.
      const chosen = value ? undefined : decl?.oneOf?.flat().find((name) => s.args[name] !== undefined);
      const arg = value
        ? ` ${exprText(value, 24)}`
        : chosen
          ? ` ${chosen} ${exprText(s.args[chosen]!, 24)}`
          : '';
      return `${s.step}${arg}${s.into ? ` → ${s.into}` : ''}`;
    }
    case 'set':
      return `set ${s.target.join('.')} = ${exprText(s.value, 24)}`;
    case 'if':
      return `if ${exprText(s.cond, 30)}`;
    case 'switch':
      return `switch ${exprText(s.subject, 30)}`;
    case 'goto':
      return s.to.kind === 'goto'
        ? `-> ${s.to.state}`
        : s.to.kind === 'bounded'
          ? `-> … max ${s.to.max}`
          : '-> end';
  }
}

/** Every (label, transition) pair a statement can leave its state by. */
function exits(s: StatementIr): Array<[string, TransitionIr]> {
  switch (s.op) {
    case 'step': {
      const out = Object.entries(s.outcomes).map(([o, t]): [string, TransitionIr] => [
        `${s.step}: ${o === '*' ? 'other' : o}`,
        t,
      ]);
      // A terminal step (hangup) has no outcomes but ends the session: draw that as an arrow to `end`.
      if (getStep(s.step)?.terminal) out.push([s.step, { kind: 'end' }]);
      return out;
    }
    case 'set':
      return [];
    case 'if':
      return [
        [`if ${exprText(s.cond, 24)}`, s.then],
        ['else', s.else],
      ];
    case 'switch':
      return [
        ...s.cases.map((c): [string, TransitionIr] => [
          `case ${c.values.map((v) => exprText(v, 12)).join(', ')}`,
          c.to,
        ]),
        ['default', s.default],
      ];
    case 'goto':
      return [['', s.to]];
  }
}

function addTransition(
  from: string,
  label: string,
  t: TransitionIr,
  style: GraphEdge['style'],
  out: GraphEdge[],
): void {
  switch (t.kind) {
    case 'continue':
      return;
    case 'goto':
      out.push({ from, to: stateNodeId(t.state), label, style });
      return;
    case 'end':
      out.push({ from, to: END_NODE, label, style });
      return;
    case 'bounded':
      addTransition(from, label ? `${label} (max ${t.max})` : `max ${t.max}`, t.then, 'bounded', out);
      addTransition(from, label ? `${label} (after ${t.max})` : `after ${t.max}`, t.else, 'fallback', out);
  }
}

/** Join labels, folding `fork: busy` and `fork: failed` into `fork: busy, failed`. */
function joinLabels(labels: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const l of labels) {
    const m = /^([a-z][a-z0-9-]*): (.*)$/.exec(l);
    const key = m ? m[1]! : `\u0000${l}`;
    const list = groups.get(key) ?? [];
    if (m) list.push(m[2]!);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .map(([k, v]) => (k.startsWith('\u0000') ? k.slice(1) : `${k}: ${[...new Set(v)].join(', ')}`))
    .filter(Boolean)
    .join(', ');
}

/** Arrows with the same ends and style become one arrow with the labels joined, so pictures stay readable. */
function mergeEdges(edges: GraphEdge[]): GraphEdge[] {
  const byKey = new Map<string, { edge: GraphEdge; labels: string[] }>();
  for (const e of edges) {
    const key = `${e.from}\u0000${e.to}\u0000${e.style}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { edge: { ...e }, labels: [e.label] });
    else seen.labels.push(e.label);
  }
  return [...byKey.values()].map(({ edge, labels }) => ({ ...edge, label: joinLabels(labels) }));
}

/** Build the graph of a compiled flow. Targets that are not states (a broken IR) still get a node. */
export function buildFlowGraph(ir: FlowIr): FlowGraph {
  const nodes: GraphNode[] = [];
  const raw: GraphEdge[] = [];
  ir.entries.forEach((entry, i) => {
    const id = `entry:${i}`;
    nodes.push({ id, kind: 'entry', title: entryText(entry), lines: [] });
    addTransition(id, '', entry.to, 'normal', raw);
    if (entry.kind === 'http' && entry.invalid) addTransition(id, 'invalid', entry.invalid, 'normal', raw);
  });
  for (const state of Object.values(ir.states)) {
    const id = stateNodeId(state.name);
    nodes.push({ id, kind: 'state', title: state.name, lines: state.body.map(statementLine) });
    for (const s of state.body) for (const [label, t] of exits(s)) addTransition(id, label, t, 'normal', raw);
  }
  const edges = mergeEdges(raw);
  const known = new Set(nodes.map((n) => n.id));
  if (edges.some((e) => e.to === END_NODE)) {
    nodes.push({ id: END_NODE, kind: 'end', title: 'end', lines: [] });
    known.add(END_NODE);
  }
  for (const e of edges) {
    if (!known.has(e.to)) {
      nodes.push({ id: e.to, kind: 'state', title: `${e.to.replace(/^state:/, '')} (missing)`, lines: [] });
      known.add(e.to);
    }
  }
  return { name: ir.name, nodes, edges };
}
