/**
 * The `callflow` CLI run in-process through main() (and once as a real process): exit codes and output of
 * check, compile, fmt and graph on the shipped examples and on broken flows written to a temporary folder.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/io.js';
import { checkXml } from '../../src/cli/graph/xml-check.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = ['ivr-menu', 'pin-conference', 'voicemail-fallback', 'voice-bot'];

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], cwd = ROOT): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd, isTty: false };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const BROKEN = `flow broken
on call to "+15550100" -> welcome

state welcome
  answer
  prompt say "hi" wait any timeout 5
    on timeout -> goodby
  hangup

state goodbye
  hangup
`;

const GOOD = `# a comment the formatter drops
flow good
on call to "+15550101" -> main
state main
  answer
  prompt   say "Hello"
  hangup
`;

const route = (name: string): string => `flow ${name}
on http POST /v1/hook
  -> main
state main
  respond 200 body { ok: true }
  -> end
`;

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'callflow-cli-'));
  await writeFile(path.join(dir, 'broken.flow'), BROKEN);
  await writeFile(path.join(dir, 'good.flow'), GOOD);
  await writeFile(path.join(dir, 'good.test.yaml'), 'this: [is not a flow\n');
  await mkdir(path.join(dir, 'routes'));
  await writeFile(path.join(dir, 'routes', 'a.flow'), route('a'));
  await writeFile(path.join(dir, 'routes', 'b.flow'), route('b'));
  await mkdir(path.join(dir, 'twins'));
  await writeFile(path.join(dir, 'twins', 'a.flow'), route('a'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('callflow check', () => {
  it('passes every example in both syntaxes', async () => {
    const r = await cli(['check', 'examples']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok: \d+ files checked$/);
    const files = await readdir(path.join(ROOT, 'examples'));
    for (const name of EXAMPLES) {
      expect(files).toContain(`${name}.flow`);
      expect(files).toContain(`${name}.yaml`);
    }
  });

  it('prints file:line:col diagnostics with a code frame and exits 1', async () => {
    const r = await cli(['check', 'broken.flow'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      [
        "broken.flow:7:19: error CF3002: unknown state 'goodby' (did you mean 'goodbye'?)",
        ' 7 |     on timeout -> goodby',
        '   |                   ^^^^^^',
      ].join('\n'),
    );
    expect(r.out).toMatch(/^broken\.flow:6:36: error CF5006: 'timeout' is a duration and needs a unit/m);
    expect(r.out).toContain(
      ' 6 |   prompt say "hi" wait any timeout 5\n   |                                    ^',
    );
    expect(r.out.trimEnd().split('\n').pop()).toMatch(/^2 errors, \d+ warnings? in 1 file$/);
  });

  it('prints one JSON document with --format json', async () => {
    const r = await cli(['check', '--format', 'json', '.'], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as {
      files: string[];
      errors: number;
      diagnostics: Array<{ file: string; line: number; column: number; code: string; severity: string }>;
    };
    expect(doc.files).toEqual(['broken.flow', 'good.flow', 'routes/a.flow', 'routes/b.flow', 'twins/a.flow']);
    const errors = doc.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);
    expect(errors).toEqual([
      'broken.flow:6:36 CF5006',
      'broken.flow:7:19 CF3002',
      'routes/b.flow:2:14 CF3010',
      'twins/a.flow:2:14 CF3010',
    ]);
    expect(doc.errors).toBe(4);
  });

  it('checks all files of a run together, but not a flow against its own YAML twin', async () => {
    const clash = await cli(['check', 'routes'], dir);
    expect(clash.code).toBe(1);
    expect(clash.out).toContain(
      'routes/b.flow:2:14: error CF3010: POST /v1/hook conflicts with POST /v1/hook',
    );
    const twin = await cli(['fmt', '--to', 'yaml', '--write', 'twins/a.flow'], dir);
    expect(twin.code).toBe(0);
    const both = await cli(['check', 'twins'], dir);
    expect(both.out).toBe('ok: 2 files checked');
    expect(both.code).toBe(0);
  });

  it('skips flow tests (*.test.yaml) in folders', async () => {
    const r = await cli(['check', '--format', 'json', '.'], dir);
    expect(r.out).not.toContain('good.test.yaml');
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli(['check'])).code).toBe(2);
    expect((await cli(['check', '--format', 'xml', 'examples'])).code).toBe(2);
    expect((await cli(['check', '--bogus', 'examples'])).code).toBe(2);
    const missing = await cli(['check', 'no-such-folder']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file or folder: no-such-folder');
    expect((await cli(['frobnicate'])).code).toBe(2);
  });
});

describe('callflow compile', () => {
  it('prints the IR as JSON', async () => {
    const r = await cli(['compile', 'examples/pin-conference.flow']);
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.out) as { irVersion: number; name: string; states: Record<string, unknown> };
    expect(ir.irVersion).toBe(1);
    expect(ir.name).toBe('pin-conference');
    expect(Object.keys(ir.states)).toEqual(['welcome', 'ask', 'join', 'wrong', 'trouble', 'goodbye']);
  });

  it('compiles the YAML form to the same states', async () => {
    const a = JSON.parse((await cli(['compile', 'examples/voice-bot.flow'])).out) as {
      states: Record<string, { body: unknown[] }>;
    };
    const b = JSON.parse((await cli(['compile', 'examples/voice-bot.yaml'])).out) as {
      states: Record<string, { body: unknown[] }>;
    };
    expect(Object.keys(b.states)).toEqual(Object.keys(a.states));
    for (const k of Object.keys(a.states)) expect(b.states[k]!.body.length).toBe(a.states[k]!.body.length);
  });

  it('prints nothing on stdout and exits 1 for a broken flow', async () => {
    const r = await cli(['compile', 'broken.flow'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('broken.flow:7:19: error CF3002');
  });
});

describe('callflow fmt', () => {
  it('converts to YAML and back', async () => {
    const y = await cli(['fmt', '--to', 'yaml', 'good.flow'], dir);
    expect(y.code).toBe(0);
    expect(y.out).toContain('flow: good');
    expect(y.err).toContain('comments of good.flow are not kept');
    await writeFile(path.join(dir, 'good-copy.yaml'), y.out);
    const f = await cli(['fmt', '--to', 'flow', 'good-copy.yaml'], dir);
    expect(f.code).toBe(0);
    expect(f.out).toContain('prompt say "Hello"');
    expect(f.out).not.toContain('prompt   say');
    await rm(path.join(dir, 'good-copy.yaml'));
  });

  it('--check reports unformatted files; --write refuses to drop comments without --force', async () => {
    const check = await cli(['fmt', '--check', 'good.flow'], dir);
    expect(check.code).toBe(1);
    expect(check.out).toBe('good.flow: not formatted');
    const refused = await cli(['fmt', '--write', 'good.flow'], dir);
    expect(refused.code).toBe(1);
    expect(await readFile(path.join(dir, 'good.flow'), 'utf8')).toBe(GOOD);
    const forced = await cli(['fmt', '--write', '--force', 'good.flow'], dir);
    expect(forced.code).toBe(0);
    expect(forced.out).toBe('wrote good.flow');
    expect((await cli(['fmt', '--check', 'good.flow'], dir)).code).toBe(0);
    await writeFile(path.join(dir, 'good.flow'), GOOD);
  });

  it('refuses to format a file with syntax errors and rejects bad options', async () => {
    await writeFile(path.join(dir, 'syntax.flow'), 'flow x\nstate\n');
    const r = await cli(['fmt', 'syntax.flow'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/syntax\.flow:\d+:\d+: error CF2\d+: /);
    await rm(path.join(dir, 'syntax.flow'));
    expect((await cli(['fmt', '--to', 'json', 'good.flow'], dir)).code).toBe(2);
    expect((await cli(['fmt', '--write', '--check', 'good.flow'], dir)).code).toBe(2);
  });
});

describe('callflow graph', () => {
  it('draws every example as mermaid, dot and well-formed SVG', async () => {
    for (const name of EXAMPLES) {
      const m = await cli(['graph', `examples/${name}.flow`, '--format', 'mermaid']);
      expect(m.code).toBe(0);
      expect(m.out.startsWith('flowchart TD')).toBe(true);
      const d = await cli(['graph', `examples/${name}.yaml`, '--format', 'dot']);
      expect(d.code).toBe(0);
      expect(d.out).toMatch(/^digraph "[^"]+" \{/);
      const s = await cli(['graph', `examples/${name}.flow`, '--format', 'svg']);
      expect(s.code).toBe(0);
      expect(checkXml(s.out)).toEqual([]);
      expect(s.out).toContain('<g class="state">');
    }
  });

  it('shows outcome arrows with their labels', async () => {
    const m = await cli(['graph', 'examples/pin-conference.flow']);
    expect(m.out).toMatch(/-->\|"collect-pin: invalid, lookup: missing"\| n\d+/);
    expect(m.out).toMatch(/-->\|"lookup: error"\| n\d+/);
    expect(m.out).toMatch(/-\.->\|"collect-pin: timeout \(after 3\)"\| n\d+/);
  });

  it('refuses a broken flow and an unknown format', async () => {
    expect((await cli(['graph', 'broken.flow'], dir)).code).toBe(1);
    expect((await cli(['graph', 'good.flow', '--format', 'png'], dir)).code).toBe(2);
  });
});

describe('bin/callflow.js', () => {
  it('runs check on the examples as a real process', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      [path.join(ROOT, 'bin/callflow.js'), 'check', 'examples'],
      { cwd: ROOT, timeout: 60_000 },
    );
    expect(stdout.trim()).toMatch(/^ok: \d+ files checked$/);
  }, 70_000);

  it('exits 1 on a broken flow as a real process', async () => {
    const run = promisify(execFile);
    const err = await run(
      process.execPath,
      [path.join(ROOT, 'bin/callflow.js'), 'check', path.join(dir, 'broken.flow')],
      { timeout: 60_000 },
    ).then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string },
    );
    expect(err?.code).toBe(1);
    expect(err?.stdout).toContain('error CF3002');
  }, 70_000);
});
