/** Render a flow graph as a standalone SVG document, laid out in-process (no browser, no Graphviz). */
import type { FlowGraph, GraphEdge, GraphNode } from './model.js';
import { layoutGraph, type RoutedEdge } from './layout.js';

/** Text metrics for the fonts used below; an estimate, since there is no font engine to measure with. */
const FONT = { title: 13, line: 11, charW: 6.8, lineH: 15, pad: 10 } as const;

/** Escape text for XML character data and attribute values; C0 controls, which XML 1.0 forbids, become U+FFFD. */
export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[^\t\n\r\u0020-\uffff]/gu, (c) => (c.length > 1 ? c : '\ufffd'));
}

function size(n: GraphNode): { w: number; h: number } {
  const longest = Math.max(n.title.length * 1.1, ...n.lines.map((l) => l.length));
  if (n.kind === 'end') return { w: 56, h: 32 };
  const w = Math.ceil(longest * FONT.charW + 2 * FONT.pad + 4);
  const h =
    n.kind === 'entry' ? 32 : Math.ceil(FONT.pad + FONT.lineH + n.lines.length * FONT.lineH + FONT.pad / 2);
  return { w: Math.max(w, 64), h };
}

function nodeSvg(n: GraphNode, x: number, y: number, w: number, h: number): string {
  const cx = x + w / 2;
  const t = xmlEscape(n.title);
  switch (n.kind) {
    case 'entry':
      return `<g class="entry"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 2}"/><text x="${cx}" y="${y + h / 2 + 4}" text-anchor="middle">${t}</text></g>`;
    case 'end':
      return `<g class="end"><ellipse cx="${cx}" cy="${y + h / 2}" rx="${w / 2}" ry="${h / 2}"/><text x="${cx}" y="${y + h / 2 + 4}" text-anchor="middle">${t}</text></g>`;
    case 'state': {
      const lines = n.lines.map(
        (l, i) =>
          `<text class="line" x="${x + FONT.pad}" y="${y + FONT.pad + FONT.lineH * (i + 2) - 3}">${xmlEscape(l)}</text>`,
      );
      const rule =
        n.lines.length > 0
          ? `<line x1="${x}" y1="${y + FONT.lineH + FONT.pad}" x2="${x + w}" y2="${y + FONT.lineH + FONT.pad}"/>`
          : '';
      return [
        `<g class="state"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6"/>`,
        `<text class="title" x="${cx}" y="${y + FONT.pad + FONT.title - 2}" text-anchor="middle">${t}</text>`,
        rule,
        ...lines,
        '</g>',
      ].join('');
    }
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A smooth path through the route's points (quadratic joins at the bends). */
function pathData(r: RoutedEdge): string {
  const p = r.points.map((q) => ({ x: round(q.x), y: round(q.y) }));
  if (r.self) return `M ${p[0]!.x} ${p[0]!.y} Q ${p[1]!.x + 14} ${p[1]!.y} ${p[2]!.x} ${p[2]!.y}`;
  let d = `M ${p[0]!.x} ${p[0]!.y}`;
  for (let i = 1; i < p.length - 1; i++) {
    const mid = { x: (p[i]!.x + p[i + 1]!.x) / 2, y: (p[i]!.y + p[i + 1]!.y) / 2 };
    d += ` Q ${p[i]!.x} ${p[i]!.y} ${round(mid.x)} ${round(mid.y)}`;
  }
  const last = p[p.length - 1]!;
  return `${d} L ${last.x} ${last.y}`;
}

/** Where an edge's label goes: beside the middle of its route (beside the loop for self edges). */
function labelAt(r: RoutedEdge & { labelDy?: number }): { x: number; y: number } {
  if (r.self) return { x: r.points[1]!.x + 18, y: r.points[1]!.y + 4 };
  const a = r.points[Math.floor((r.points.length - 1) / 2)]!;
  const b = r.points[Math.floor((r.points.length - 1) / 2) + 1] ?? a;
  return { x: (a.x + b.x) / 2 + 4, y: (a.y + b.y) / 2 };
}

/** The route moved sideways by `k` steps (and its label down), for the k-th of several parallel arrows. */
function shifted(r: RoutedEdge, k: number): RoutedEdge & { labelDy: number } {
  const dx = 14 * k;
  return { ...r, points: r.points.map((p) => ({ x: p.x + dx, y: p.y })), labelDy: 13 * k };
}

function edgeSvg(e: GraphEdge, r: RoutedEdge & { labelDy?: number }): string {
  const cls = e.style === 'fallback' ? 'edge fallback' : 'edge';
  const at = labelAt(r);
  at.y += r.labelDy ?? 0;
  const label = e.label
    ? `<text class="label" x="${round(at.x)}" y="${round(at.y)}">${xmlEscape(e.label)}</text>`
    : '';
  return `<g class="${cls}"><path d="${pathData(r)}" marker-end="url(#arrow)"/>${label}</g>`;
}

const STYLE = [
  'text { font-family: Helvetica, Arial, sans-serif; font-size: 11px; fill: #222; }',
  '.title { font-size: 13px; font-weight: bold; }',
  '.line { font-family: Menlo, Consolas, monospace; font-size: 11px; }',
  '.state rect { fill: #fffdf5; stroke: #8a6d3b; }',
  '.state line { stroke: #d9c9a3; }',
  '.entry rect { fill: #e8f4ff; stroke: #3b82f6; }',
  '.end ellipse { fill: #eeeeee; stroke: #555555; }',
  '.edge path { fill: none; stroke: #555; stroke-width: 1.2; }',
  '.edge.fallback path { stroke-dasharray: 5 3; }',
  '.label { font-size: 10px; fill: #1d4ed8; }',
].join('\n');

/** The graph as an SVG document (valid XML, self-contained styles). */
export function renderSvg(g: FlowGraph): string {
  const sizes = new Map(g.nodes.map((n) => [n.id, size(n)]));
  const layout = layoutGraph(
    g.nodes.map((n) => ({ id: n.id, ...sizes.get(n.id)! })),
    g.edges.map((e) => ({ from: e.from, to: e.to })),
  );
  const longestLabel = Math.max(0, ...g.edges.map((e) => e.label.length));
  const width = Math.ceil(layout.width + longestLabel * 5.5);
  const height = Math.ceil(layout.height);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${xmlEscape(`flow ${g.name}`)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const seen = new Map<string, number>();
  layout.edges.forEach((r, i) => {
    // Parallel arrows between the same two boxes (a retry's solid and dashed sides) would share one route.
    const key = `${r.from}\u0000${r.to}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    out.push(edgeSvg(g.edges[i]!, k === 0 ? r : shifted(r, k)));
  });
  for (const p of layout.nodes) out.push(nodeSvg(byId.get(p.id)!, round(p.x), round(p.y), p.w, p.h));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
