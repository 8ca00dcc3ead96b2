import { parseFlow } from './src/language/index.js';
import { readFileSync } from 'node:fs';
const f = process.argv[2] ?? '/work/main/test/language/conference.flow';
const r = parseFlow(f, readFileSync(f,'utf8'));
for (const d of r.diagnostics) console.log(`${d.range.start.line+1}:${d.range.start.character+1} ${d.code} ${d.message}`);
console.log(JSON.stringify(r.ast, (k,v)=> k==='range'||k==='keyRange'||k==='fnRange'?undefined:v).slice(0, 6000));
