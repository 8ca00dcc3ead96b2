/** Pictures of a compiled flow: Mermaid, Graphviz DOT, or SVG rendered in-process. */
import type { FlowIr } from '../../compiler/ir.js';
import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';
import { buildFlowGraph } from './model.js';
import { renderSvg } from './svg.js';

export { buildFlowGraph, type FlowGraph, type GraphEdge, type GraphNode } from './model.js';
export { renderDot } from './dot.js';
export { renderMermaid } from './mermaid.js';
export { renderSvg } from './svg.js';
export { layoutGraph } from './layout.js';

/** The picture formats `callflow graph` can draw. */
export const GraphFormat = { mermaid: 'mermaid', dot: 'dot', svg: 'svg' } as const;
export type GraphFormat = (typeof GraphFormat)[keyof typeof GraphFormat];

/** Draw a compiled flow in the given format. */
export function renderGraph(ir: FlowIr, format: GraphFormat): string {
  const g = buildFlowGraph(ir);
  switch (format) {
    case 'mermaid':
      return renderMermaid(g);
    case 'dot':
      return renderDot(g);
    case 'svg':
      return renderSvg(g);
  }
}
