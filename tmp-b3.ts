import { parseFlow } from './src/language/parse-flow.js';
import { compileAst } from './src/compiler/index.js';
const lines = [
`flow big`, `config base = "http://127.0.0.1"`, `on call to "+15550100" -> s0`, `state s0`, `  answer`,
process.argv[2] === 'a' ? `  lookup url "\${config.base}/x" method POST body { a: 1 } timeout 2s into r0` : `  lookup url "x" into r0`,
`    on other -> s0`, `  -> end`, ``];
const text = lines.join('\n');
let t = performance.now();
const p = parseFlow('big.flow', text);
console.log('parsed', performance.now() - t, p.diagnostics);
t = performance.now();
const r = compileAst(p.ast!);
console.log('compiled', performance.now() - t, r.diagnostics);
