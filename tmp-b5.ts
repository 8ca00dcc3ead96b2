import { parseFlow } from './src/language/parse-flow.js';
import { compileAst } from './src/compiler/index.js';
const i = 0, next = 'end';
const text = ['flow big', '', 'config base = "http://127.0.0.1"', '', 'on call to "+15550100" -> s0', 'on http POST /v1/x -> h0', '',
`state s${i}`, '  answer', `  prompt say "Step ${i}, \${call.from}" wait any timeout 5s into d${i}`, `    on timeout -> s${i} max 3 else -> ${next}`,
      `  set v${i} = (v${i} ?? 0) + len(d${i})`, `  lookup url "\${config.base}/x" method POST body { a: d${i}, b: v${i} } timeout 2s into r${i}`, `    on missing -> ${next}`, `    on other -> s0`,
      `  if r${i}.ok == true -> ${next} else -> s0`, '', 'state h0', '  respond 200 body { ok: true }', '  -> end'].join('\n');
let t = performance.now();
const p = parseFlow('big.flow', text);
console.log('parsed', performance.now() - t, p.diagnostics.length);
t = performance.now();
const r = compileAst(p.ast!);
console.log('compiled', performance.now() - t, r.diagnostics);
