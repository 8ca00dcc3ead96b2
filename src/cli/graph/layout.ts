/**
 * A small layered (Sugiyama-style) layout for directed graphs, enough to draw a state machine without a browser
 * or Graphviz: break cycles by reversing DFS back edges, assign layers by longest path, split long edges with
 * dummy points, order each layer by barycentre sweeps (keeping the order with the fewest crossings), then place
 * boxes and pull each towards its neighbours without overlapping.
 */

/** A box to place; `w` and `h` are its size. */
export interface LayoutNode {
  id: string;
  w: number;
  h: number;
}

/** An edge to route. */
export interface LayoutEdge {
  from: string;
  to: string;
}

/** A placed box: `x`, `y` is its top-left corner. */
export interface PlacedNode extends LayoutNode {
  x: number;
  y: number;
  layer: number;
}

/** A routed edge: points from the source box to the target box; `self` for loops on one box. */
export interface RoutedEdge extends LayoutEdge {
  points: Array<{ x: number; y: number }>;
  self: boolean;
}

/** The layout: boxes, edge routes and the total size. */
export interface Layout {
  nodes: PlacedNode[];
  edges: RoutedEdge[];
  width: number;
  height: number;
}

/** How many dummy points long edges may get in all; longer edges beyond it are drawn straight. */
export const MAX_DUMMIES = 4000;

/** Spacing, in SVG units. */
export const LAYOUT_GAPS = { layer: 70, node: 36, margin: 24 } as const;

interface Vertex {
  id: string;
  w: number;
  h: number;
  layer: number;
  dummy: boolean;
  x: number;
}

/** Edges of the acyclic version: each keeps its original index and whether it was reversed. */
interface DagEdge {
  from: string;
  to: string;
  index: number;
  reversed: boolean;
}

function breakCycles(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): DagEdge[] {
  const out = new Map<string, number[]>();
  edges.forEach((e, i) => {
    if (e.from !== e.to) push(out, e.from, i);
  });
  const state = new Map<string, 1 | 2>();
  const reversed = new Set<number>();
  // Iterative DFS so a 10,000-state flow cannot overflow the stack.
  for (const root of nodes) {
    if (state.has(root.id)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root.id, next: 0 }];
    state.set(root.id, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const list = out.get(top.id) ?? [];
      if (top.next >= list.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const i = list[top.next++]!;
      const to = edges[i]!.to;
      const s = state.get(to);
      if (s === 1) reversed.add(i);
      else if (s === undefined) {
        state.set(to, 1);
        stack.push({ id: to, next: 0 });
      }
    }
  }
  const dag: DagEdge[] = [];
  edges.forEach((e, i) => {
    if (e.from === e.to) return;
    const r = reversed.has(i);
    dag.push({ from: r ? e.to : e.from, to: r ? e.from : e.to, index: i, reversed: r });
  });
  return dag;
}

function assignLayers(nodes: readonly LayoutNode[], dag: readonly DagEdge[]): Map<string, number> {
  const indeg = new Map(nodes.map((n) => [n.id, 0]));
  const succ = new Map<string, string[]>();
  for (const e of dag) {
    indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
    push(succ, e.from, e.to);
  }
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!;
    for (const to of succ.get(id) ?? []) {
      layer.set(to, Math.max(layer.get(to) ?? 0, layer.get(id)! + 1));
      const d = indeg.get(to)! - 1;
      indeg.set(to, d);
      if (d === 0) queue.push(to);
    }
  }
  return layer;
}

/** Append to a list in a map of lists (in place: spreading would make many-neighbour nodes quadratic). */
function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Crossings between adjacent layers: inversions of the lower ends when sorted by upper end (Fenwick tree). */
function crossings(layers: readonly string[][], links: ReadonlyArray<[string, string]>): number {
  const pos = new Map<string, number>();
  const layerOf = new Map<string, number>();
  layers.forEach((l, li) =>
    l.forEach((id, i) => {
      pos.set(id, i);
      layerOf.set(id, li);
    }),
  );
  const byLayer = new Map<number, Array<[number, number]>>();
  for (const [a, b] of links) push(byLayer, layerOf.get(a)!, [pos.get(a)!, pos.get(b)!]);
  let count = 0;
  for (const [li, segs] of byLayer) {
    segs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const size = (layers[li + 1]?.length ?? 0) + 1;
    const tree = new Int32Array(size + 1);
    let seen = 0;
    for (const [, b] of segs) {
      // Earlier segments whose lower end is strictly right of b cross this one.
      let le = 0;
      for (let i = b + 1; i > 0; i -= i & -i) le += tree[i]!;
      count += seen - le;
      for (let i = b + 1; i <= size; i += i & -i) tree[i]!++;
      seen++;
    }
  }
  return count;
}

function sweep(layers: string[][], neighbours: Map<string, string[]>, down: boolean): void {
  const order = down
    ? layers.map((_, i) => i).slice(1)
    : layers
        .map((_, i) => i)
        .slice(0, -1)
        .reverse();
  for (const li of order) {
    const ref = layers[down ? li - 1 : li + 1]!;
    const refPos = new Map(ref.map((id, i) => [id, i]));
    const layer = layers[li]!;
    const score = new Map<string, number>();
    layer.forEach((id, i) => {
      const ps = (neighbours.get(id) ?? [])
        .map((n) => refPos.get(n))
        .filter((p): p is number => p !== undefined);
      score.set(id, ps.length > 0 ? ps.reduce((a, b) => a + b, 0) / ps.length : i);
    });
    layer.sort((a, b) => score.get(a)! - score.get(b)!);
  }
}

function orderLayers(layers: string[][], links: ReadonlyArray<[string, string]>): string[][] {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const [a, b] of links) {
    push(down, b, a);
    push(up, a, b);
  }
  let best = layers.map((l) => [...l]);
  let bestCount = crossings(best, links);
  const work = layers.map((l) => [...l]);
  for (let i = 0; i < 8 && bestCount > 0; i++) {
    sweep(work, down, true);
    sweep(work, up, false);
    const c = crossings(work, links);
    if (c < bestCount) {
      best = work.map((l) => [...l]);
      bestCount = c;
    }
  }
  return best;
}

/** Pull boxes towards the mean x of their neighbours, then push apart so boxes keep their order and gaps. */
function placeX(layers: string[][], v: Map<string, Vertex>, links: ReadonlyArray<[string, string]>): void {
  const nb = new Map<string, string[]>();
  for (const [a, b] of links) {
    push(nb, a, b);
    push(nb, b, a);
  }
  for (const l of layers) {
    let x = 0;
    for (const id of l) {
      const n = v.get(id)!;
      n.x = x + n.w / 2;
      x += n.w + LAYOUT_GAPS.node;
    }
  }
  for (let round = 0; round < 6; round++) {
    for (const l of round % 2 === 0 ? layers : [...layers].reverse()) {
      const want = l.map((id) => {
        const ns = nb.get(id) ?? [];
        return ns.length > 0 ? ns.reduce((s, n) => s + v.get(n)!.x, 0) / ns.length : v.get(id)!.x;
      });
      l.forEach((id, i) => (v.get(id)!.x = want[i]!));
      for (let i = 1; i < l.length; i++) {
        const a = v.get(l[i - 1]!)!;
        const b = v.get(l[i]!)!;
        b.x = Math.max(b.x, a.x + a.w / 2 + LAYOUT_GAPS.node + b.w / 2);
      }
    }
  }
  let min = Infinity;
  for (const n of v.values()) min = Math.min(min, n.x - n.w / 2);
  for (const n of v.values()) n.x += LAYOUT_GAPS.margin - min;
}

/** Lay out a directed graph top to bottom. */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Layout {
  const dag = breakCycles(nodes, edges);
  const layerOf = assignLayers(nodes, dag);
  const v = new Map<string, Vertex>(
    nodes.map((n) => [n.id, { id: n.id, w: n.w, h: n.h, layer: layerOf.get(n.id)!, dummy: false, x: 0 }]),
  );
  const chains = new Map<number, string[]>();
  const links: Array<[string, string]> = [];
  // Dummy points go to the shortest long edges first, up to a budget: in a flow of hundreds of states every
  // state may jump to one `goodbye` at the bottom, and routing all of those around boxes would be quadratic.
  const span = (e: DagEdge): number => layerOf.get(e.to)! - layerOf.get(e.from)! - 1;
  let budget = MAX_DUMMIES;
  for (const e of [...dag].sort((a, b) => span(a) - span(b))) {
    const routed = span(e) <= budget;
    if (routed) budget -= span(e);
    const chain = [e.from];
    for (let l = layerOf.get(e.from)! + 1; routed && l < layerOf.get(e.to)!; l++) {
      const id = `\u0000d${e.index}:${l}`;
      v.set(id, { id, w: 8, h: 0, layer: l, dummy: true, x: 0 });
      chain.push(id);
    }
    chain.push(e.to);
    // Straight long edges stay out of the ordering, which only compares adjacent layers.
    if (routed) for (let i = 1; i < chain.length; i++) links.push([chain[i - 1]!, chain[i]!]);
    chains.set(e.index, e.reversed ? chain.reverse() : chain);
  }
  let depth = 1;
  for (const n of v.values()) depth = Math.max(depth, n.layer + 1);
  const layers: string[][] = Array.from({ length: depth }, () => []);
  for (const n of v.values()) layers[n.layer]!.push(n.id);
  const ordered = orderLayers(layers, links);
  placeX(ordered, v, links);
  const layerY: number[] = [];
  let y = LAYOUT_GAPS.margin;
  for (const l of ordered) {
    layerY.push(y);
    y += Math.max(0, ...l.map((id) => v.get(id)!.h)) + LAYOUT_GAPS.layer;
  }
  const placed: PlacedNode[] = nodes.map((n) => {
    const p = v.get(n.id)!;
    return { ...n, x: p.x - n.w / 2, y: layerY[p.layer]!, layer: p.layer };
  });
  const centre = (id: string, side: 'top' | 'bottom' | 'mid'): { x: number; y: number } => {
    const p = v.get(id)!;
    const top = layerY[p.layer]!;
    return { x: p.x, y: side === 'top' ? top : side === 'bottom' ? top + p.h : top + p.h / 2 };
  };
  const routed: RoutedEdge[] = edges.map((e, i) => {
    const chain = chains.get(i);
    if (!chain) {
      const p = v.get(e.from)!;
      const right = p.x + p.w / 2;
      const top = layerY[p.layer]!;
      return {
        ...e,
        self: true,
        points: [
          { x: right, y: top + p.h * 0.3 },
          { x: right + 28, y: top + p.h * 0.5 },
          { x: right, y: top + p.h * 0.7 },
        ],
      };
    }
    const down = layerOf.get(e.from)! < layerOf.get(e.to)!;
    const points = chain.map((id, k) => {
      if (k === 0) return centre(id, down ? 'bottom' : 'top');
      if (k === chain.length - 1) return centre(id, down ? 'top' : 'bottom');
      return centre(id, 'mid');
    });
    return { ...e, self: false, points };
  });
  let width = 0;
  for (const n of v.values()) width = Math.max(width, n.x + n.w / 2);
  return {
    nodes: placed,
    edges: routed,
    width: width + LAYOUT_GAPS.margin + 40,
    height: y - LAYOUT_GAPS.layer + LAYOUT_GAPS.margin,
  };
}
