/** The flow-test runner end to end on the simulated engine, with the flow given as IR (no compiler needed). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as testCommand } from '../../src/cli/commands/test.js';
import type { CommandIo } from '../../src/cli/io.js';
import { runSimSession } from '../../src/cli/flow-tests/sim-session.js';
import type { FlowHost } from '../../src/cli/flow-tests/run.js';
import { conferenceIr } from './conference-ir.js';

const TESTS = `flow: conference.flow
config: { pin_url: "https://pins.example/check" }
tests:
  - name: a valid PIN joins the room
    call: { from: "+15550001", to: "+15550100" }
    world:
      digits: "1234#"
      http: [{ method: POST, url: "https://pins.example/check", status: 200, body: { channel: room-7 } }]
      channels: [{ channel: room-7, at: 60s }]
    expect:
      states: [welcome, ask, join]
      prompts: ["Welcome.", "Enter your PIN."]
      digits: ["1234"]
      http: [{ method: POST, body: { pin: "1234" } }]
      channels: [room-7]
      logs: [joining room-7]
      end: completed
  - name: an unknown PIN is refused, then the caller gives up
    call: { to: "+15550100" }
    world:
      caller: { digits: [{ after: listen, delay: 1s, keys: "9999#" }] }
      http: [{ url: "https://pins.example/check", status: 404 }]
    expect:
      visits: [ask, wrong, ask, goodbye]
      prompts-include: ["That PIN is not valid.", "Goodbye."]
      end: { cause: local-hangup, state: goodbye }
`;

const FAILING = `flow: conference.flow
config: { pin_url: "https://pins.example/check" }
tests:
  - name: expects the wrong prompts
    call: { to: "+15550100" }
    world: { digits: "1234#", http: [{ url: "/check", status: 500 }] }
    expect:
      states: [welcome, ask, goodbye]
      prompts: ["Welcome.", "Enter your PIN.", "See you."]
`;

function capture(cwd: string): CommandIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd, isTty: false, text: () => lines.join('\n') };
}

function setup(files: Record<string, string>): { dir: string; host: FlowHost } {
  const dir = mkdtempSync(join(tmpdir(), 'cf-flowtests-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const host: FlowHost = {
    compile: (file) => Promise.resolve(file.endsWith('conference.flow') ? { ir: conferenceIr(file), errors: [] } : { errors: ['no such flow'] }),
    runSession: (req) => runSimSession(req),
  };
  return { dir, host };
}

describe('callflow test (runner)', () => {
  it('passes good tests and prints coverage', async () => {
    const { dir, host } = setup({ 'conference.test.yaml': TESTS });
    const io = capture(dir);
    const code = await testCommand([], io, host);
    const text = io.text();
    expect(text).toContain('✓ a valid PIN joins the room');
    expect(text).toContain('✓ an unknown PIN is refused, then the caller gives up');
    expect(text).toMatch(/coverage conference: states 5\/5 \(100%\), transitions \d+\/\d+/);
    expect(text).toContain('2 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('a failing test prints expected vs actual with the file:line of the expectation, and exits 1', async () => {
    const { dir, host } = setup({ 'bad.test.yaml': FAILING });
    const io = capture(dir);
    const code = await testCommand(['bad.test.yaml'], io, host);
    const text = io.text();
    expect(code).toBe(1);
    expect(text).toContain('✗ expects the wrong prompts');
    expect(text).toContain('bad.test.yaml:9  prompts: prompts played differ');
    expect(text).toContain('expected: ["Welcome.","Enter your PIN.","See you."]');
    expect(text).toContain('actual:   ["Welcome.","Enter your PIN.","Goodbye."]');
    expect(text).not.toContain('states: states entered differ');
    expect(text).toContain('0 passed, 1 failed');
  });
});
