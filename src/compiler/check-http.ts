/**
 * Checks tied to how a session was started. From an `on http` entry every path must answer the request
 * with `respond` exactly once (otherwise the server sends a 500), and must not use steps that need a call
 * (an HTTP session has none). From `on call` / `on start` entries, `respond` has no request to answer.
 */
import { Code } from './codes.js';
import { reachableFrom, type Edge, type FlowGraph } from './graph.js';
import type { EntryIr, FlowIr, HttpEntryIr } from './ir.js';
import type { Reporter } from './report.js';

function entryLabel(e: EntryIr): string {
  return e.kind === 'http' ? `on http ${e.method} ${e.path}` : e.kind === 'call' ? 'on call' : 'on start';
}

function isRespond(g: FlowGraph, id: number): boolean {
  const st = g.nodes[id]!.st;
  return st.op === 'step' && st.step === 'respond';
}

/** Walk (node, responded) pairs from an http entry: report paths that end unanswered, and second responds. */
function checkRespondPaths(
  g: FlowGraph,
  e: HttpEntryIr,
  edges: readonly Edge[],
  reported: Set<string>,
  r: Reporter,
): void {
  const n = g.nodes.length;
  const seen = [new Uint8Array(n), new Uint8Array(n)] as const;
  const stack: Array<[number, 0 | 1]> = [];
  const related = [{ message: `the request comes from this entry`, range: e.range }];
  const follow = (edge: Edge, responded: 0 | 1): void => {
    if (typeof edge.to === 'number') {
      if (!seen[responded][edge.to]) {
        seen[responded][edge.to] = 1;
        stack.push([edge.to, responded]);
      }
    } else if (edge.to === 'end' && !responded && !reported.has(key(edge))) {
      reported.add(key(edge));
      r.error(
        Code.noRespond,
        `the request from '${entryLabel(e)}' is never answered on this path: use 'respond' before the session ends`,
        edge.range,
        { related },
      );
    }
  };
  for (const edge of edges) follow(edge, 0);
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [id, responded] = item;
    let after = responded;
    if (isRespond(g, id)) {
      if (responded)
        r.warning(
          Code.respondTwice,
          `this 'respond' can run after the request was already answered (from '${entryLabel(e)}')`,
          g.nodes[id]!.st.range,
          { related },
        );
      after = 1;
    }
    for (const edge of g.nodes[id]!.out) follow(edge, after);
  }
}

function key(edge: Edge): string {
  return `${edge.range.start.line}:${edge.range.start.character}`;
}

/** Run the entry-kind checks (a path end shared by several http entries is reported once). */
export function checkEntries(ir: FlowIr, g: FlowGraph, r: Reporter): void {
  const reported = new Set<string>();
  for (const e of ir.entries) {
    const edges = g.entryEdges.get(e) ?? [];
    const reach = reachableFrom(g, edges);
    if (e.kind === 'http') checkRespondPaths(g, e, edges, reported, r);
    for (const node of g.nodes) {
      if (!reach[node.id] || node.st.op !== 'step' || !node.decl) continue;
      const needs = node.decl.needs;
      if (e.kind === 'http' && needs.call) {
        r.error(
          Code.callStepInHttp,
          `'${node.st.step}' needs a call, but it runs in a session started by '${entryLabel(e)}', which has none`,
          node.st.range,
          {
            related: [{ message: 'that entry', range: e.range }],
            hint: 'to place a call from an HTTP request use `originate`, which runs a flow on the new call',
          },
        );
      }
      if (e.kind !== 'http' && needs.http) {
        r.error(
          Code.respondOutsideHttp,
          `'${node.st.step}' answers an HTTP request, but it runs in a session started by '${entryLabel(e)}', which has none`,
          node.st.range,
          {
            related: [{ message: 'that entry', range: e.range }],
          },
        );
      }
    }
  }
}
