/**
 * The bundled flows' own flow tests (flows/**\/*.test.yaml) run through the flow-test runner with the real
 * compiler, so `vitest` catches a bundled flow that stops compiling or passing its tests.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFlowHost } from '../../src/cli/flow-tests/host.js';
import { findTestFiles, runTestFiles } from '../../src/cli/flow-tests/run.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bundled flows: flow tests', () => {
  for (const folder of ['flows/agora', 'flows/streamkit']) {
    it(`${folder}: every test passes and every flow compiles`, async () => {
      const files = await findTestFiles([folder], ROOT);
      expect(files.length).toBeGreaterThan(0);
      const report = await runTestFiles(files, createFlowHost(), ROOT);
      const problems = report.files.flatMap((f) => f.problems);
      const failed = report.files
        .flatMap((f) => f.results)
        .filter((r) => r.failures.length > 0 || r.error !== undefined);
      expect(problems).toEqual([]);
      expect(failed.map((r) => `${r.name}: ${r.error ?? JSON.stringify(r.failures)}`)).toEqual([]);
      expect(report.files.flatMap((f) => f.results).length).toBeGreaterThan(5);
      // The issue asks for flow tests covering every state: the last file of a flow carries its whole coverage.
      const byFlow = new Map(report.files.flatMap((f) => (f.coverage ? [[f.flow, f.coverage] as const] : [])));
      expect(byFlow.size).toBeGreaterThan(0);
      for (const [flow, c] of byFlow) {
        const never = c.states.total.filter((s) => !c.states.entered.includes(s));
        expect(never, `${flow}: states never entered`).toEqual([]);
      }
    }, 120_000);
  }
});
