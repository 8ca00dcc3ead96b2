/**
 * The shared e2e harness: a real callflow server started in-process (the same composition root `callflow
 * serve` uses) with real HTTP, SIP and RTP on 127.0.0.1, a flows directory, and its JSON logs captured.
 *
 *   const srv = await startServer({ flowsDir, rtp: portBlock(2).rtp });
 *   const res = await srv.api('POST', '/v1/calls', { flow: 'x', to: 'sip:uas@127.0.0.1:15812' });
 *   await runSipp({ scenario: e2eScenario('uac-dtmf'), port: 15801, remote: srv.sipTarget, service: '+15550100' }).done;
 *   await srv.stop();
 *
 * HTTP and SIP listen on ephemeral ports (`httpUrl`, `sipPort`); RTP needs a range (pass one from your
 * assigned port block). API calls carry `Authorization: Bearer test-key` unless told otherwise.
 */
import { Writable } from 'node:stream';
import { composeServer, type CallflowServer, type ComposeOptions } from '../../../src/server/compose.js';
import { defaultConfig, mergeConfig, type ServerConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';

/** The API key every test server accepts. */
export const TEST_API_KEY = 'test-key';

/** Any part of the configuration, nested. */
export type ConfigOverrides = {
  [K in keyof ServerConfig]?: ServerConfig[K] extends object ? Partial<ServerConfig[K]> : ServerConfig[K];
};

/** Options of startServer. */
export interface StartServerOptions {
  /** The flow directory (loaded, and watched for hot reload). */
  flowsDir: string;
  /** RTP port range for the server's media (from your assigned block). Default 15960-15999. */
  rtp?: { min: number; max: number };
  /** Configuration overrides merged onto the test defaults. */
  config?: ConfigOverrides;
  /** Store key prefix (use a unique one per test when sharing Redis). */
  storePrefix?: string;
  /** Other composition options (engine, compiler, ...). */
  compose?: Omit<ComposeOptions, 'log' | 'storePrefix'>;
}

/** One captured log line (pino JSON). */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A JSON API answer. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A running test server. */
export interface TestServer {
  readonly httpUrl: string;
  readonly sipPort: number;
  /** `127.0.0.1:<sipPort>`, the remote argument for a SIPp UAC. */
  readonly sipTarget: string;
  readonly server: CallflowServer;
  readonly logs: LogLine[];
  /** Resolve with the first log line (already seen or coming) matching `pred`. */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Call the API with JSON (a string body is sent as is, for malformed-JSON tests). */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** Drain and stop (grace 0 by default: live calls get BYE at once). */
  stop(graceMs?: number): Promise<void>;
}

/** Poll `cond` every 25 ms until true, or throw naming `what`. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Start a server for a test. */
export async function startServer(o: StartServerOptions): Promise<TestServer> {
  const logs: LogLine[] = [];
  const waiters: Array<{ pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (!text.trim()) continue;
        try {
          const line = JSON.parse(text) as LogLine;
          logs.push(line);
          for (const w of [...waiters]) {
            if (!w.pred(line)) continue;
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        } catch {
          // Not JSON: ignore.
        }
      }
      done();
    },
  });
  const base: ServerConfig = mergeConfig(defaultConfig(), {
    flows: [o.flowsDir],
    bundledFlows: false,
    watch: true,
    nodeId: `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    http: { host: '127.0.0.1', port: 0 },
    sip: { host: '127.0.0.1', port: 0, transports: ['udp', 'tcp'] },
    rtp: { host: '127.0.0.1', portMin: o.rtp?.min ?? 15960, portMax: o.rtp?.max ?? 15999, mediaTimeout: 0 },
    auth: { bearer: [TEST_API_KEY], basic: [{ username: 'test', password: 'secret' }] },
    limits: { maxCallDuration: 600, shutdownGrace: 0 },
    log: { level: 'debug' },
  });
  const config = mergeConfig(base, o.config ?? {});
  const server = await composeServer(config, {
    ...o.compose,
    log: createLogger(config.log.level, sink),
    reloadDebounceMs: o.compose?.reloadDebounceMs ?? 50,
    ...(o.storePrefix ? { storePrefix: o.storePrefix } : {}),
  });
  const httpUrl = server.httpUrl;
  return {
    httpUrl,
    sipPort: server.sip.port,
    sipTarget: `127.0.0.1:${server.sip.port}`,
    server,
    logs,
    waitForLog(pred, timeoutMs = 10_000) {
      const seen = logs.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        const w = { pred, resolve: (l: LogLine) => (clearTimeout(t), resolve(l)) };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    async api(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${TEST_API_KEY}`, ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers = { 'content-type': 'application/json', ...init.headers };
      }
      const res = await fetch(`${httpUrl}${path}`, init);
      const text = await res.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { text };
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    stop: (graceMs = 0) => server.shutdown({ graceMs }),
  };
}
