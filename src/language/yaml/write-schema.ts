/**
 * Regenerate grammar/flow.schema.json from the step catalog: `npx tsx src/language/yaml/write-schema.ts`.
 * test/language/schema.test.ts fails when the committed file's content differs from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flowSchema } from './schema.js';

/** Where the schema lives, relative to the repository root. */
export const SCHEMA_PATH = 'grammar/flow.schema.json';

/** The schema as JSON text. */
export function schemaText(): string {
  return `${JSON.stringify(flowSchema(), null, 2)}\n`;
}

/** The schema text in the repository's Prettier style when Prettier is installed (it is a dev dependency). */
async function styled(text: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    return text;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(root, SCHEMA_PATH);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await styled(schemaText(), out));
  console.log(`wrote ${SCHEMA_PATH}`);
}
