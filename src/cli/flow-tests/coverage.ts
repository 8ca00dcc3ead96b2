/**
 * State and transition coverage of a flow across its tests: states entered out of all states, and outcome
 * transitions taken (each routed outcome of each step) out of all that exist in the IR.
 */
import type { FlowIr } from '../../compiler/ir.js';

/** One outcome taken: the step's statement id and the outcome. */
export interface Taken {
  id: string;
  branch: string;
}

/** Coverage of one flow. */
export interface Coverage {
  flow: string;
  file: string;
  states: { entered: string[]; total: string[] };
  transitions: { taken: string[]; total: string[] };
}

/** Every outcome transition (`id:outcome`) of a flow; the default route `*` is not an outcome of its own. */
export function allBranches(ir: FlowIr): string[] {
  const out: string[] = [];
  for (const state of Object.values(ir.states)) {
    for (const st of state.body) if (st.op === 'step') for (const o of Object.keys(st.outcomes)) if (o !== '*') out.push(`${st.id}:${o}`);
  }
  return out;
}

/** Accumulates coverage for one flow over many sessions. */
export class CoverageAccumulator {
  private readonly states = new Set<string>();
  private readonly branches = new Set<string>();

  constructor(private readonly ir: FlowIr) {}

  add(states: readonly string[], taken: readonly Taken[]): void {
    for (const s of states) this.states.add(s);
    for (const t of taken) this.branches.add(`${t.id}:${t.branch}`);
  }

  result(): Coverage {
    const totalStates = Object.keys(this.ir.states);
    const totalBranches = allBranches(this.ir);
    return {
      flow: this.ir.name,
      file: this.ir.file,
      states: { entered: totalStates.filter((s) => this.states.has(s)), total: totalStates },
      transitions: { taken: totalBranches.filter((b) => this.branches.has(b)), total: totalBranches },
    };
  }
}

const pct = (a: number, b: number): string => (b === 0 ? '100%' : `${Math.round((a / b) * 100)}%`);

/** One or two lines describing coverage, naming states never entered. */
export function formatCoverage(c: Coverage): string {
  const s = c.states;
  const t = c.transitions;
  const missed = s.total.filter((x) => !s.entered.includes(x));
  const lines = [
    `coverage ${c.flow}: states ${s.entered.length}/${s.total.length} (${pct(s.entered.length, s.total.length)}), transitions ${t.taken.length}/${t.total.length} (${pct(t.taken.length, t.total.length)})`,
  ];
  if (missed.length > 0) lines.push(`  never entered: ${missed.join(', ')}`);
  return lines.join('\n');
}
