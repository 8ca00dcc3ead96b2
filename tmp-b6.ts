import { parseFlow } from './src/language/parse-flow.js';
import { compileAst } from './src/compiler/index.js';
function gen(states: number): string {
  const out = ['flow big', '', 'config base = "http://127.0.0.1"', '', 'on call to "+15550100" -> s0', 'on http POST /v1/x -> h0', ''];
  for (let i = 0; i < states; i++) {
    const next = i + 1 < states ? `s${i + 1}` : 'end';
    out.push(`state s${i}`, '  answer', `  prompt say "Step ${i}, \${call.from}" wait any timeout 5s into d${i}`, `    on timeout -> s${i} max 3 else -> ${next}`,
      `  set v${i} = (v${i} ?? 0) + len(d${i})`, `  lookup url "\${config.base}/x" method POST body { a: d${i}, b: v${i} } timeout 2s into r${i}`, `    on missing -> ${next}`, `    on other -> s0`,
      `  if r${i}.ok == true -> ${next} else -> s0`, '');
  }
  out.push('state h0', '  respond 200 body { ok: true }', '  -> end');
  return out.join('\n');
}
for (const n of process.argv.slice(2).map(Number)) {
  const text = gen(n);
  let t = performance.now();
  const p = parseFlow('big.flow', text);
  const tp = performance.now() - t; console.log('parsed', n, tp);
  t = performance.now();
  const r = compileAst(p.ast!);
  console.log(n, 'parse', tp.toFixed(1), 'compile', (performance.now() - t).toFixed(1), r.diagnostics.length);
}
