/**
 * The outbound leg of the Agora-style gateway (the `on start` entry of flows/agora/pstn.flow) on the simulated
 * engine: the DTMF suffix, each `prompt` mode, and the channel join. `callflow test` cannot start an `on start`
 * session on an answered call yet, so this drives the real compiler and Session directly, the way the
 * simulator's `originate` does.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { createSimulatedEngine, type SimTarget } from '../../src/engines/simulated/index.js';
import { seededRandom } from '../../src/runtime/random.js';
import { Session } from '../../src/runtime/session.js';
import type { TraceEvent } from '../../src/runtime/trace.js';
import { STEP_RUNNERS } from '../../src/steps/index.js';

const FILE = fileURLToPath(new URL('../../flows/agora/pstn.flow', import.meta.url));
const CONFIG = {
  prompt_outbound: 'Press 1 to join.',
  prompt_outbound_lazy: 'Press any key to join.',
  prompt_goodbye: 'Goodbye.',
};

interface CalleeRun {
  states: string[];
  prompts: string[];
  /** How each prompt ended (done, barge-in, ...). */
  promptResults: string[];
  dtmfSent: string;
  channels: string[];
  cause: string;
}

/** Dial a simulated callee that behaves as `target`, then run the flow's `on start` on the answered leg. */
async function runCallee(params: Record<string, unknown>, target: SimTarget): Promise<CalleeRun> {
  const { ir, diagnostics } = compileSource(FILE, readFileSync(FILE, 'utf8'));
  if (!ir) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const entry = ir.entries.find((e) => e.kind === 'start');
  if (!entry) throw new Error('no start entry');
  const engine = createSimulatedEngine({
    script: { defaultTarget: target, channels: [{ channel: 'app1:pstn', at: 120_000 }] },
  });
  try {
    const dialled = await engine.clock.run(
      engine.ports.calls.dial({ to: '+14155550123', timeoutMs: 30_000 }),
      60_000,
    );
    if (dialled.outcome !== 'answered') throw new Error(`callee did not answer: ${dialled.outcome}`);
    const events: TraceEvent[] = [];
    const session = new Session({
      id: 's-callee',
      flow: ir,
      version: ir.sourceHash,
      entry,
      vars: {
        call: { id: dialled.leg.info.id, from: dialled.leg.info.from, to: dialled.leg.info.to },
        params: { prompt: 'false', dtmf: '', ...params },
        config: CONFIG,
        env: {},
        session: { id: 's-callee' },
      },
      ports: engine.ports,
      sessions: { originate: () => Promise.resolve({ outcome: 'failed' as const }) },
      runners: STEP_RUNNERS,
      call: dialled.leg,
      flowDir: dirname(FILE),
      random: seededRandom(1),
      limits: { maxDurationMs: 600_000 },
      onTrace: (e) => events.push(e),
    });
    session.start();
    const result = await engine.clock.run(session.done, 700_000);
    return {
      states: events.filter((e) => e.type === 'state.enter').map((e) => String(e.state)),
      prompts: engine.record.prompts.map((p) =>
        p.items
          .map((i) => (i.kind === 'say' ? i.text : i.kind === 'tone' ? `tone:${i.name}` : i.kind))
          .join(' + '),
      ),
      promptResults: engine.record.prompts.map((p) => p.result ?? 'pending'),
      dtmfSent: engine.record.events
        .filter((e) => e.type === 'dtmf-sent')
        .map((e) => String(e.digit))
        .join(''),
      channels: engine.record.channels.map((c) => c.channel),
      cause: result.cause,
    };
  } finally {
    await engine.close();
  }
}

describe('agora-pstn outbound leg (on start), simulated', () => {
  it('prompt=false joins at once, after sending the #digits suffix', async () => {
    const run = await runCallee({ channel: 'app1:pstn', prompt: 'false', dtmf: '333' }, {});
    expect(run.states).toEqual(['callee', 'callee_prompt', 'join_out']);
    expect(run.dtmfSent).toBe('333');
    expect(run.prompts).toEqual([]);
    expect(run.channels).toEqual(['app1:pstn']);
  });

  it('prompt=true joins when the callee presses 1', async () => {
    const run = await runCallee(
      { channel: 'app1:pstn', prompt: 'true' },
      { digits: [{ delay: 3000, keys: '1' }] },
    );
    expect(run.states).toEqual(['callee', 'callee_prompt', 'confirm', 'join_out']);
    expect(run.prompts).toEqual(['Press 1 to join.']);
    expect(run.channels).toEqual(['app1:pstn']);
  });

  it('prompt=true: 1 pressed during the prompt stops it and joins at once', async () => {
    const run = await runCallee(
      { channel: 'app1:pstn', prompt: 'true' },
      { digits: [{ delay: 300, keys: '1' }] },
    );
    expect(run.states).toEqual(['callee', 'callee_prompt', 'confirm', 'join_out']);
    expect(run.promptResults).toEqual(['barge-in']);
    expect(run.channels).toEqual(['app1:pstn']);
  });

  it('prompt=true with another key says goodbye and hangs up without joining', async () => {
    const run = await runCallee(
      { channel: 'app1:pstn', prompt: 'true' },
      { digits: [{ delay: 3000, keys: '5' }] },
    );
    expect(run.states).toEqual(['callee', 'callee_prompt', 'confirm', 'declined']);
    expect(run.prompts).toEqual(['Press 1 to join.', 'Goodbye.']);
    expect(run.channels).toEqual([]);
  });

  it('prompt=true with no key at all reprompts twice, then gives up', async () => {
    const run = await runCallee({ channel: 'app1:pstn', prompt: 'true' }, {});
    expect(run.states).toEqual(['callee', 'callee_prompt', 'confirm', 'confirm', 'confirm', 'declined']);
    expect(run.channels).toEqual([]);
  });

  it('prompt=lazy joins on any key', async () => {
    const run = await runCallee(
      { channel: 'app1:pstn', prompt: 'lazy' },
      { digits: [{ delay: 3000, keys: '9' }] },
    );
    expect(run.states).toEqual(['callee', 'callee_prompt', 'confirm_any', 'join_out']);
    expect(run.prompts).toEqual(['Press any key to join.']);
    expect(run.channels).toEqual(['app1:pstn']);
  });

  it('prompt=lazy with silence gives up after the reprompts', async () => {
    const run = await runCallee({ channel: 'app1:pstn', prompt: 'lazy' }, {});
    expect(run.states).toEqual([
      'callee',
      'callee_prompt',
      'confirm_any',
      'confirm_any',
      'confirm_any',
      'declined',
    ]);
  });

  it('prompt=beep beeps, then joins', async () => {
    const run = await runCallee({ channel: 'app1:pstn', prompt: 'beep' }, {});
    expect(run.states).toEqual(['callee', 'callee_prompt', 'beep_join', 'join_out']);
    expect(run.prompts).toEqual(['tone:beep']);
    expect(run.channels).toEqual(['app1:pstn']);
  });
});
