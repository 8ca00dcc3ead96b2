/**
 * `start: {params, call}` tests (an `on start` session on an answered leg, as originate hands it over) and
 * request validation before `on http` sessions, through the whole runner with the flow given as IR.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FieldIr, FlowIr } from '../../compiler/ir.js';
import type { TypeAst } from '../../language/ast.js';
import { at, x } from '../../runtime/testing/expr.js';
import { flow, s, t } from '../../runtime/testing/ir.js';
import { run as testCommand } from '../commands/test.js';
import type { CommandIo } from '../io.js';
import type { FlowHost } from './run.js';
import { runSimSession } from './sim-session.js';

const R = at();
const str: TypeAst = { kind: 'base', name: 'string', range: R };
const field = (name: string, type: TypeAst = str, optional = false): FieldIr => ({ name, type, optional });

/** A callee flow (send the DTMF, ask for 1, join) and an API entry that validates its body. */
function calleeIr(file: string): FlowIr {
  return flow(
    'callee',
    {
      main: [
        s.step('log', { message: x.str('leg ', x.v('call.id'), ' ', x.v('call.direction'), ' to ', x.v('call.to'), ' from ', x.v('call.from')) }, { ok: t.cont() }),
        s.if(x.bin('==', x.v('params.dtmf'), x.str('')), t.goto('ask')),
        s.step('send-dtmf', { digits: x.v('params.dtmf') }, { sent: t.cont() }),
        s.goto('ask'),
      ],
      ask: [
        s.step('prompt', { say: x.str('Press 1 to join.'), 'barge-in': x.bool(true), wait: x.str('any'), timeout: x.dur(5000) }, { timeout: t.goto('bye'), digit: t.cont(), done: t.cont() }, 'key'),
        s.if(x.bin('==', x.v('key'), x.str('1')), t.goto('room'), t.goto('bye')),
      ],
      room: [s.step('bridge-to-channel', { channel: x.v('params.channel') }, { left: t.cont() }), s.step('hangup', {}, {})],
      bye: [s.step('prompt', { say: x.str('Goodbye.') }, { done: t.cont(), digit: t.cont() }), s.step('hangup', {}, {})],
      api: [s.step('respond', { status: x.num(200), body: x.obj({ ok: x.bool(true) }) }, { sent: t.end() })],
      bad: [s.step('respond', { status: x.num(422), body: x.obj({ errors: x.v('request.errors') }) }, { sent: t.end() })],
    },
    {
      file,
      entries: [
        { kind: 'start', id: 'start', params: [field('channel'), { ...field('dtmf', str, true), default: x.str('') }], to: t.goto('main'), range: R },
        { kind: 'http', id: 'checked', method: 'POST', path: '/checked', request: [field('name')], invalid: t.goto('bad'), to: t.goto('api'), range: R },
        { kind: 'http', id: 'plain', method: 'POST', path: '/plain', request: [field('name')], to: t.goto('api'), range: R },
      ],
    },
  );
}

function capture(cwd: string): CommandIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd, isTty: false, text: () => lines.join('\n') };
}

/** Write the test file and run `callflow test` on it with the IR host. */
async function runTests(yaml: string): Promise<{ code: number; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cf-startcall-'));
  writeFileSync(join(dir, 'callee.test.yaml'), yaml);
  const host: FlowHost = {
    compile: (file) => Promise.resolve(file.endsWith('callee.flow') ? { ir: calleeIr(file), errors: [] } : { errors: ['no such flow'] }),
    runSession: (req) => runSimSession(req),
  };
  const io = capture(dir);
  const code = await testCommand(['--trace'], io, host);
  return { code, text: io.text() };
}

describe('start tests on an answered call leg', () => {
  it('run the session on the leg: the world presses keys and hangs up on it, call.* describes it', async () => {
    const { code, text } = await runTests(`tests:
  - name: joins on 1 after the DTMF
    start:
      params: { channel: room-7, dtmf: "333" }
      call: { from: "+1800222333", to: "+447712886400", answered: true }
    world:
      caller: { digits: [{ after: prompt, delay: 3s, keys: "1" }] }
      channels: [{ channel: room-7, at: 60s }]
    expect:
      states: [main, ask, room]
      dtmf-sent: "333"
      prompts: ["Press 1 to join."]
      digits: ["1"]
      channels: [room-7]
      logs: ["leg leg-1 outbound to +447712886400 from +1800222333"]
      end: { cause: local-hangup, state: room }
  - name: a barge-in key counts as the digit taken
    start: { params: { channel: room-7 }, call: { to: "+4477" } }
    world:
      digits: "1"
      channels: [{ channel: room-7, at: 60s }]
    expect:
      states: [main, ask, room]
      dtmf-sent: ""
      digits: ["1"]
  - name: the callee hangs up during the prompt
    start: { params: { channel: room-7 }, call: { to: "+4477" } }
    world:
      hangup: { after: answer, delay: 1s }
    expect:
      states: [main, ask]
      channels: []
      end: { cause: remote-hangup, state: ask }
`);
    expect(text).toContain('✓ joins on 1 after the DTMF');
    expect(text).toContain('✓ a barge-in key counts as the digit taken');
    expect(text).toContain('✓ the callee hangs up during the prompt');
    expect(text).toContain('3 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('without call: the session has no leg, so call steps fail', async () => {
    const { code, text } = await runTests(`tests:
  - name: no leg
    start: { channel: room-7 }
    expect:
      end: { cause: error }
`);
    expect(text).toContain('✓ no leg');
    expect(code).toBe(0);
  });

  it('a failing expectation names the file:line and shows expected and actual', async () => {
    const { code, text } = await runTests(`tests:
  - name: wrong expectations
    start:
      params: { channel: room-7, dtmf: "333" }
      call: { to: "+4477", answered: true }
    world:
      caller: { digits: [{ after: prompt, delay: 6s, keys: "5" }] }
    expect:
      dtmf-sent: "999"
      channels: [room-7]
`);
    expect(code).toBe(1);
    expect(text).toContain('✗ wrong expectations');
    expect(text).toContain('callee.test.yaml:9  dtmf-sent: DTMF sent differs');
    expect(text).toContain('expected: "999"');
    expect(text).toContain('actual:   "333"');
    expect(text).toContain('callee.test.yaml:10  channels: channels joined differ');
    expect(text).toContain('actual:   []');
    expect(text).toContain('state.enter bye');
    expect(text).toContain('0 passed, 1 failed');
  });

  it('an unanswered call is refused with the line of the test', async () => {
    const { code, text } = await runTests(`tests:
  - name: ringing
    start: { params: { channel: room-7 }, call: { to: "+4477", answered: false } }
`);
    expect(code).toBe(1);
    expect(text).toMatch(/! callee\.test\.yaml:2 {2}start\.call: `on start` sessions only run on answered calls/);
  });
});

describe('HTTP bodies are validated as the server does', () => {
  it('an invalid body goes to the entry\'s invalid route with request.errors; without one the server answers 400', async () => {
    const { code, text } = await runTests(`tests:
  - name: routed to invalid
    entry: checked
    http: { method: POST, path: /checked, body: { name: 5 } }
    expect:
      states: [bad]
      response: { status: 422, body: { errors: [{ field: name, problem: type }] } }
  - name: rejected before any session
    entry: plain
    http: { method: POST, path: /plain, body: {} }
    expect:
      states: []
      response: { status: 400, body: { error: invalid request, field: name } }
      end: { cause: invalid-request }
  - name: a valid body runs the flow
    entry: plain
    http: { method: POST, path: /plain, body: { name: x } }
    expect:
      states: [api]
      response: { status: 200, body: { ok: true } }
`);
    expect(text).toContain('3 passed, 0 failed');
    expect(code).toBe(0);
  });
});
