import { parseFlow } from './src/language/parse-flow.js';
const variants: Record<string,string> = {
  prompt: `  prompt say "Step 0, \${call.from}" wait any timeout 5s into d0`,
  prompt2: `  prompt say "Step 0" wait any timeout 5s into d0`,
  set: `  set v0 = (v0 ?? 0) + len(d0)`,
  iff: `  if r0.ok == true -> s0 else -> s0`,
};
const v = variants[process.argv[2]!]!;
const text = ['flow big', 'state s0', v, '  -> end', ''].join('\n');
const t = performance.now();
const p = parseFlow('big.flow', text);
console.log(process.argv[2], 'parsed', performance.now() - t, p.diagnostics.length);
