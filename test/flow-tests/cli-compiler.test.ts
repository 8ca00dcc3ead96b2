/**
 * `callflow test` and `callflow simulate` end to end through the CLI entry point, with the real compiler
 * (flow files on disk) and the real runtime on the simulated engine.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const DESK = `flow desk
  "The front desk: press 1 for sales, anything else says goodbye"

config greeting = "Welcome to the desk."

on call to "+1555*" -> welcome

state welcome
  answer
  prompt say config.greeting wait digits digits "12" timeout 5s into choice
    on timeout -> goodbye
  switch choice
    case "1" -> sales
    default -> goodbye

state sales
  log "caller \${call.from} chose sales"
  transfer "sip:sales@pbx.example.com" timeout 20s
    on failed -> goodbye
  hangup

state goodbye
  prompt say "Goodbye."
  hangup
`;

const GOOD_TESTS = `tests:
  - name: pressing 1 reaches sales
    call: { from: "+15550001", to: "+15550100" }
    world: { digits: "1" }
    expect:
      states: [welcome, sales]
      prompts: ["Welcome to the desk."]
      logs: ["caller +15550001 chose sales"]
      end: transferred
  - name: silence says goodbye
    call: { to: "+15550100" }
    config: { greeting: "Hi there." }
    expect:
      states: [welcome, goodbye]
      prompts: ["Hi there.", "Goodbye."]
      end: { cause: local-hangup, state: goodbye }
`;

const BAD_TESTS = `flow: desk.flow
tests:
  - name: a failed transfer is expected to say goodbye
    call: { to: "+15550100" }
    world:
      digits: "1"
      transfers: { "sip:sales@*": failed }
    expect:
      states: [welcome, sales, goodbye]
      prompts: ["Welcome to the desk.", "See you."]
`;

function capture(cwd: string): CommandIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd, isTty: false, text: () => lines.join('\n') };
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('callflow test with the real compiler', () => {
  it('runs *.test.yaml beside a .flow, passes, and prints coverage', async () => {
    const dir = dirWith({ 'desk.flow': DESK, 'desk.test.yaml': GOOD_TESTS });
    const io = capture(dir);
    const code = await main(['test'], io);
    const text = io.text();
    expect(text).toContain('✓ pressing 1 reaches sales');
    expect(text).toContain('✓ silence says goodbye');
    expect(text).toMatch(/coverage desk: states 3\/3 \(100%\), transitions \d+\/\d+/);
    expect(text).toContain('2 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('a failing test shows expected vs actual at file:line and exits 1', async () => {
    const dir = dirWith({ 'desk.flow': DESK, 'bad.test.yaml': BAD_TESTS });
    const io = capture(dir);
    const code = await main(['test', 'bad.test.yaml'], io);
    const text = io.text();
    expect(code).toBe(1);
    expect(text).toContain('✗ a failed transfer is expected to say goodbye');
    expect(text).toContain('bad.test.yaml:10  prompts: prompts played differ');
    expect(text).toContain('expected: ["Welcome to the desk.","See you."]');
    expect(text).toContain('actual:   ["Welcome to the desk.","Goodbye."]');
    expect(text).toContain('0 passed, 1 failed');
  });

  it('a flow that does not compile is reported with file:line:col and exits 1', async () => {
    const broken = DESK.replace('    default -> goodbye', '    default -> nowhere');
    const dir = dirWith({ 'desk.flow': broken, 'desk.test.yaml': GOOD_TESTS });
    const io = capture(dir);
    const code = await main(['test', dir], io);
    expect(code).toBe(1);
    expect(io.text()).toMatch(/desk\.flow:14:\d+ CF\d+ .*nowhere/);
  });
});

describe('callflow simulate with the real compiler', () => {
  it('runs a .flow headless: config defaults, digits, trace with file:line:col, summary', async () => {
    const dir = dirWith({ 'desk.flow': DESK });
    const io = capture(dir);
    const code = await main(['simulate', 'desk.flow', '--digits', '1', '--from', '+15550001', '--to', '+15550100'], io);
    const text = io.text();
    expect(code).toBe(0);
    expect(text).toMatch(/desk\.flow:16:1 +state\.enter sales/);
    expect(text).toContain('log level="info" message="caller +15550001 chose sales"');
    expect(text).toContain('prompts: Welcome to the desk.');
    expect(text).toContain('ended: transferred in sales at');
  });

  it('--config overrides a default and --hangup ends the call mid-prompt', async () => {
    const dir = dirWith({ 'desk.flow': DESK });
    const io = capture(dir);
    const code = await main(['simulate', join(dir, 'desk.flow'), '--config', '{"greeting":"Ahoy."}', '--hangup', '300ms'], io);
    expect(code).toBe(0);
    expect(io.text()).toContain('ended: remote-hangup in welcome at 300 ms');
    expect(io.text()).toContain('prompts: Ahoy.');
  });

  it('a scripted bot: the stream runs in virtual time and the summary names the bot and its outcome', async () => {
    const flow = `flow bot-desk
  "streams to a bot, falls back to a person"

on call to "+1555*" -> talk

state talk
  answer
  stream-to-websocket "wss://bot.example.com/media" protocol twilio params { caller: call.from }
    on error -> human
  hangup

state human
  log "fallback"
  hangup
`;
    const dir = dirWith({ 'bot-desk.flow': flow, 'world.yaml': 'bots:\n  - { url: "wss://bot.example.com/*", messages: [{ at: 1s, event: media, ms: 1000 }, { at: 1s, event: mark, name: hi }], closeAt: 5s }\n' });
    const io = capture(dir);
    expect(await main(['simulate', 'bot-desk.flow', '--script', 'world.yaml'], io)).toBe(0);
    expect(io.text()).toMatch(/bots: wss:\/\/bot\.example\.com\/media \(twilio\) → closed, \d+ messages/);
    expect(io.text()).toContain('ended: local-hangup in talk at 5000 ms');

    const down = capture(dir);
    writeFileSync(join(dir, 'down.yaml'), 'bots:\n  - { url: "wss://bot.example.com/*", unreachable: true }\n');
    expect(await main(['simulate', 'bot-desk.flow', '--script', 'down.yaml'], down)).toBe(0);
    expect(down.text()).toContain('ended: local-hangup in human');
  });

  it('--start runs an on-start entry, on an answered call when given {params, call}', async () => {
    const flow = `flow greet
on start (name: string) -> hello

state hello
  prompt say "Hello \${name}, calling \${call.to}."
  hangup
`;
    const dir = dirWith({ 'greet.flow': flow });
    const io = capture(dir);
    const start = JSON.stringify({ params: { name: 'Ada' }, call: { from: '+15550001', to: '+15550100' } });
    expect(await main(['simulate', 'greet.flow', '--start', start], io)).toBe(0);
    expect(io.text()).toContain('prompts: Hello Ada, calling +15550100.');

    const bad = capture(dir);
    const refused = JSON.stringify({ params: { name: 'Ada' }, call: { answered: false } });
    expect(await main(['simulate', 'greet.flow', '--start', refused], bad)).toBe(2);
    expect(bad.text()).toMatch(/--start start\.call: .*answered/);
  });

  it('a missing file is an error, not a crash', async () => {
    const io = capture(dirWith({}));
    expect(await main(['simulate', 'nope.flow'], io)).toBe(1);
    expect(io.text()).toMatch(/cannot read .*nope\.flow/);
  });
});
