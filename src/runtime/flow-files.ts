/** Which files in a flow directory are flows, and the flow-to-flow references the registry keeps atomic. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlowIr } from '../compiler/ir.js';

/** A flow source: `.flow`, `.yaml` or `.yml`, but not a flow test (`*.test.yaml`). */
export function isFlowFile(path: string): boolean {
  return /\.(flow|ya?ml)$/.test(path) && !/\.test\.ya?ml$/.test(path);
}

/** Every flow file under `dir` (recursively; hidden folders and node_modules skipped), sorted. */
export async function listFlowFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && isFlowFile(p)) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Names of other flows a flow refers to: steps with a literal `flow` argument (`originate flow "x"`). */
export function flowReferences(ir: FlowIr): Set<string> {
  const refs = new Set<string>();
  for (const state of Object.values(ir.states)) {
    for (const st of state.body) {
      if (st.op !== 'step') continue;
      const f = st.args.flow;
      if (f?.kind === 'string' && f.parts.length === 1 && typeof f.parts[0] === 'string') refs.add(f.parts[0]);
    }
  }
  refs.delete(ir.name);
  return refs;
}
