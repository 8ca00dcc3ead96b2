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
    if (e.from !== e.to) out.set(e.from, [...(out.get(e.from) ?? []), i]);
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
    succ.set(e.from, [...(succ.get(e.from) ?? []), e.to]);
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

function crossings(layers: readonly string[][], links: ReadonlyArray<[string, string]>): number {
  const pos = new Map<string, number>();
  for (const l of layers) l.forEach((id, i) => pos.set(id, i));
  const byLayer = new Map<string, Array<[number, number]>>();
  const layerOf = new Map<string, number>();
  layers.forEach((l, i) => l.forEach((id) => layerOf.set(id, i)));
  for (const [a, b] of links) {
    const key = String(layerOf.get(a));
    byLayer.set(key, [...(byLayer.get(key) ?? []), [pos.get(a)!, pos.get(b)!]]);
  }
  let count = 0;
  for (const segs of byLayer.values()) {
    for (let i = 0; i < segs.length; i++) {
      for (let j = i + 1; j < segs.length; j++) {
        const [a1, b1] = segs[i]!;
        const [a2, b2] = segs[j]!;
        if ((a1 - a2) * (b1 - b2) < 0) count++;
      }
    }
  }
  return count;
}

function sweep(layers: string[][], neighbours: Map<string, string[]>, down: boolean): void {
  const order = down ? layers.map((_, i) => i).slice(1) : layers.map((_, i) => i).slice(0, -1).reverse();
  for (const li of order) {
    const ref = layers[down ? li - 1 : li + 1]!;
    const refPos = new Map(ref.map((id, i) => [id, i]));
    const layer = layers[li]!;
    const score = new Map<string, number>();
    layer.forEach((id, i) => {
      const ps = (neighbours.get(id) ?? []).map((n) => refPos.get(n)).filter((p): p is number => p !== undefined);
      score.set(id, ps.length > 0 ? ps.reduce((a, b) => a + b, 0) / ps.length : i);
    });
    layer.sort((a, b) => score.get(a)! - score.get(b)!);
  }
}

function orderLayers(layers: string[][], links: ReadonlyArray<[string, string]>): string[][] {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const [a, b] of links) {
    down.set(b, [...(down.get(b) ?? []), a]);
    up.set(a, [...(up.get(a) ?? []), b]);
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
    nb.set(a, [...(nb.get(a) ?? []), b]);
    nb.set(b, [...(nb.get(b) ?? []), a]);
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
  const v = new Map<string, Vertex>(nodes.map((n) => [n.id, { id: n.id, w: n.w, h: n.h, layer: layerOf.get(n.id)!, dummy: false, x: 0 }]));
  const chains = new Map<number, string[]>();
  const links: Array<[string, string]> = [];
  for (const e of dag) {
    const chain = [e.from];
    for (let l = layerOf.get(e.from)! + 1; l < layerOf.get(e.to)!; l++) {
      const id = `\u0000d${e.index}:${l}`;
      v.set(id, { id, w: 8, h: 0, layer: l, dummy: true, x: 0 });
      chain.push(id);
    }
    chain.push(e.to);
    for (let i = 1; i < chain.length; i++) links.push([chain[i - 1]!, chain[i]!]);
    chains.set(e.index, e.reversed ? chain.reverse() : chain);
  }
  const depth = Math.max(0, ...[...v.values()].map((n) => n.layer)) + 1;
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
      return { ...e, self: true, points: [{ x: right, y: top + p.h * 0.3 }, { x: right + 28, y: top + p.h * 0.5 }, { x: right, y: top + p.h * 0.7 }] };
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
  return { nodes: placed, edges: routed, width: width + LAYOUT_GAPS.margin + 40, height: y - LAYOUT_GAPS.layer + LAYOUT_GAPS.margin };
}
