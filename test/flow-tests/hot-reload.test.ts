/**
 * Hot reload end to end: a flow directory on disk, the real compiler, the FlowRegistry watching it, and the
 * Runtime starting sessions on the simulated engine. Editing the file publishes a new version for new
 * sessions while running ones finish on theirs; a broken edit keeps the last good version serving and reports
 * diagnostics at file:line:col; no session is dropped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileBatch } from '../../src/compiler/index.js';
import { createSimulatedEngine } from '../../src/engines/simulated/index.js';
import type { Diagnostic } from '../../src/language/diagnostics.js';
import { FlowRegistry, type RegistrySnapshot } from '../../src/runtime/registry.js';
import { Runtime } from '../../src/runtime/runtime.js';
import type { Session } from '../../src/runtime/session.js';
import { formatRange } from '../../src/runtime/trace.js';
import { STEP_RUNNERS } from '../../src/steps/index.js';

const greeter = (version: string, extra = ''): string => `flow greeter
  "hot reload fixture"

on call to "+1555*" -> main

state main
  answer
  prompt say "this is version ${version}"
  wait 30s
  log "finished on ${version}"
${extra}  hangup
`;

function next<T>(reg: FlowRegistry, event: 'updated' | 'diagnostics', pred: (v: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reg.off(event, on);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (v: T): void => {
      if (!pred(v)) return;
      clearTimeout(timer);
      reg.off(event, on);
      resolve(v);
    };
    reg.on(event, on);
  });
}

const CALLEE = (extra = ''): string => `flow callee
  "the far end of an originate"

on start (greeting: string = "hi") -> main

state main
  prompt say greeting
${extra}  hangup
`;

const CALLER = (greeting: string): string => `flow caller
  "originates into callee"

on call to "+1555*" -> main

state main
  answer
  originate "+15550999" flow "callee" params { greeting: "${greeting}" }
    on other -> main
  hangup
`;

const logsOf = (s: Session): string[] => s.trace.events().filter((e) => e.type === 'log').map((e) => String(e.message));

let registry: FlowRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

describe('hot reload with the real compiler', () => {
  it('new sessions get the new version, running ones keep theirs, a broken edit keeps the last good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-reload-'));
    const file = join(dir, 'greeter.flow');
    writeFileSync(file, greeter('one'));
    registry = new FlowRegistry({ dir, compile: (sources) => compileBatch(sources), debounceMs: 50 });
    const loaded = await registry.load();
    expect(loaded.published).toEqual(['greeter']);
    await registry.watch();
    const v1 = registry.get('greeter');

    const engine = createSimulatedEngine();
    let n = 0;
    const runtime = new Runtime({ flows: registry, ports: engine.ports, runners: STEP_RUNNERS, newId: () => `s${++n}` });
    const a = runtime.startCallSession(engine.inboundCall({ to: '+15550100' }));
    expect(a?.version).toBe(v1?.label);

    // v2: published on write; a new session runs it while `a` is still on v1.
    const updated = next<RegistrySnapshot>(registry, 'updated');
    writeFileSync(file, greeter('two'));
    const snap = await updated;
    const v2 = snap.flows.get('greeter');
    expect(v2?.label).not.toBe(v1?.label);
    expect(v2?.seq).toBeGreaterThan(v1?.seq ?? Infinity);
    const b = runtime.startCallSession(engine.inboundCall({ to: '+15550101' }));
    expect(b?.version).toBe(v2?.label);
    expect(a?.version).toBe(v1?.label);
    expect(a?.flow).toBe(v1?.ir);

    // v3 is broken (a transition to a state that does not exist): v2 keeps serving, diagnostics name the spot.
    const diags = next<{ file: string; diagnostics: Diagnostic[] }>(registry, 'diagnostics', (d) => d.diagnostics.some((x) => x.severity === 'error'));
    writeFileSync(file, greeter('three', '  -> nowhere\n'));
    const reported = await diags;
    const errors = reported.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((d) => `${formatRange(d.range)} ${d.message}`).join('\n')).toMatch(/greeter\.flow:11:6 unknown state .nowhere./);
    expect(registry.get('greeter')?.label).toBe(v2?.label);
    expect([...registry.diagnostics().values()].flat().some((d) => d.severity === 'error')).toBe(true);
    const c = runtime.startCallSession(engine.inboundCall({ to: '+15550102' }));
    expect(c?.version).toBe(v2?.label);

    // Everyone finishes on the version they started with; nobody is dropped.
    const ended = await engine.clock.run(Promise.all([a!.done, b!.done, c!.done]));
    expect(ended.map((r) => r.cause)).toEqual(['local-hangup', 'local-hangup', 'local-hangup']);
    expect(logsOf(a!)).toEqual(['finished on one']);
    expect(logsOf(b!)).toEqual(['finished on two']);
    expect(logsOf(c!)).toEqual(['finished on two']);

    // Fixing the file publishes again and clears the problems.
    const fixed = next<RegistrySnapshot>(registry, 'updated');
    writeFileSync(file, greeter('four'));
    expect((await fixed).flows.get('greeter')?.ir.states.main).toBeDefined();
    expect(registry.diagnostics().size).toBe(0);
    const d = runtime.startCallSession(engine.inboundCall({ to: '+15550103' }));
    await engine.clock.run(d!.done);
    expect(logsOf(d!)).toEqual(['finished on four']);
  });

  it('a reload is atomic across flows that refer to each other: one broken file holds back both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-reload-'));
    const caller = join(dir, 'caller.flow');
    const callee = join(dir, 'callee.flow');
    writeFileSync(caller, CALLER('v1'));
    writeFileSync(callee, CALLEE());
    registry = new FlowRegistry({ dir, compile: (sources) => compileBatch(sources) });
    expect((await registry.load()).published.sort()).toEqual(['callee', 'caller']);
    const before = registry.snapshot();

    // Both change in one batch; the callee is broken, so the caller (which refers to it) is held back too.
    writeFileSync(caller, CALLER('v2'));
    writeFileSync(callee, CALLEE('  -> nowhere\n'));
    const report = await registry.reload([caller, callee]);
    expect(report.published).toEqual([]);
    expect(report.rejected.map((r) => r.file).sort()).toEqual([callee, caller].sort());
    const held = report.rejected.find((r) => r.file === caller)?.diagnostics.map((d) => `${formatRange(d.range)} ${d.code} ${d.message}`).join('\n');
    expect(held).toMatch(/caller\.flow:1:1 CF3901 not published: .*callee\.flow/);
    const broken = report.rejected.find((r) => r.file === callee)?.diagnostics.map((d) => formatRange(d.range)).join('\n');
    expect(broken).toMatch(/callee\.flow:8:6/);
    expect(registry.snapshot()).toBe(before);

    // Fixed: the callee is back to the text it was serving (same hash, same version), so only the caller's
    // new version is published, in one new generation.
    const calleeLabel = registry.get('callee')?.label;
    writeFileSync(callee, CALLEE());
    const fixed = await registry.reload([caller, callee]);
    expect(fixed.published).toEqual(['caller']);
    expect(registry.get('callee')?.label).toBe(calleeLabel);
    expect(registry.snapshot().generation).toBe(before.generation + 1);
    expect(JSON.stringify(registry.get('caller')?.ir)).toContain('v2');
  });
});
