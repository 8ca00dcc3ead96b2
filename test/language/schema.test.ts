/**
 * grammar/flow.schema.json is generated from the step catalog: this test regenerates it and fails when the
 * committed file differs, then validates every example YAML flow (and the YAML form of the sample) with ajv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/catalog/index.js';
import { formatFlow, parseFlow } from '../../src/language/index.js';
import { flowSchema } from '../../src/language/yaml/schema.js';
import { SCHEMA_PATH, schemaText } from '../../src/language/yaml/write-schema.js';
import { flowFiles, ROOT } from './helpers.js';

const REGENERATE = 'npx tsx src/language/yaml/write-schema.ts';

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(flowSchema());
}

function errorsOf(validate: ReturnType<typeof validator>, doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('the YAML flow JSON Schema', () => {
  it(`matches the committed ${SCHEMA_PATH} (regenerate with: ${REGENERATE})`, () => {
    let committed: unknown;
    try {
      committed = JSON.parse(readFileSync(join(ROOT, SCHEMA_PATH), 'utf8'));
    } catch {
      committed = undefined;
    }
    // Compared as data, so reformatting the file (e.g. by Prettier) does not matter; any content change does.
    expect(committed, `${SCHEMA_PATH} is stale; regenerate it with: ${REGENERATE}`).toEqual(flowSchema());
  });

  it('declares every catalog step with its arguments and outcomes', () => {
    const text = schemaText();
    for (const step of Object.values(STEPS)) {
      expect(text).toContain(JSON.stringify(step.summary));
      for (const a of step.args) expect(text).toContain(`"${a.name}"`);
      for (const o of step.outcomes) expect(text).toContain(`"${o.name}"`);
    }
  });

  it('accepts the YAML form of the sample flow and every example YAML flow', () => {
    const validate = validator();
    const sample = formatFlow(
      parseFlow('conference.flow', readFileSync(join(ROOT, 'test/language/conference.flow'), 'utf8')).ast!,
      'yaml',
    );
    expect(errorsOf(validate, parse(sample))).toEqual([]);
    const yamls = flowFiles('examples').filter((f) => /\.ya?ml$/.test(f));
    for (const f of yamls) {
      expect(errorsOf(validate, parse(readFileSync(join(ROOT, f), 'utf8'))), f).toEqual([]);
    }
  });

  it('rejects misspelt steps, arguments and outcomes, and a wrong unit', () => {
    const validate = validator();
    const flow = (items: unknown[]): unknown => ({ flow: 't', states: { s: items } });
    expect(errorsOf(validate, flow([{ prompt: { say: 'hi' } }]))).toEqual([]);
    expect(errorsOf(validate, flow([{ promt: { say: 'hi' } }])).length).toBeGreaterThan(0);
    expect(errorsOf(validate, flow([{ prompt: { sya: 'hi' } }])).length).toBeGreaterThan(0);
    expect(
      errorsOf(validate, flow([{ prompt: { say: 'hi' }, on: { tiemout: 's' } }])).length,
    ).toBeGreaterThan(0);
    expect(errorsOf(validate, flow([{ wait: '10' }])).length).toBeGreaterThan(0);
    expect(errorsOf(validate, flow([{ wait: '10s' }]))).toEqual([]);
    expect(errorsOf(validate, flow([{ wait: '${pause}' }]))).toEqual([]);
  });
});
