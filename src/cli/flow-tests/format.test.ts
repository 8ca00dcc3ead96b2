import { describe, expect, it } from 'vitest';
import { durationMs, parseFlowTestFile, worldOf } from './format.js';

const TEXT = `flow: conf.flow
config: { pin_url: "https://p.example" }
tests:
  - name: joins
    call: { from: "+1555", to: "+1666" }
    world:
      digits: "1234#"
      hangup: 2m
      targets: { alice: { result: busy, after: 2s } }
    expect:
      states: [welcome, ask]
      prompts: [Welcome]
  - name: api
    http: { method: post, path: /v1/x, body: { a: 1 } }
    limit: 30s
    expect:
      response: { status: 200 }
  - name: started
    start: { params: { to: "+1777" } }
`;

describe('flow test format', () => {
  it('parses tests, entries, worlds and the lines of expectations', () => {
    const f = parseFlowTestFile('x.test.yaml', TEXT);
    expect(f.problems).toEqual([]);
    expect(f.flow).toBe('conf.flow');
    const [a, b, c] = f.tests;
    expect(a?.entry).toEqual({ kind: 'call', from: '+1555', to: '+1666' });
    expect(a?.config).toEqual({ pin_url: 'https://p.example' });
    expect(a?.world.caller).toEqual({ digits: [{ after: 'listen', delay: 500, keys: '1234#' }], hangup: { at: 120_000 } });
    expect(a?.world.targets).toEqual({ alice: { result: 'busy', after: 2000 } });
    expect(a?.line).toBe(3);
    expect(a?.expectLines).toEqual({ states: 10, prompts: 11 });
    expect(b?.entry).toEqual({ kind: 'http', method: 'POST', path: '/v1/x', body: { a: 1 } });
    expect(b?.limitMs).toBe(30_000);
    expect(c?.entry).toEqual({ kind: 'start', params: { to: '+1777' } });
  });

  it('start: {params, call} runs on an answered leg; the parameters alone still work', () => {
    const f = parseFlowTestFile(
      'x.test.yaml',
      `tests:
  - name: on a leg
    start:
      params: { channel: "a:b", prompt: "true" }
      call: { from: "+1800222333", to: "+447712886400", answered: true, headers: { X-Id: "7" } }
  - name: on a leg without parameters
    start: { call: {} }
  - name: a parameter named params is fine without call
    start: { channel: x }
`,
    );
    expect(f.problems).toEqual([]);
    expect(f.tests.map((t) => t.entry)).toEqual([
      { kind: 'start', params: { channel: 'a:b', prompt: 'true' }, call: { from: '+1800222333', to: '+447712886400', headers: { 'X-Id': '7' } } },
      { kind: 'start', params: {}, call: {} },
      { kind: 'start', params: { channel: 'x' } },
    ]);
  });

  it('a start call that is not answered, or has unknown keys, is a problem on the test line', () => {
    const f = parseFlowTestFile(
      'x.test.yaml',
      `tests:
  - name: ringing
    start: { params: {}, call: { answered: false } }
  - name: typo
    start: { params: {}, call: { form: "+1" } }
  - name: kept
    start: { params: {}, call: { to: "+1" } }
`,
    );
    expect(f.tests.map((t) => t.name)).toEqual(['kept']);
    expect(f.problems.map((p) => p.line)).toEqual([1, 3]);
    expect(f.problems[0]?.message).toMatch(/only run on answered calls/);
    expect(f.problems[1]?.message).toBe('start.call: unknown key form (expected from, to, headers, id, answered)');
  });

  it('defaults the flow to the file base name and reports YAML problems with lines', () => {
    const f = parseFlowTestFile('dir/ivr.test.yaml', 'tests:\n  - name: x\n    expect: [unclosed\n');
    expect(f.flow).toBe('ivr.flow');
    expect(f.problems.length).toBeGreaterThan(0);
    expect(parseFlowTestFile('a.test.yaml', 'just text').problems[0]?.message).toMatch(/tests/);
  });

  it('reads durations and leaves non-time strings alone', () => {
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs(7)).toBe(7);
    expect(durationMs('soon')).toBeUndefined();
    expect(worldOf({ caller: { digits: [{ after: 'prompt', delay: '1s', keys: '1' }] } }).caller?.digits?.[0]).toEqual({ after: 'prompt', delay: 1000, keys: '1' });
  });
});
