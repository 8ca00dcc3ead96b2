import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emitYaml, plainSafe, resolvesToString, textScalar } from './yaml-emit.js';

describe('the YAML emitter', () => {
  it('knows which text stays a string when unquoted', () => {
    for (const s of ['true', 'null', '~', '', '12', '-1.5e3', '0x1F', '.inf'])
      expect(resolvesToString(s), s).toBe(false);
    for (const s of ['hello', '10s', 'True1', '+1555x']) expect(resolvesToString(s), s).toBe(true);
  });

  it('only leaves safe text plain', () => {
    expect(plainSafe('-> ask', false)).toBe(true);
    expect(plainSafe('a: b', false)).toBe(false);
    expect(plainSafe('a #b', false)).toBe(false);
    expect(plainSafe('- x', false)).toBe(false);
    expect(plainSafe('${x}', false)).toBe(true);
    expect(plainSafe('${x}', true)).toBe(false);
    expect(plainSafe('"q', false)).toBe(false);
  });

  it('emits text that YAML reads back exactly', () => {
    const values = [
      'plain',
      'a: b',
      ' lead',
      'line\nbreak',
      'tab\there',
      '#x',
      'true',
      '12',
      '\u2028',
      'é ü',
      '',
      'x\n',
      "it's",
    ];
    const text = emitYaml({ t: 'map', entries: values.map((v, i) => [`k${i}`, textScalar(v)]) });
    const back = parse(text) as Record<string, string>;
    values.forEach((v, i) => expect(back[`k${i}`], JSON.stringify(v)).toBe(v));
  });

  it('puts short maps inline and long ones in block style', () => {
    const short = emitYaml({
      t: 'map',
      entries: [['a', { t: 'map', entries: [['b', textScalar('c')]], inline: true }]],
    });
    expect(short).toBe('a: {b: c}\n');
    const long = emitYaml({
      t: 'map',
      entries: [['a', { t: 'map', entries: [['b', textScalar('c'.repeat(90))]], inline: true }]],
    });
    expect(long).toBe(`a:\n  b: ${'c'.repeat(90)}\n`);
  });
});
