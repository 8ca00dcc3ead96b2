/**
 * The example flows' own tests (examples/*.test.yaml) run with the real compiler, against each `.flow` and
 * against its YAML twin, so the two spellings of every example keep behaving the same.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run as testCommand } from '../../src/cli/commands/test.js';
import type { CommandIo } from '../../src/cli/io.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

function capture(cwd: string): CommandIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd, isTty: false, text: () => lines.join('\n') };
}

describe('examples/*.test.yaml', () => {
  it('pass against every example flow and its YAML twin', async () => {
    const tests = readdirSync(EXAMPLES).filter((f) => f.endsWith('.test.yaml'));
    expect(tests.length).toBeGreaterThanOrEqual(4);
    const dir = mkdtempSync(join(tmpdir(), 'cf-examples-'));
    let twins = 0;
    for (const t of tests) {
      const stem = t.replace(/\.test\.yaml$/, '');
      const text = readFileSync(join(EXAMPLES, t), 'utf8');
      expect(text).toContain(`flow: ${stem}.flow`);
      copyFileSync(join(EXAMPLES, `${stem}.flow`), join(dir, `${stem}.flow`));
      writeFileSync(join(dir, t), text);
      if (readdirSync(EXAMPLES).includes(`${stem}.yaml`)) {
        copyFileSync(join(EXAMPLES, `${stem}.yaml`), join(dir, `${stem}.yaml`));
        writeFileSync(join(dir, `${stem}-yaml.test.yaml`), text.replace(`flow: ${stem}.flow`, `flow: ${stem}.yaml`));
        twins++;
      }
    }
    expect(twins).toBe(tests.length);
    const io = capture(dir);
    const code = await testCommand([dir], io);
    const out = io.text();
    expect(out).not.toContain('✗');
    expect(out).toMatch(/ 0 failed /);
    expect(code).toBe(0);
    for (const t of tests) expect(out).toContain(`${t.replace(/\.test\.yaml$/, '')}.yaml)`);
  }, 60_000);
});
