import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileBatch } from '../compiler/index.js';
import { FlowSet } from './flow-set.js';

const flow = (name: string, to: string, text = 'hi'): string =>
  `flow ${name}\n  "test"\n\non call to "${to}" -> main\n\nstate main\n  answer\n  prompt say "${text}"\n  hangup\n`;

describe('FlowSet', () => {
  let root: string;
  let user: string;
  let bundled: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'flow-set-'));
    user = join(root, 'user');
    bundled = join(root, 'bundled');
    mkdirSync(user);
    mkdirSync(bundled);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const make = (dirs: string[]): FlowSet => new FlowSet({ dirs, compile: (s) => compileBatch(s) });

  it('serves flows of several directories as one, the first directory winning a name', async () => {
    writeFileSync(join(user, 'a.flow'), flow('alpha', '+1001'));
    writeFileSync(join(bundled, 'a.flow'), flow('alpha', '+2001'));
    writeFileSync(join(bundled, 'b.flow'), flow('beta', '+2002'));
    const set = make([user, bundled, join(root, 'absent')]);
    const report = await set.load();
    expect(report.rejected).toEqual([]);
    expect(
      set
        .list()
        .map((f) => f.name)
        .sort(),
    ).toEqual(['alpha', 'beta']);
    expect(set.get('alpha')?.file).toBe(join(user, 'a.flow'));
    expect(
      set
        .snapshot()
        .callRoutes.map((r) => r.entry.matchers[0]?.pattern)
        .sort(),
    ).toEqual(['+1001', '+2002']);
    expect(set.problems().map((p) => p.diagnostics[0]?.code)).toEqual(['CF3902']);
    expect(set.existingDirs()).toEqual([user, bundled]);
  });

  it('lets a flow originate a flow of another directory, and rejects one naming a flow that exists nowhere', async () => {
    const caller = (target: string): string =>
      `flow dialer\n  "test"\n\non call to "+1003" -> main\n\nstate main\n  originate "+1555" flow "${target}"\n    on other -> end\n  hangup\n`;
    writeFileSync(join(user, 'dialer.flow'), caller('callee'));
    writeFileSync(join(bundled, 'callee.flow'), 'flow callee\n  "test"\n\non start -> main\n\nstate main\n  hangup\n');
    const set = new FlowSet({ dirs: [user, bundled], compile: (s, o) => compileBatch(s, o) });
    expect((await set.load()).rejected).toEqual([]);
    expect(set.get('dialer')).toBeDefined();
    writeFileSync(join(user, 'dialer.flow'), caller('calee'));
    const report = await set.reloadAll();
    expect(report.rejected.map((r) => r.file)).toEqual([join(user, 'dialer.flow')]);
    expect(set.problems().flatMap((p) => p.diagnostics.map((d) => d.code))).toContain('CF3009');
  });

  it('reloads changed and deleted files, keeping the good version when a file breaks', async () => {
    writeFileSync(join(user, 'a.flow'), flow('alpha', '+1001'));
    writeFileSync(join(user, 'b.flow'), flow('beta', '+1002'));
    const set = make([user]);
    await set.load();
    const v1 = set.get('alpha')?.label;
    writeFileSync(join(user, 'a.flow'), flow('alpha', '+1001').replace('hangup', '-> nowhere'));
    unlinkSync(join(user, 'b.flow'));
    const report = await set.reloadAll();
    expect(report.rejected.map((r) => r.file)).toEqual([join(user, 'a.flow')]);
    expect(report.removed).toEqual(['beta']);
    expect(set.get('alpha')?.label).toBe(v1);
    expect(set.get('beta')).toBeUndefined();
    expect(set.problems()[0]?.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    writeFileSync(join(user, 'a.flow'), flow('alpha', '+1001', 'fixed'));
    await set.reloadAll();
    expect(set.get('alpha')?.label).not.toBe(v1);
    expect(set.problems()).toEqual([]);
  });
});
