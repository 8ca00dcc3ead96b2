/** Render a flow graph as a Mermaid flowchart (paste into GitHub Markdown or mermaid.live). */
import type { FlowGraph, GraphNode } from './model.js';

/** Mermaid's entity escapes: quotes and angle brackets would end or open markup inside a quoted label. */
function esc(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function shape(n: GraphNode): string {
  const label = [`<b>${esc(n.title)}</b>`, ...n.lines.map(esc)].join('<br/>');
  switch (n.kind) {
    case 'entry':
      return `(["${esc(n.title)}"])`;
    case 'end':
      return `(("${esc(n.title)}"))`;
    case 'state':
      return `["${label}"]`;
  }
}

/** The graph as Mermaid `flowchart TD` source. */
export function renderMermaid(g: FlowGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ['flowchart TD', `  %% flow ${g.name.replace(/[\r\n]/g, ' ')}`];
  for (const n of g.nodes) out.push(`  ${ids.get(n.id)!}${shape(n)}`);
  for (const e of g.edges) {
    const arrow = e.style === 'fallback' ? '-.->' : '-->';
    const label = e.label ? `|"${esc(e.label)}"|` : '';
    out.push(`  ${ids.get(e.from)!} ${arrow}${label} ${ids.get(e.to)!}`);
  }
  out.push('  classDef entry fill:#e8f4ff,stroke:#3b82f6');
  out.push('  classDef terminal fill:#eee,stroke:#555');
  const entries = g.nodes.filter((n) => n.kind === 'entry').map((n) => ids.get(n.id)!);
  const ends = g.nodes.filter((n) => n.kind === 'end').map((n) => ids.get(n.id)!);
  if (entries.length > 0) out.push(`  class ${entries.join(',')} entry`);
  if (ends.length > 0) out.push(`  class ${ends.join(',')} terminal`);
  return `${out.join('\n')}\n`;
}
