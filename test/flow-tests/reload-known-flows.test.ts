/**
 * CF3009 on reload: the registry recompiles only the changed files, so it tells the compiler which flows are
 * loaded outside the batch (`knownFlows`). An `originate flow "x"` naming a flow that is nowhere is then an
 * error that keeps the edit from publishing, while one naming a flow loaded from an unchanged file is fine.
 * The CLI compiles its files as every flow there is, so the same reference is an error there too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileFiles } from '../../src/cli/compile-files.js';
import { compileBatch } from '../../src/compiler/index.js';
import { FlowRegistry, type FlowCompileOptions } from '../../src/runtime/registry.js';

const CALLEE = `flow callee
  "the far end of an originate"

on start -> main

state main
  prompt say "hi"
  hangup
`;

const caller = (target: string): string => `flow caller
  "originates into ${target}"

on call to "+1555*" -> main

state main
  answer
  originate "+15550999" flow "${target}"
    on other -> main
  hangup
`;

let registry: FlowRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

function setup(files: Record<string, string>): { dir: string; seen: FlowCompileOptions[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cf-known-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const seen: FlowCompileOptions[] = [];
  registry = new FlowRegistry({
    dir,
    compile: (sources, opts) => {
      seen.push({ knownFlows: [...(opts?.knownFlows ?? ['<undefined>'])] });
      return compileBatch(sources, opts);
    },
  });
  return { dir, seen };
}

const cf3009 = (d: Array<{ code: string; severity: string }>): string[] =>
  d.filter((x) => x.code === 'CF3009').map((x) => x.severity);

describe('knownFlows on reload', () => {
  it('an edit that originates an unknown flow is an error and the last good version keeps serving', async () => {
    const { dir, seen } = setup({ 'caller.flow': caller('callee'), 'callee.flow': CALLEE });
    expect((await registry!.load()).published.sort()).toEqual(['callee', 'caller']);
    const before = registry!.get('caller')?.label;

    const file = join(dir, 'caller.flow');
    writeFileSync(file, caller('nobody'));
    seen.length = 0;
    const report = await registry!.reload([file]);
    expect(seen[0]?.knownFlows).toEqual(['callee']);
    expect(report.published).toEqual([]);
    expect(cf3009(report.rejected[0]?.diagnostics ?? [])).toEqual(['error']);
    expect(registry!.get('caller')?.label).toBe(before);
  });

  it('an edit that originates a flow loaded from an unchanged file publishes', async () => {
    const { dir } = setup({ 'caller.flow': caller('callee'), 'callee.flow': CALLEE });
    await registry!.load();
    const before = registry!.get('caller')?.seq ?? Infinity;
    const file = join(dir, 'caller.flow');
    writeFileSync(file, caller('callee').replace('+15550999', '+15550998'));
    const report = await registry!.reload([file]);
    expect(report.published).toEqual(['caller']);
    expect(report.rejected).toEqual([]);
    expect(registry!.get('caller')?.seq).toBeGreaterThan(before);
  });

  it('the first load is strict too: the directory is every flow there is', async () => {
    const { seen } = setup({ 'caller.flow': caller('nobody') });
    const report = await registry!.load();
    expect(seen[0]?.knownFlows).toEqual([]);
    expect(report.published).toEqual([]);
    expect(cf3009(report.rejected[0]?.diagnostics ?? [])).toEqual(['error']);
  });
});

describe('knownFlows in the CLI', () => {
  it('a file that originates a flow not among the files given is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-known-cli-'));
    writeFileSync(join(dir, 'caller.flow'), caller('callee'));
    writeFileSync(join(dir, 'callee.flow'), CALLEE);
    const [alone] = await compileFiles(['caller.flow'], dir);
    expect(cf3009(alone?.diagnostics ?? [])).toEqual(['error']);
    expect(alone?.ir).toBeUndefined();
    const both = await compileFiles(['caller.flow', 'callee.flow'], dir);
    expect(both.map((c) => cf3009(c.diagnostics))).toEqual([[], []]);
    expect(both.every((c) => c.ir !== undefined)).toBe(true);
  });
});
