import { describe, expect, it } from 'vitest';
import { compileAst, compileBatch, compileSource } from './index.js';
import { closest, editDistance } from './suggest.js';
import { parseFlow } from '../language/parse-flow.js';
import type { FlowCompiler } from '../runtime/registry.js';

const flowA = `flow a
on http POST /v1/items/:id -> go
state go
  originate "+15550100" flow "b"
    on other -> done
  respond 202
  -> end
state done
  respond 500
  -> end
`;
const flowB = `flow b
on http POST /v1/items/:key -> go
on start (x: string) -> started
state go
  respond 200
  -> end
state started
  log "started"
  -> end
`;

describe('compileBatch', () => {
  it("is the runtime registry's FlowCompiler", async () => {
    const compile: FlowCompiler = compileBatch;
    const [r] = await compile([{ file: 'b.flow', text: flowB }]);
    expect(r?.ir?.name).toBe('b');
  });

  it('reports HTTP routes two flows would both serve, on the later one', () => {
    const [a, b] = compileBatch([
      { file: 'a.flow', text: flowA },
      { file: 'b.flow', text: flowB },
    ]);
    expect(a!.diagnostics.filter((d) => d.code === 'CF3010')).toEqual([]);
    const conflict = b!.diagnostics.find((d) => d.code === 'CF3010');
    expect(conflict?.message).toContain("flow 'a'");
    expect(b!.ir).toBeUndefined();
  });

  it('checks originate targets: unknown flows, and flows without `on start`', () => {
    const c = `flow c\non start -> go\nstate go\n  originate "1" flow "nope"\n    on other -> end\n  originate "2"\n    on other -> end\n  -> end\n`;
    const [lenient] = compileBatch([{ file: 'c.flow', text: c }]);
    expect(lenient!.diagnostics.find((d) => d.code === 'CF3009')?.severity).toBe('warning');
    expect(lenient!.ir).toBeDefined();
    const [strict] = compileBatch([{ file: 'c.flow', text: c }], { knownFlows: ['other'] });
    expect(strict!.diagnostics.find((d) => d.code === 'CF3009')?.severity).toBe('error');
    const d = `flow d\non call to "1" -> go\nstate go\n  originate "2"\n    on other -> end\n  -> end\n`;
    const [noStart] = compileBatch([{ file: 'd.flow', text: d }]);
    expect(noStart!.diagnostics.map((x) => x.message)).toContain(
      "originate runs the 'on start' entry of the flow on the new call, but this flow has no 'on start' entry",
    );
  });

  it('accepts a known flow reference', () => {
    const results = compileBatch([
      { file: 'a.flow', text: flowA },
      { file: 'b2.flow', text: flowB.replace('/v1/items/:key', '/v2/items') },
    ]);
    expect(results.map((r) => r.diagnostics.filter((d) => d.severity === 'error'))).toEqual([[], []]);
    expect(results.every((r) => r.ir)).toBe(true);
  });
});

describe('never throws', () => {
  it('turns garbage into diagnostics', () => {
    for (const text of [
      '',
      '\u0000',
      'state',
      'flow x\nstate s\n  ->',
      'flow x\non http GET -> s\n',
      '}}}{{{',
      'flow x\n  \t\n state y\n',
    ]) {
      const r = compileSource('g.flow', text);
      expect(Array.isArray(r.diagnostics)).toBe(true);
      expect(r.ir === undefined || r.diagnostics.every((d) => d.severity !== 'error')).toBe(true);
    }
  });

  it('reports an internal error as CF9001 rather than throwing', () => {
    const parsed = parseFlow('x.flow', 'flow x\non start -> s\nstate s\n  -> end\n');
    const ast = parsed.ast!;
    (ast as unknown as { states: unknown }).states = null;
    const r = compileAst(ast);
    expect(r.ir).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['CF9001']);
  });
});

describe('variable dataflow', () => {
  it('handles more than 32 variables (bitsets span several words) and still finds a read on an unassigned path', () => {
    const sets = Array.from({ length: 70 }, (_, i) => `  set v${i} = ${i}`).join('\n');
    const text = `flow many\non start (go: boolean) -> a\nstate a\n${sets}\n  if go -> b\n  set late = 1\n  -> b\nstate b\n  log "\${v69} \${late}"\n  -> a max 2 else -> end\n`;
    const r = compileSource('many.flow', text);
    const codes = r.diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(codes).toEqual([
      "CF4004 'late' may be read before it is assigned: some path here does not assign it",
    ]);
  });
});

describe('suggestions', () => {
  it('measures edit distance and picks the closest plausible candidate', () => {
    expect(editDistance('goodby', 'goodbye')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('goodby', ['welcome', 'goodbye'])).toBe('goodbye');
    expect(closest('xyz', ['welcome', 'goodbye'])).toBeUndefined();
  });
});
