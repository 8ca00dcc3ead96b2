import { parseFlow } from './src/language/parse-flow.js';
import { compileAst } from './src/compiler/index.js';
const text = `flow big
on call to "+15550100" -> s0
on http POST /v1/x -> h0
state s0
  answer
  prompt say "Step 1" wait any timeout 5s into d0
    on timeout -> s0 max 3 else -> end
  set v0 = (v0 ?? 0) + len(d0)
  -> end
state h0
  respond 200 body { ok: true }
  -> end
`;
let t = performance.now();
const p = parseFlow('big.flow', text);
console.log('parsed', performance.now() - t, p.diagnostics);
t = performance.now();
const r = compileAst(p.ast!);
console.log('compiled', performance.now() - t, r.diagnostics);
