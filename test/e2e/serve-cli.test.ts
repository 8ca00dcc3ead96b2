/**
 * The README's command, `npx callflow serve` (bin/callflow.js), with its defaults (bundled flows, HTTP :8080, SIP :5060): it
 * starts, prints where it listens, takes one SIPp call into a bundled flow, and drains on SIGTERM. Also: a
 * configuration error exits 2 with a clear message, and a draining server answers new calls with 503 while
 * letting the live call finish.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { selfSigned } from '../sip/tls-cert.js';
import { TlsPeer, tlsRequest } from '../sip/tls-peer.js';
import { portBlock } from './support/ports.js';
import { startServer, until } from './support/server.js';
import { e2eScenario, runSipp } from './support/sipp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FLOWS = fileURLToPath(new URL('./fixtures/serve', import.meta.url));
const ports = portBlock(15960);

function cli(
  args: string[],
  env: Record<string, string> = {},
): { proc: ChildProcess; out: () => string; exit: Promise<number> } {
  // bin/callflow.js is what `npx callflow` runs; started directly so SIGTERM reaches the server itself (npm
  // exec does not forward it). Its own process group, so cleanup can kill everything it started.
  const proc = spawn(process.execPath, [`${ROOT}/bin/callflow.js`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  proc.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number>((r) => proc.on('exit', (code) => r(code ?? -1)));
  return { proc, out: () => text, exit };
}

describe('callflow serve: the command', () => {
  const procs: ChildProcess[] = [];
  afterAll(() => {
    for (const p of procs) {
      try {
        if (p.pid) process.kill(-p.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });

  it('starts with the defaults and the bundled flows, routes a SIPp call into a bundled flow, and drains on SIGTERM', async () => {
    const run = cli(['serve'], {
      CALLFLOW_RTP_PORT_MIN: String(ports.rtp.min),
      CALLFLOW_RTP_PORT_MAX: String(ports.rtp.max),
    });
    procs.push(run.proc);
    await until(
      () => /callflow serving/.test(run.out()) || run.proc.exitCode !== null,
      'the server to start',
      60_000,
    );
    expect(run.out()).toMatch(/callflow serving/);
    expect(run.out()).toMatch(/HTTP\s+http:\/\/127\.0\.0\.1:8080/);
    expect(run.out()).toMatch(/SIP\s+udp\+tcp \*:5060/);
    expect(run.out()).toMatch(/flow agora-pstn/);
    expect((await fetch('http://127.0.0.1:8080/healthz')).status).toBe(200);
    // The bundled Agora flow answers its API with 401 when no credentials come.
    expect(
      (
        await fetch('http://127.0.0.1:8080/v1/api/pstn', {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    // With no DIDs configured, the bundled flow takes the call and refuses it as not a DID of its pool.
    const result = await runSipp({
      scenario: e2eScenario('uac-rejected-404'),
      port: ports.sipp(0),
      mediaPort: ports.media(0),
      remote: '127.0.0.1:5060',
      service: '+15550123',
    }).done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await until(
      () => /"msg":"call routed to flow"/.test(run.out()) && /"flow":"agora-pstn"/.test(run.out()),
      'the routing log line',
    );
    run.proc.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.out()).toMatch(/SIGTERM: draining/);
  }, 90_000);

  it('starts from a config file with an absent flow directory, and picks up flows added later on SIGHUP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callflow-cli-'));
    const file = join(dir, 'callflow.yaml');
    const flows = join(dir, 'flows');
    writeFileSync(
      file,
      [
        `flows: [${JSON.stringify(flows)}]`,
        'bundledFlows: false',
        'watch: false',
        'http: { host: 127.0.0.1, port: 0 }',
        'sip: { host: 127.0.0.1, port: 0 }',
        `rtp: { host: 127.0.0.1, portMin: ${ports.rtp.min}, portMax: ${ports.rtp.max} }`,
        'log: { level: info }',
      ].join('\n'),
    );
    const run = cli(['serve', '--config', file]);
    procs.push(run.proc);
    await until(
      () => /callflow serving/.test(run.out()) || run.proc.exitCode !== null,
      'the server to start',
      60_000,
    );
    expect(run.out()).toMatch(/no flows loaded/);
    expect(run.out()).toMatch(/flows \(absent\)/);
    const url = /HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(run.out())?.[1];
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/ping`)).status).toBe(404);
    mkdirSync(flows);
    writeFileSync(
      join(flows, 'ping.flow'),
      'flow ping\n  "ping"\n\non http GET /ping\n  -> main\n\nstate main\n  respond 200 body { pong: true }\n  -> end\n',
    );
    run.proc.kill('SIGHUP');
    await until(() => /SIGHUP: flows reloaded/.test(run.out()), 'the reload on SIGHUP');
    const ping = await fetch(`${url}/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({ pong: true });
    run.proc.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('serves SIP over TLS with a certificate and key named relative to the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callflow-tls-cli-'));
    const pem = selfSigned();
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs', 'sip.crt'), pem.cert);
    writeFileSync(join(dir, 'certs', 'sip.key'), pem.key);
    pem.dispose();
    const file = join(dir, 'callflow.yaml');
    writeFileSync(
      file,
      [
        'bundledFlows: false',
        'watch: false',
        `flows: [${JSON.stringify(join(dir, 'flows'))}]`,
        'http: { host: 127.0.0.1, port: 0 }',
        'sip: { host: 127.0.0.1, port: 0, transports: [udp, tls], tls: { port: 0, cert: certs/sip.crt, key: certs/sip.key } }',
        `rtp: { host: 127.0.0.1, portMin: ${ports.rtp.min}, portMax: ${ports.rtp.max} }`,
      ].join('\n'),
    );
    const run = cli(['serve', '--config', file]);
    procs.push(run.proc);
    await until(() => /callflow serving/.test(run.out()) || run.proc.exitCode !== null, 'the server to start', 60_000);
    const tlsPort = Number(/SIP\s+udp 127\.0\.0\.1:\d+\s+tls 127\.0\.0\.1:(\d+)/.exec(run.out())?.[1]);
    expect(tlsPort, run.out()).toBeGreaterThan(0);
    const peer = await TlsPeer.open(tlsPort);
    peer.write(tlsRequest({ method: 'OPTIONS', port: tlsPort, via: '127.0.0.1:5061', branch: 'z9hG4bK-cli-tls', callId: 'cli-tls', cseq: 1 }));
    await peer.waitFor(() => peer.find(200, 'OPTIONS') !== undefined);
    peer.close();
    run.proc.kill('SIGTERM');
    expect(await run.exit).toBe(0);

    // TLS settings without tls among the transports would silently serve no TLS: refused, naming the fix.
    writeFileSync(file, readFileSync(file, 'utf8').replace('transports: [udp, tls]', 'transports: [udp]'));
    const bad = cli(['serve', '--config', file]);
    procs.push(bad.proc);
    expect(await bad.exit).toBe(2);
    expect(bad.out()).toMatch(/sip\.tls is set but sip\.transports \(udp\) does not list tls/);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('exits 2 with a clear message when the configuration names the drachtio engine', async () => {
    const run = cli(['serve', '--engine', 'drachtio', '--http-port', '0', '--sip-port', '0', '--no-bundled']);
    procs.push(run.proc);
    expect(await run.exit).toBe(2);
    expect(run.out()).toMatch(/drachtio' is not available in this build/);
  }, 60_000);

  it('exits 2 with a clear message, instead of hanging, when the Redis store cannot be reached', async () => {
    // Nothing listens on the block's last SIPp port unless a test runs SIPp there; this file uses 0-2 only.
    const port = ports.sipp(5);
    const run = cli(['serve', '--store', `redis://127.0.0.1:${port}`, '--http-port', '0', '--sip-port', '0', '--no-bundled']);
    procs.push(run.proc);
    expect(await run.exit).toBe(2);
    expect(run.out()).toMatch(new RegExp(`store: cannot reach Redis at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  }, 60_000);

  it('answers new calls with 503 while draining and lets the live call finish within the grace period', async () => {
    const srv = await startServer({ flowsDir: FLOWS, rtp: ports.rtp });
    const live = runSipp({
      scenario: e2eScenario('uac-wait-bye'),
      port: ports.sipp(1),
      mediaPort: ports.media(1),
      remote: srv.sipTarget,
      service: '+15550200',
      timeoutSec: 30,
    });
    const routed = await srv.waitForLog((l) => l.msg === 'call routed to flow', 15_000);
    await until(
      async () => (await srv.api('GET', `/v1/calls/${String(routed.session)}`)).body.state === 'hold',
      'the call to be up',
    );
    const stopping = srv.stop(1500);
    await until(
      async () => (await fetch(`${srv.httpUrl}/readyz`)).status === 503,
      'readyz to report not ready',
    );
    const refused = await runSipp({
      scenario: e2eScenario('uac-rejected-503'),
      port: ports.sipp(2),
      mediaPort: ports.media(2),
      remote: srv.sipTarget,
      service: '+15550200',
    }).done;
    expect(refused.code, `${refused.errors}\n${refused.stderr}`).toBe(0);
    expect(srv.logs.some((l) => /shutting down \(503\)/.test(l.msg))).toBe(true);
    await stopping;
    const r = await live.done;
    expect(r.code, `${r.errors}\n${r.stderr}`).toBe(0);
    expect(srv.logs.some((l) => /grace period over/.test(l.msg))).toBe(true);
  }, 60_000);
});
