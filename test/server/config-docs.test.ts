/** docs/configuration.md and grammar/callflow-config.schema.json stay in step with the configuration code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_SCHEMA_FILE, configSchemaJson } from '../../grammar/scripts/config-schema.js';
import { ENV_MAP, validateConfig } from '../../src/server/config.js';
import { CONFIG_SCHEMA } from '../../src/server/config-schema.js';

const DOC = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

/** Dotted paths of every setting the schema names (map-valued settings end in `.<name>`). */
function settingPaths(schema: Record<string, unknown>, prefix = ''): string[] {
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!props) return [prefix];
  return Object.entries(props).flatMap(([k, v]) => settingPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('configuration docs', () => {
  it('grammar/callflow-config.schema.json is the schema the server validates with', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')).toBe(configSchemaJson());
  });

  it('document every setting and every environment variable', () => {
    const undocumented = settingPaths(CONFIG_SCHEMA).filter((p) => {
      const last = p.split('.').at(-1)!;
      return !DOC.includes(`\`${p}\``) && !DOC.includes(`\`.${last}\``) && !DOC.includes(`\`${p}.<`);
    });
    expect(undocumented).toEqual([]);
    for (const [name, { path }] of Object.entries(ENV_MAP)) expect(DOC).toContain(`| \`${name}\` | \`${path.join('.')}\` |`);
  });

  it('has an example the schema accepts', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(DOC)?.[1];
    expect(example).toBeDefined();
    expect(() => validateConfig(parseYaml(example!), 'docs/configuration.md')).not.toThrow();
  });
});
