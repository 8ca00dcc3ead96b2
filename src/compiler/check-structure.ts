/**
 * Structural checks on the statement graph: states no entry can reach, states whose last statement can run
 * off the end (the interpreter would stop with an error), statements after an unconditional jump, and a flow
 * without entries.
 */
import type { FlowAst } from '../language/ast.js';
import { fileStart, type SourceRange } from '../language/diagnostics.js';
import { Code } from './codes.js';
import { reachableFrom, type FlowGraph } from './graph.js';
import type { FlowIr } from './ir.js';
import type { Reporter } from './report.js';

/** Run the structural checks. Returns the nodes reachable from any entry. */
export function checkStructure(
  ast: FlowAst,
  ir: FlowIr,
  g: FlowGraph,
  stateNames: ReadonlyMap<string, SourceRange>,
  r: Reporter,
): Uint8Array {
  const all = [...g.entryEdges.values()].flat();
  const reach = reachableFrom(g, all);
  if (ir.entries.length === 0) {
    r.warning(
      Code.noEntry,
      `flow '${ir.name}' has no entry ('on call', 'on http' or 'on start'), so nothing can start it`,
      ast.name.range.end.line === 0 && ast.name.range.end.character === 0
        ? fileStart(ast.file)
        : ast.name.range,
    );
  } else {
    for (const [name, start] of g.stateStart) {
      if (start !== 'empty' && !reach[start]) {
        r.warning(
          Code.unreachableState,
          `state '${name}' is never reached`,
          stateNames.get(name) ?? ir.states[name]!.range,
          { hint: 'no entry or transition leads here' },
        );
      }
    }
  }
  for (const [name, start] of g.stateStart) {
    if (start === 'empty')
      r.error(
        Code.fallsOffEnd,
        `state '${name}' is empty: give it at least one statement`,
        stateNames.get(name) ?? ir.states[name]!.range,
      );
  }
  for (const n of g.nodes) {
    if (n.out.some((e) => e.to === 'falloff')) {
      const what = n.st.op === 'step' ? `'${n.st.step}'` : `this '${n.st.op}'`;
      r.error(
        Code.fallsOffEnd,
        `state '${n.state}' can run past its end after ${what}: say where to go next`,
        n.st.range,
        {
          hint: 'end the state with `-> state`, `-> end` or `hangup`',
        },
      );
    }
    const prev = n.index > 0 ? g.nodes[n.id - 1] : undefined;
    if (prev && !prev.out.some((e) => e.to === n.id)) {
      r.warning(
        Code.unreachableStatement,
        `this never runs: the line before always leaves state '${n.state}'`,
        n.st.range,
      );
    }
  }
  return reach;
}
