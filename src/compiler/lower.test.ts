import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource } from './index.js';
import type { StepIr } from './ir.js';

const clean = readFileSync(new URL('../../test/compiler/fixtures/clean.flow', import.meta.url), 'utf8');

describe('lowering', () => {
  const out = compileSource('clean.flow', clean);
  const ir = out.ir!;

  it('compiles a clean flow without diagnostics', () => {
    expect(out.diagnostics).toEqual([]);
    expect(ir.irVersion).toBe(1);
    expect(ir.name).toBe('clean');
    expect(ir.description).toBe('A flow with no problems at all');
    expect(ir.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(ir.states)).toEqual(['welcome', 'ask', 'wrong', 'dial', 'goodbye']);
  });

  it('lowers entries with ids, matchers, params and configs', () => {
    expect(ir.entries.map((e) => e.id)).toEqual(['call', 'start']);
    const call = ir.entries[0]!;
    expect(call.kind === 'call' && call.matchers).toEqual([{ field: 'to', pattern: '+15550100' }]);
    expect(call.to).toMatchObject({ kind: 'goto', state: 'welcome' });
    const start = ir.entries[1]!;
    expect(start.kind === 'start' && start.params.map((p) => p.name)).toEqual(['to', 'channel']);
    expect(ir.configs.map((c) => [c.name, c.default?.kind])).toEqual([['pin_url', 'string']]);
  });

  it('routes every outcome: explicit, continueOn, the `on other` default, and bounded retries', () => {
    const ask = ir.states.ask!.body;
    const pin = ask[0] as StepIr;
    expect(pin.id).toBe('ask/0');
    expect(pin.into).toBe('pin');
    expect(pin.outcomes.ok).toEqual({ kind: 'continue' });
    expect(pin.outcomes.invalid).toMatchObject({ kind: 'goto', state: 'wrong' });
    expect(pin.outcomes.timeout).toMatchObject({
      kind: 'bounded',
      counter: 'ask/0:timeout',
      max: 3,
      then: { kind: 'goto', state: 'ask' },
      else: { kind: 'goto', state: 'goodbye' },
    });
    expect(pin.args['first-digit-timeout']).toMatchObject({ kind: 'duration', ms: 10_000 });
    const lookup = ask[1] as StepIr;
    expect(Object.keys(lookup.outcomes).sort()).toEqual(['*', 'error', 'found', 'missing']);
    expect(lookup.outcomes.found).toEqual({ kind: 'continue' });
    expect(lookup.outcomes.error).toMatchObject({ kind: 'goto', state: 'goodbye' });
    expect(lookup.args.method).toMatchObject({ kind: 'string', parts: ['POST'] });
    expect(ask[3]).toMatchObject({ op: 'goto', id: 'ask/3', to: { kind: 'goto', state: 'goodbye' } });
  });

  it('keeps source ranges: goto ranges point at the target name', () => {
    const pin = ir.states.ask!.body[0] as StepIr;
    expect(pin.range.start).toEqual({ line: 14, character: 2 });
    const g = ir.states.ask!.body[3]!;
    expect(g.op === 'goto' && g.to.kind === 'goto' && g.to.range.start).toEqual({ line: 21, character: 5 });
  });

  it('lowers if/switch/set and `max` without else (continue)', () => {
    const r = compileSource(
      'x.flow',
      `flow x
on start (n: number) -> main
state main
  set a.b = n + 1
  switch n
    case 1, 2 -> one
    default -> two
state one
  if n > 1 -> two max 2
  -> end
state two
  log "two"
  -> end
`,
    );
    expect(r.diagnostics).toEqual([]);
    const main = r.ir!.states.main!.body;
    expect(main[0]).toMatchObject({ op: 'set', target: ['a', 'b'] });
    expect(main[1]).toMatchObject({
      op: 'switch',
      cases: [{ values: [{ value: 1 }, { value: 2 }], to: { state: 'one' } }],
      default: { state: 'two' },
    });
    expect(r.ir!.states.one!.body[0]).toMatchObject({
      op: 'if',
      then: { kind: 'bounded', max: 2, else: { kind: 'continue' } },
      else: { kind: 'continue' },
    });
  });

  it('is JSON: a round trip through JSON.stringify changes nothing', () => {
    expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
  });
});

describe('outcomes a step cannot produce with its arguments', () => {
  const warnings = (body: string): string[] => {
    const text = `flow t\non call -> s\n\nstate s\n  answer\n${body}\n  hangup\n\nstate x\n  hangup\n`;
    return compileSource('t.flow', text).diagnostics.filter((d) => d.code === 'CF4012').map((d) => d.message);
  };
  const outcomes = (body: string): string[] => {
    const text = `flow t\non call -> s\n\nstate s\n  answer\n${body}\n  hangup\n\nstate x\n  hangup\n`;
    const step = compileSource('t.flow', text).ir!.states.s!.body[1] as StepIr;
    return Object.keys(step.outcomes).sort();
  };

  it('a prompt ends with digit only when it waits or allows barge-in, and with done only when it does not wait', () => {
    expect(warnings('  prompt say "hi"\n    on digit -> x')).toEqual([
      "'prompt' ends with 'digit' only when 'wait' or 'barge-in' is given, so this route is never taken",
    ]);
    expect(warnings('  prompt say "hi" barge-in\n    on digit -> x')).toEqual([]);
    expect(warnings('  prompt say "hi" wait any\n    on done -> x\n    on timeout -> x')).toEqual([
      "'prompt' ends with 'done' never when 'wait' is given, so this route is never taken",
    ]);
    expect(outcomes('  prompt say "hi"')).toEqual(['done']);
    expect(outcomes('  prompt say "hi" wait any\n    on timeout -> x')).toEqual(['digit', 'timeout']);
  });

  it('originate with wait none only ends with started, invalid or failed', () => {
    expect(warnings('  originate "+15550100" wait none\n    on busy -> x\n    on other -> x')).toEqual([
      "'originate' ends with 'busy' never when 'wait' is given, so this route is never taken",
    ]);
    expect(outcomes('  originate "+15550100" wait none\n    on other -> x')).toEqual(['*', 'failed', 'invalid', 'started']);
  });
});
