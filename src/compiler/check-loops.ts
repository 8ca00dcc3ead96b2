/**
 * Busy loops: cycles in the statement graph that pass through no waiting step (catalog `waits`: the caller,
 * the network or the clock) and no `max N` bound. With no way out at all the loop is an error; with a
 * conditional way out it is a warning, since nothing but that condition stops it spinning.
 */
import type { SourceRange } from '../language/diagnostics.js';
import { Code } from './codes.js';
import type { FlowGraph } from './graph.js';
import type { Reporter } from './report.js';

/** Strongly connected components over busy (non-waiting, unbounded) edges; iterative Tarjan. */
function busyComponents(g: FlowGraph): number[][] {
  const n = g.nodes.length;
  const busy = (id: number): boolean => !g.nodes[id]!.decl?.waits;
  const succ = (id: number): number[] =>
    busy(id)
      ? g.nodes[id]!.out.filter((e) => !e.bounded && typeof e.to === 'number' && busy(e.to)).map(
          (e) => e.to as number,
        )
      : [];
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || !busy(root)) continue;
    const work: Array<{ v: number; next: number[]; i: number }> = [{ v: root, next: succ(root), i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.i < top.next.length) {
        const w = top.next[top.i++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, next: succ(w), i: 0 });
        } else if (onStack[w]) low[top.v] = Math.min(low[top.v]!, index[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v]!, low[top.v]!);
      if (low[top.v] === index[top.v]) {
        let w = stack.pop()!;
        onStack[w] = 0;
        // Nearly every component is one statement: only a self-loop makes it cyclic, and no array is needed.
        if (w === top.v) {
          if (top.next.includes(w)) out.push([w]);
          continue;
        }
        const comp: number[] = [w];
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== top.v);
        out.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return out;
}

/** Report busy loops. */
export function checkLoops(g: FlowGraph, stateNames: ReadonlyMap<string, SourceRange>, r: Reporter): void {
  for (const comp of busyComponents(g)) {
    const members = new Set(comp);
    const exits = comp.some((id) =>
      g.nodes[id]!.out.some((e) => e.bounded || typeof e.to !== 'number' || !members.has(e.to)),
    );
    const states = [...new Set(comp.map((id) => g.nodes[id]!.state))];
    const first = g.nodes[comp[0]!]!;
    const at = first.index === 0 ? (stateNames.get(first.state) ?? first.st.range) : first.st.range;
    const path =
      states.length === 1
        ? `state '${states[0]}' loops`
        : `states ${states.map((s) => `'${s}'`).join(', ')} loop`;
    const hint = `wait for something in the loop (prompt, collect-pin, wait...) or bound it: \`-> ${first.state} max 3 else -> other\``;
    if (!exits)
      r.error(
        Code.infiniteLoop,
        `${path} forever: nothing in the loop waits and nothing leads out of it`,
        at,
        { hint },
      );
    else
      r.warning(
        Code.busyLoop,
        `${path} without waiting for anything and without a 'max' bound; only a condition stops it`,
        at,
        { hint },
      );
  }
}
