import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, fixtureNames, render } from './test/compiler/golden.js';
for (const n of fixtureNames()) {
  if (process.argv[2] && !n.startsWith(process.argv[2])) continue;
  const out = render(n);
  writeFileSync(join(FIXTURES, n.replace(/\.(flow|ya?ml)$/, '.expected')), out ? out + '\n' : '');
  console.log('== ' + n + '\n' + out);
}
