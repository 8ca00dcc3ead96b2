/** `callflow simulate` on the simulated engine, with the flow given as IR (no compiler needed). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as simulate } from '../../src/cli/commands/simulate.js';
import type { CommandIo } from '../../src/cli/io.js';
import type { FlowHost } from '../../src/cli/flow-tests/run.js';
import { runSimSession } from '../../src/cli/flow-tests/sim-session.js';
import { conferenceIr } from './conference-ir.js';

const host: FlowHost = { compile: (file) => Promise.resolve({ ir: conferenceIr(file), errors: [] }), runSession: runSimSession };

function capture(cwd: string): CommandIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd, isTty: false, text: () => lines.join('\n') };
}

describe('callflow simulate', () => {
  it('runs a call with digits and a scripted world, and prints the trace and a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-sim-'));
    writeFileSync(join(dir, 'world.yaml'), 'http:\n  - { url: /check, status: 200, body: { channel: blue } }\nchannels: [{ channel: blue, at: 30s }]\n');
    const io = capture(dir);
    const code = await simulate(['conference.flow', '--digits', '4321#', '--script', 'world.yaml', '--config', '{"pin_url":"https://pins.example/check"}', '--to', '+15550100'], io, host);
    const text = io.text();
    expect(code).toBe(0);
    expect(text).toMatch(/state\.enter join/);
    expect(text).toMatch(/digits\.collected digits="4321"/);
    expect(text).toContain('ended: completed');
    expect(text).toContain('http: POST https://pins.example/check → 200');
    expect(text).toContain('prompts: Welcome. | Enter your PIN.');
  });

  it('a caller hangup mid-prompt ends the session cleanly', async () => {
    const io = capture(mkdtempSync(join(tmpdir(), 'cf-sim-')));
    const code = await simulate(['conference.flow', '--hangup', '200ms'], io, host);
    expect(code).toBe(0);
    expect(io.text()).toContain('ended: remote-hangup in welcome at 200 ms');
  });

  it('usage errors exit 2', async () => {
    const io = capture(process.cwd());
    expect(await simulate([], io, host)).toBe(2);
    expect(await simulate(['x.flow', '--bogus'], io, host)).toBe(2);
  });
});
