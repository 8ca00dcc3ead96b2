/**
 * Writes grammar/callflow-config.schema.json, the JSON Schema of callflow.yaml, for editors running
 * yaml-language-server (`# yaml-language-server: $schema=...`). Source of truth: src/server/config-schema.ts.
 * Run: `npx tsx grammar/scripts/config-schema.ts` (test/server/config-docs.test.ts fails when the file is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA } from '../../src/server/config-schema.js';

/** Where the generated schema is committed. */
export const CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../callflow-config.schema.json', import.meta.url));

/** The schema file's text. */
export function configSchemaJson(): string {
  return `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(CONFIG_SCHEMA_FILE, configSchemaJson());
