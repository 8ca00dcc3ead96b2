/** Render a flow graph as Graphviz DOT (`callflow graph f.flow --format dot | dot -Tpng > f.png`). */
import type { FlowGraph, GraphNode } from './model.js';

/** A DOT double-quoted string: only `"` and `\` need escaping, and newlines become `\l` line ends below. */
function quote(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n]+/g, ' ')}"`;
}

function attrs(n: GraphNode): string {
  switch (n.kind) {
    case 'entry':
      return `shape=oval, style=filled, fillcolor="#e8f4ff", label=${quote(n.title)}`;
    case 'end':
      return `shape=doublecircle, style=filled, fillcolor="#eeeeee", label=${quote(n.title)}`;
    case 'state': {
      // `\l` left-aligns each statement line under the centred state name.
      const body = n.lines.map((l) => quote(l).slice(1, -1) + '\\l').join('');
      const label = n.lines.length > 0 ? `"${quote(n.title).slice(1, -1)}\\n${body}"` : quote(n.title);
      return `shape=box, style=rounded, label=${label}`;
    }
  }
}

/** The graph as a DOT `digraph`. */
export function renderDot(g: FlowGraph): string {
  const out = [
    `digraph ${quote(g.name)} {`,
    '  rankdir=TB;',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const n of g.nodes) out.push(`  ${quote(n.id)} [${attrs(n)}];`);
  for (const e of g.edges) {
    const a = [`label=${quote(e.label)}`];
    if (e.style === 'fallback') a.push('style=dashed');
    out.push(`  ${quote(e.from)} -> ${quote(e.to)} [${a.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
