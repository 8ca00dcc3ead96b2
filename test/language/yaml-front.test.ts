/** The YAML front end: same AST as the DSL, value/expression readings, ranges and diagnostics into the YAML text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatSource,
  parseFlow,
  parseSource,
  parseYamlFlow,
  type Expr,
  type StepAst,
} from '../../src/language/index.js';
import { parseErrors, ROOT, show, stripRanges } from './helpers.js';

function yamlAst(text: string) {
  const r = parseYamlFlow('t.yaml', text);
  expect(show(parseErrors(r.diagnostics))).toEqual([]);
  return r.ast!;
}

function flowAst(text: string) {
  const r = parseFlow('t.flow', text);
  expect(show(parseErrors(r.diagnostics))).toEqual([]);
  return r.ast!;
}

/** The first statement of the first state. */
function first(text: string) {
  return yamlAst(text).states[0]!.body[0]!;
}

function arg(text: string, name: string): Expr {
  const s = first(text) as StepAst;
  return s.args.find((a) => a.name.name === name)!.value;
}

const wrap = (body: string): string => `flow t\nstate s\n${body.replace(/^/gm, '  ')}\n`;
const ywrap = (items: string): string => `flow: t\nstates:\n  s:\n${items.replace(/^/gm, '    ')}\n`;

describe('YAML means the same as the DSL', () => {
  const pairs: Array<[string, string, string]> = [
    ['a step without arguments', 'answer', '- answer'],
    [
      'named arguments and a flag',
      'prompt say "Hi ${call.from}" barge-in',
      '- prompt: {say: "Hi ${call.from}", barge-in: true}',
    ],
    [
      'an unquoted interpolated string',
      'prompt say "Hi ${call.from}!"',
      '- prompt:\n    say: Hi ${call.from}!',
    ],
    [
      'a positional argument',
      'bridge-to-channel room.channel muted',
      '- bridge-to-channel:\n    channel: ${room.channel}\n    muted: true',
    ],
    ['a positional short form', 'wait 2s', '- wait: 2s'],
    ['enum words', 'lookup url "http://x" method POST', '- lookup: {url: "http://x", method: POST}'],
    [
      'numeric enum',
      'stream-to-websocket "ws://b" sample-rate 16000',
      '- stream-to-websocket: {url: "ws://b", sample-rate: 16000}',
    ],
    [
      'objects and lists',
      'lookup url "u" body { a: [1, 2.5, true, null], b: x.y }',
      '- lookup:\n    url: u\n    body:\n      a: [1, 2.5, true, null]\n      b: ${x.y}',
    ],
    [
      'into and outcomes with max/else and other',
      'collect-pin max-digits 4 into pin\n  on timeout -> s max 3 else -> t\n  on other -> s',
      '- collect-pin: {max-digits: 4}\n  into: pin\n  on:\n    timeout: s max 3 else t\n    other: s',
    ],
    [
      'a transition map',
      'collect-pin\n  on timeout -> s max 2 else -> t',
      '- collect-pin:\n  on:\n    timeout: {to: s, max: 2, else: t}',
    ],
    ['set with an expression', 'set a.b = (n ?? 0) + 1 * 2', '- set: {a.b: (n ?? 0) + 1 * 2}'],
    ['set with text', 'set g = "hello ${name}"', '- set: {g: "hello ${name}"}'],
    ['if/else', 'if x == "1" && !done -> s else -> t', '- if: x == "1" && !done\n  then: s\n  else: t'],
    [
      'switch',
      'switch d\n  case "1", 2 -> s\n  default -> t',
      '- switch: d\n  cases:\n    - case: ["1", 2]\n      goto: s\n  default: t',
    ],
    ['goto and arrow', 'goto s max 2 else -> t\n-> s', '- goto: s max 2 else t\n- -> s'],
    [
      'negative numbers and durations',
      'lookup url "u" retries -1 timeout -2s',
      '- lookup: {url: u, retries: -1, timeout: -2s}',
    ],
    ['an !expr tag', 'set x = a + ": b"', '- set: {x: !expr "a + \\": b\\""}'],
  ];
  for (const [what, dsl, yaml] of pairs) {
    it(what, () => {
      expect(stripRanges(yamlAst(ywrap(yaml)))).toEqual(stripRanges(flowAst(wrap(dsl))));
    });
  }

  it('entries, config and fields', () => {
    const dsl = [
      'flow t',
      '  "line one"',
      '  "line two"',
      'config a = 5',
      'config b',
      '  "doc of b"',
      'config c = null',
      'on call to "+1555" user "x_*" -> s',
      'on call -> s',
      'on start (to: string, n?: number = 3) -> s',
      'on http GET /v1/x/:id',
      '  "doc"',
      '  auth basic realm "r"',
      '  request',
      '    kind: "a" | "b"',
      '      "what it is"',
      '    n?: string | number = "1"',
      '  invalid -> s',
      '  -> s',
      'state s',
    ].join('\n');
    const yaml = [
      'flow: t',
      'description: |-',
      '  line one',
      '  line two',
      'config:',
      '  a: 5',
      '  b: {doc: doc of b}',
      '  c: {default: null}',
      'on:',
      '  - call: {to: "+1555", user: x_*}',
      '    goto: s',
      '  - call:',
      '    goto: s',
      '  - start: {to: string, n?: {type: number, default: 3}}',
      '    goto: s',
      '  - http: GET /v1/x/:id',
      '    doc: doc',
      '    auth: {scheme: basic, realm: r}',
      '    request:',
      '      kind: {type: ["a", "b"], doc: what it is}',
      '      n?: {type: string | number, default: "1"}',
      '    invalid: s',
      '    goto: s',
      'states:',
      '  s:',
    ].join('\n');
    expect(stripRanges(yamlAst(yaml))).toEqual(stripRanges(flowAst(dsl)));
  });
});

describe('value and expression positions', () => {
  it('reads an unquoted dotted word in a value position as text, and ${...} as an expression', () => {
    expect(arg(ywrap('- bridge-to-channel: room.channel'), 'channel')).toMatchObject({
      kind: 'string',
      parts: ['room.channel'],
    });
    expect(arg(ywrap('- bridge-to-channel: ${room.channel}'), 'channel')).toMatchObject({
      kind: 'member',
      name: 'channel',
    });
    expect(arg(ywrap('- bridge-to-channel: "${room.channel}"'), 'channel')).toMatchObject({
      kind: 'string',
      parts: [{ kind: 'member' }],
    });
  });

  it('reads unquoted durations as durations and quoted ones as text', () => {
    expect(arg(ywrap('- wait: 1m30s'), 'duration')).toMatchObject({
      kind: 'duration',
      ms: 90_000,
      text: '1m30s',
    });
    expect(arg(ywrap('- wait: "10s"'), 'duration')).toMatchObject({ kind: 'string', parts: ['10s'] });
  });

  it('keeps \\${ as a literal ${ in YAML text', () => {
    expect(arg(ywrap('- log: "cost \\\\${x}"'), 'message')).toMatchObject({
      kind: 'string',
      parts: ['cost ${x}'],
    });
  });

  it('warns when a condition is quoted (it would be constant text)', () => {
    const r = parseYamlFlow('t.yaml', ywrap('- if: "!done"\n  then: s'));
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['CF2105', 'warning']]);
  });
});

describe('ranges point into the YAML text', () => {
  const text = ywrap('- prompt:\n    say: Hi ${call.from}\n  into: d\n- set: {n: n + 1}');
  const ast = yamlAst(text);
  const step = ast.states[0]!.body[0] as StepAst;

  it('on names, arguments and interpolated expressions', () => {
    expect(ast.states[0]!.name.range.start).toEqual({ line: 2, character: 2 });
    expect(step.name.range.start).toEqual({ line: 3, character: 6 });
    const say = step.args[0]!;
    expect(say.name.range.start).toEqual({ line: 4, character: 8 });
    const parts = (say.value as { parts: Array<string | Expr> }).parts;
    const member = parts[1] as Expr;
    expect(member.range.start).toEqual({ line: 4, character: 18 });
    expect(member.range.end).toEqual({ line: 4, character: 27 });
    expect(step.into!.range.start).toEqual({ line: 5, character: 12 });
  });

  it('on expressions in expression positions', () => {
    const set = ast.states[0]!.body[1]!;
    expect(set.kind).toBe('set');
    if (set.kind !== 'set') return;
    expect(set.target[0]!.range.start).toEqual({ line: 6, character: 12 });
    expect(set.value.range).toMatchObject({
      start: { line: 6, character: 15 },
      end: { line: 6, character: 20 },
    });
  });
});

describe('YAML diagnostics', () => {
  const at = (text: string): string[] => show(parseYamlFlow('t.yaml', text).diagnostics);

  it('reports YAML syntax errors with their line and column', () => {
    expect(at('flow: t\nstates:\n  s:\n    - answer\n   - hangup\n')[0]).toBe(
      'CF2100@5:1 A block sequence may not be used as an implicit map key',
    );
    expect(at('flow: t\n\tstates: {}\n')).toEqual(['CF2100@2:1 Tabs are not allowed as indentation']);
    expect(at('flow: t\nstates:\n  s:\n    - log: "open\n')).toEqual(['CF2100@5:1 Missing closing "quote']);
  });

  it('explains an unquoted ${...} inside a flow map', () => {
    const r = parseYamlFlow('t.yaml', ywrap('- bridge-to-channel: {channel: ${room.channel}}'));
    expect(show(r.diagnostics)[0]).toMatch(/^CF2100@4:37 /);
    expect(r.diagnostics[0]!.hint).toContain('block style');
  });

  it('suggests the closest key for unknown keys', () => {
    expect(at('flow: t\nstate:\n  s:\n')).toEqual([
      "CF2101@2:1 unknown key 'state' in a flow file (did you mean 'states'?)",
    ]);
    expect(at(ywrap('- collect-pin: {max-digits: 4}\n  ino: pin'))).toEqual([
      "CF2101@5:7 unknown key 'ino' in step 'collect-pin' (did you mean 'into'?)",
    ]);
    expect(at('flow: t\non:\n  - call: {to: "1"}\n    gto: s\nstates: {s: []}\n')).toEqual(
      [
        "CF2101@4:5 unknown key 'gto' in an 'call' entry (did you mean 'goto'?)",
        "CF2103@3:5 this entry has no 'goto: state'",
      ]
        .sort((a, b) => a.localeCompare(b))
        .reverse(),
    );
  });

  it('reports an unknown call matcher with a suggestion', () => {
    expect(at('flow: t\non:\n  - call: {too: "1"}\n    goto: s\nstates: {s: []}\n')).toEqual([
      "CF2012@3:12 unknown call matcher 'too' (did you mean 'to'?)",
    ]);
  });

  it('places expression errors inside the YAML scalar', () => {
    expect(at(ywrap('- if: a ==\n  then: s'))).toEqual([
      "CF2002@4:15 expected '!', '-', a string, a number, a duration, 'true', 'false' or 'null' but found the end of the file",
    ]);
    const d = at(ywrap('- log: "x ${a +} y"'));
    expect(d.length).toBe(1);
    expect(d[0]).toMatch(/^CF2\d{3}@4:\d+ /);
  });

  it('reports names the DSL could not write', () => {
    expect(at('flow: t\nstates:\n  bad name: []\n')).toEqual([
      "CF2109@3:3 'bad name' is not a valid name for a state",
    ]);
  });

  it('reports a missing flow name, a wrong kind and a bad http line', () => {
    expect(at('states: {s: []}\n')[0]).toMatch(/^CF2010@1:1/);
    expect(at('flow: t\nstates: [a]\n')).toEqual(["CF2102@2:9 'states' should be a map (key: value lines)"]);
    expect(at('flow: t\non:\n  - http: POST\n    goto: s\nstates: {s: []}\n')[0]).toMatch(/^CF2107@3:11/);
  });

  it('never throws on odd documents', () => {
    for (const text of [
      '',
      '---\n---\n',
      '[1, 2]',
      'a',
      '&a [*a]',
      'flow: t\nstates: {s: &x [*x]}',
      '!!binary x',
      '? [a]\n: b',
      'flow: [t]',
    ]) {
      const r = parseYamlFlow('odd.yaml', text);
      expect(Array.isArray(r.diagnostics)).toBe(true);
    }
  });
});

describe('docs/yaml-flows.md', () => {
  it('has YAML examples that parse without syntax errors', () => {
    const doc = readFileSync(join(ROOT, 'docs/yaml-flows.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const whole = blocks.filter((b) => /^flow: /m.test(b));
    expect(whole.length).toBeGreaterThan(0);
    for (const b of whole) expect(show(parseErrors(parseYamlFlow('doc.yaml', b).diagnostics)), b).toEqual([]);
    for (const b of blocks.filter((x) => !/^flow: /m.test(x) && /^on:|^config:/m.test(x))) {
      expect(show(parseErrors(parseYamlFlow('doc.yaml', `flow: doc\n${b}`).diagnostics)), b).toEqual([]);
    }
  });
});

describe('parseSource', () => {
  it('chooses the front end by extension', () => {
    expect(parseSource('a.yaml', 'flow: t\nstates: {s: [answer]}\n').ast?.format).toBe('yaml');
    expect(parseSource('a.YML', 'flow: t\nstates: {s: [answer]}\n').ast?.format).toBe('yaml');
    expect(parseSource('a.flow', 'flow t\nstate s\n  answer\n').ast?.format).toBe('flow');
  });
});

describe('formatSource', () => {
  it('formats a clean file in its own syntax or the other one, and refuses a broken one', () => {
    expect(formatSource('a.flow', 'flow t\nstate s\n    answer\n').text).toBe(
      'flow t\n\nstate s\n  answer\n',
    );
    expect(formatSource('a.flow', 'flow t\nstate s\n  answer\n', 'yaml').text).toBe(
      'flow: t\nstates:\n  s:\n    - answer\n',
    );
    expect(formatSource('a.yaml', 'flow: t\nstates: {s: [answer]}\n').text).toBe(
      'flow: t\nstates:\n  s:\n    - answer\n',
    );
    const broken = formatSource('a.yaml', 'flow: t\nstates: {s: [{if: a ==, then: s}]}\n');
    expect(broken.text).toBeUndefined();
    expect(broken.diagnostics.length).toBeGreaterThan(0);
  });
});

describe('converting to .flow', () => {
  it('rejects an if with else whose bounded then has no else of its own (the DSL would read a dangling else)', () => {
    for (const then of ['a max 1', 'a max 1 else c max 2']) {
      const yaml = `flow: t\nstates:\n  s:\n    - if: c\n      then: ${then}\n      else: b\n`;
      const r = parseYamlFlow('d.yaml', yaml);
      expect(show(parseErrors(r.diagnostics))).toEqual([expect.stringMatching(/^CF2110@5:\d+ /)]);
      expect(formatSource('d.yaml', yaml, 'flow').text).toBeUndefined();
    }
    const fine = 'flow: t\nstates:\n  s:\n    - if: c\n      then: a max 1 else c\n      else: b\n';
    const text = formatSource('d.yaml', fine, 'flow').text!;
    expect(text).toContain('  if c -> a max 1 else -> c else -> b\n');
    expect(formatSource('d.flow', text, 'yaml').text).toBe(formatSource('d.yaml', fine, 'yaml').text);
  });
});

describe('duplicates', () => {
  it('keeps duplicate states and arguments for the compiler to report, and flags duplicate structural keys', () => {
    const r = parseYamlFlow(
      'd.yaml',
      'flow: t\nflow: u\nstates:\n  s: [answer]\n  s:\n    - prompt:\n        say: a\n        say: b\n',
    );
    expect(show(r.diagnostics)).toEqual(["CF2104@2:1 'flow' is given twice in a flow file"]);
    expect(r.ast!.states.map((s) => s.name.name)).toEqual(['s', 's']);
    const step = r.ast!.states[1]!.body[0] as StepAst;
    expect(step.args.map((a) => a.name.name)).toEqual(['say', 'say']);
  });
});

describe('simple paths and targets (read without the parser)', () => {
  it('get the same shape and ranges as parsed ones', () => {
    const ast = yamlAst('flow: t\nstates:\n  s:\n    - if: call.from.x\n      then: s\n');
    const stmt = ast.states[0]!.body[0]!;
    if (stmt.kind !== 'if') throw new Error('expected an if');
    expect(stmt.cond).toMatchObject({
      kind: 'member',
      name: 'x',
      range: { start: { line: 3, character: 10 }, end: { line: 3, character: 21 } },
      object: {
        kind: 'member',
        name: 'from',
        range: { end: { line: 3, character: 19 } },
        object: { kind: 'var', name: 'call' },
      },
    });
    expect(stmt.then.range).toMatchObject({
      start: { line: 4, character: 12 },
      end: { line: 4, character: 13 },
    });
    const parsed = yamlAst('flow: t\nstates:\n  s:\n    - if: (call.from.x)\n      then: s\n').states[0]!
      .body[0]!;
    if (parsed.kind !== 'if') throw new Error('expected an if');
    expect(parsed.cond.range.start.character).toBe(11);
    expect(parsed.cond.range.end.character - parsed.cond.range.start.character).toBe(11);
  });

  it('leave keywords to the parser', () => {
    expect(first(ywrap('- set: {x: true}'))).toMatchObject({ value: { kind: 'bool', value: true } });
    expect(show(parseYamlFlow('t.yaml', ywrap('- goto: if')).diagnostics)[0]).toMatch(/^CF200\d@4:13/);
  });
});
