#!/usr/bin/env node
// In a checkout the CLI runs from src/ through tsx, so `npm install && npx callflow serve` needs no build
// step; a published package ships dist/ instead (npm run build).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
let entry;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = source;
} else {
  entry = new URL('../dist/cli/main.js', import.meta.url);
}
const { main } = await import(entry.href);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
