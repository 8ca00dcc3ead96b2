/**
 * Bundled flows rank below the user's flows when routing calls: with the real bundled Agora flow loaded (its
 * `on call to "*"`), a user's catch-all `on call ->` still takes the calls it matches.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileBatch } from '../../src/compiler/index.js';
import type { CallInfo } from '../../src/ports/index.js';
import { routeCall } from '../../src/runtime/call-routing.js';
import { FlowSet } from '../../src/server/flow-set.js';

const BUNDLED = fileURLToPath(new URL('../../flows', import.meta.url));

function call(to: string): CallInfo {
  return { id: 'c1', direction: 'inbound', from: '+14155550100', to, fromUri: 'sip:+14155550100@x', toUri: `sip:${to}@x`, domain: 'x', headers: {} };
}

describe('routing with bundled flows', () => {
  let user: string;
  beforeEach(() => {
    user = mkdtempSync(join(tmpdir(), 'bundled-routing-'));
    mkdirSync(join(user, 'flows'));
  });
  afterEach(() => rmSync(user, { recursive: true, force: true }));

  it("a user's catch-all `on call ->` wins over the bundled agora `on call to \"*\"`; bundled routes still take what no user route matches", async () => {
    const dir = join(user, 'flows');
    writeFileSync(join(dir, 'mine.flow'), 'flow mine\n  "test"\n\non call -> main\n\nstate main\n  answer\n  hangup\n');
    const set = new FlowSet({ dirs: [dir, BUNDLED], bundledDirs: [BUNDLED], compile: (s, o) => compileBatch(s, o) });
    const report = await set.load();
    expect(report.rejected).toEqual([]);
    expect(set.get('agora-pstn')).toBeDefined();
    const routes = set.snapshot().callRoutes;
    expect(routeCall(routes, call('+15550100'))?.flow.name).toBe('mine');
    expect(routeCall(routes, call('lookup_123'))?.flow.name).toBe('mine');
    writeFileSync(join(dir, 'mine.flow'), 'flow mine\n  "test"\n\non call to "+1999" -> main\n\nstate main\n  answer\n  hangup\n');
    await set.reloadAll();
    const after = set.snapshot().callRoutes;
    expect(routeCall(after, call('+1999'))?.flow.name).toBe('mine');
    expect(routeCall(after, call('+15550100'))?.flow.name).toBe('agora-pstn');
    await set.close();
  });
});
