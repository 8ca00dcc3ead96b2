/**
 * (d) Hot reload during an active call: a call keeps the flow version it started with while the file changes;
 * new calls get the new version; a broken file never replaces a good version, and its diagnostics are logged
 * and shown by GET /v1/flows and POST /v1/flows/reload.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portBlock } from './support/ports.js';
import { startServer, until, type TestServer } from './support/server.js';
import { e2eScenario, runSipp, type SippProcess } from './support/sipp.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/serve', import.meta.url));
const ports = portBlock(15880);

type Flow = { name: string; version: string };
type Call = { id: string; version: string; state: string };

describe('callflow serve: hot reload', () => {
  let dir: string;
  let srv: TestServer;
  const sipps: SippProcess[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callflow-reload-'));
    for (const f of ['hold-line.flow', 'hello-api.flow']) copyFileSync(join(FIXTURES, f), join(dir, f));
    srv = await startServer({ flowsDir: dir, rtp: ports.rtp });
  });
  afterAll(async () => {
    await srv?.stop();
    for (const s of sipps) s.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const flowVersion = async (name: string): Promise<string | undefined> =>
    ((await srv.api('GET', '/v1/flows')).body.flows as Flow[]).find((f) => f.name === name)?.version;
  const call = async (id: string): Promise<Call> =>
    (await srv.api('GET', `/v1/calls/${id}`)).body as unknown as Call;

  async function placeCall(i: number): Promise<{ id: string; sipp: SippProcess }> {
    const before = srv.logs.filter((l) => l.msg === 'call routed to flow').length;
    const sipp = runSipp({
      scenario: e2eScenario('uac-wait-bye'),
      port: ports.sipp(i),
      mediaPort: ports.media(i),
      remote: srv.sipTarget,
      service: '+15550200',
      timeoutSec: 40,
    });
    sipps.push(sipp);
    let exited = '';
    void sipp.done.then((r) => (exited = `SIPp exited ${r.code}: ${r.errors} ${r.stderr}`));
    await until(() => {
      if (exited) throw new Error(exited);
      return srv.logs.filter((l) => l.msg === 'call routed to flow').length > before;
    }, 'the call to be routed');
    const routed = srv.logs.filter((l) => l.msg === 'call routed to flow')[before];
    const id = String(routed?.session);
    await until(
      async () => (await call(id)).state === 'hold',
      `the call to reach its hold state: ${JSON.stringify(await call(id)).slice(0, 1500)}`,
    );
    return { id, sipp };
  }

  it('keeps a running call on its version, gives new calls the new one, and never publishes a broken file', async () => {
    const v1 = await flowVersion('hold-line');
    expect(v1).toBeDefined();
    const first = await placeCall(0);
    expect((await call(first.id)).version).toBe(v1);

    const file = join(dir, 'hold-line.flow');
    writeFileSync(file, readFileSync(file, 'utf8').replace('holding v1', 'holding v2'));
    await until(async () => (await flowVersion('hold-line')) !== v1, 'the new version to be published');
    const v2 = await flowVersion('hold-line');
    expect((await call(first.id)).version).toBe(v1);

    const second = await placeCall(1);
    expect((await call(second.id)).version).toBe(v2);
    expect(
      srv.logs.some((l) => l.event === 'log' && l.session === second.id && l.message === 'holding v2'),
    ).toBe(true);
    expect(
      srv.logs.some((l) => l.event === 'log' && l.session === first.id && l.message === 'holding v1'),
    ).toBe(true);

    writeFileSync(file, readFileSync(file, 'utf8').replace('wait 120s', 'wait 120s\n  -> nowhere'));
    const rejected = await srv.waitForLog(
      (l) => /not published/.test(l.msg) && String(l.file).endsWith('hold-line.flow'),
    );
    expect(JSON.stringify(rejected.diagnostics)).toMatch(/nowhere/);
    expect(await flowVersion('hold-line')).toBe(v2);
    const flows = await srv.api('GET', '/v1/flows');
    const problems = flows.body.problems as Array<{
      file: string;
      diagnostics: Array<{ severity: string; location: string; message: string }>;
    }>;
    const problem = problems.find((p) => p.file.endsWith('hold-line.flow'));
    expect(problem?.diagnostics[0]).toMatchObject({ severity: 'error' });
    expect(problem?.diagnostics[0]?.location).toMatch(/hold-line\.flow:\d+:\d+/);
    const reload = await srv.api('POST', '/v1/flows/reload');
    expect(reload.status).toBe(422);
    expect(
      (reload.body.rejected as Array<{ file: string }>).some((r) => r.file.endsWith('hold-line.flow')),
    ).toBe(true);

    const third = await placeCall(2);
    expect((await call(third.id)).version).toBe(v2);

    for (const c of [first, second, third])
      expect((await srv.api('DELETE', `/v1/calls/${c.id}`)).status).toBe(200);
    for (const c of [first, second, third]) {
      const r = await c.sipp.done;
      expect(r.code, `${r.errors}\n${r.stderr}`).toBe(0);
    }
  });

  it('keeps serving the previous version of a REST trigger when its file breaks', async () => {
    const file = join(dir, 'hello-api.flow');
    writeFileSync(file, readFileSync(file, 'utf8').replace('respond 200', 'respond 200 bogus-arg 1'));
    await srv.waitForLog((l) => /not published/.test(l.msg) && String(l.file).endsWith('hello-api.flow'));
    const res = await srv.api('POST', '/hello/x', { name: 'Grace' });
    expect(res.status).toBe(200);
    expect(res.body.greeting).toBe('Hello, Grace');
  });

  it('mounts the routes of a flow file added while running, and unmounts them when it is deleted', async () => {
    const paths = async (): Promise<string[]> =>
      Object.keys(
        ((await (await fetch(`${srv.httpUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> })
          .paths,
      );
    expect(await paths()).not.toContain('/added');
    const file = join(dir, 'added-api.flow');
    writeFileSync(
      file,
      'flow added-api\n  "added at run time"\n\non http GET /added\n  -> main\n\nstate main\n  respond 200 body { ok: true }\n  -> end\n',
    );
    await until(async () => (await srv.api('GET', '/added')).status === 200, 'the new route to answer');
    expect((await srv.api('GET', '/added')).body).toEqual({ ok: true });
    expect(await paths()).toContain('/added');
    rmSync(file);
    await until(async () => (await srv.api('GET', '/added')).status === 404, 'the route to go away');
  });
});
