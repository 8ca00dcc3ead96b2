/**
 * The shipped examples: each exists as .flow and .yaml, the two say the same thing (their canonical forms are
 * equal), and .flow → YAML → .flow is lossless. Comments are the one thing the formatter does not carry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { formatFlow, parseSource } from '../../src/language/index.js';

const DIR = fileURLToPath(new URL('../../examples/', import.meta.url));
const EXAMPLES = ['ivr-menu', 'pin-conference', 'voicemail-fallback', 'voice-bot'];

function parse(file: string, text: string) {
  const r = parseSource(file, text);
  expect(r.diagnostics).toEqual([]);
  return r.ast!;
}

describe.each(EXAMPLES)('examples/%s', (name) => {
  const flowText = readFileSync(`${DIR}${name}.flow`, 'utf8');
  const yamlText = readFileSync(`${DIR}${name}.yaml`, 'utf8');

  it('compiles in both syntaxes without a diagnostic', () => {
    for (const [file, text] of [
      [`${name}.flow`, flowText],
      [`${name}.yaml`, yamlText],
    ] as const) {
      const r = compileSource(file, text);
      expect(r.diagnostics).toEqual([]);
      expect(r.ir?.name).toBe(name);
    }
  });

  it('says the same in .flow and .yaml', () => {
    const fromFlow = parse(`${name}.flow`, flowText);
    const fromYaml = parse(`${name}.yaml`, yamlText);
    expect(formatFlow(fromYaml, 'flow')).toBe(formatFlow(fromFlow, 'flow'));
    expect(formatFlow(fromYaml, 'yaml')).toBe(formatFlow(fromFlow, 'yaml'));
  });

  it('survives .flow → YAML → .flow unchanged', () => {
    const canonical = formatFlow(parse(`${name}.flow`, flowText), 'flow');
    const yaml = formatFlow(parse(`${name}.flow`, canonical), 'yaml');
    expect(formatFlow(parse(`${name}.yaml`, yaml), 'flow')).toBe(canonical);
  });
});
