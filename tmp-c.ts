import { compileSource } from './src/compiler/index.js';
import { readFileSync } from 'node:fs';
for (const f of process.argv.slice(2)) {
  const r = compileSource(f, readFileSync(f,'utf8'));
  for (const d of r.diagnostics) console.log(`${f}:${d.range.start.line+1}:${d.range.start.character+1} ${d.severity} ${d.code} ${d.message}`);
  console.log(f, r.ir ? 'IR OK' : 'NO IR');
}
