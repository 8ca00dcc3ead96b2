/**
 * `callflow serve`: run the call-flow server. Configuration comes from defaults, callflow.yaml (or --config),
 * CALLFLOW_* environment variables and these flags, later ones winning. SIGTERM/SIGINT drain and stop it;
 * a second signal stops at once.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIo } from '../io.js';

/** One-line description for `callflow --help`. */
export const summary = 'run the call-flow server (SIP, RTP, HTTP API, flows with hot reload)';

const HELP = `usage: callflow serve [options]

  --config <file>       configuration file (default: ./callflow.yaml if present)
  --flows <dir>         flow directory; repeat for several (default: ./flows)
  --no-bundled          do not load the flows shipped with callflow
  --no-watch            do not hot-reload flows when files change
  --http-host <addr>    HTTP listen address (default 0.0.0.0)
  --http-port <port>    HTTP port (default 8080)
  --sip-host <addr>     SIP listen address (default 0.0.0.0)
  --sip-port <port>     SIP port, UDP and TCP (default 5060)
  --rtp-ports <a-b>     RTP port range (default 20000-30000)
  --store <url>         "memory" (default) or redis://host:port/db shared by several nodes
  --engine <name>       embedded (default)
  --node-id <id>        this node's name in a cluster (default hostname-pid)
  --log-level <level>   trace|debug|info|warn|error|fatal|silent (default info)

Environment: CALLFLOW_HTTP_PORT, CALLFLOW_SIP_PORT, CALLFLOW_STORE, CALLFLOW_FLOWS, CALLFLOW_API_KEYS, ...
(every setting and variable: docs/configuration.md)
Stop with SIGTERM or Ctrl-C: new calls get 503, live calls may finish (limits.shutdownGrace), then BYE.
SIGHUP re-reads every flow file now (as POST /v1/flows/reload does).`;

function port(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`--${name}: expected a port number, got '${v}'`);
  return n;
}

/** The configuration flags as a partial config object (validated later with the config schema). */
export function flagsToConfig(
  values: Record<string, string | string[] | boolean | undefined>,
  cwd: string,
): Record<string, unknown> {
  const cfg: Record<string, unknown> = {};
  const http: Record<string, unknown> = {};
  const sip: Record<string, unknown> = {};
  const rtp: Record<string, unknown> = {};
  const str = (k: string): string | undefined => {
    const v = values[k];
    return typeof v === 'string' ? v : undefined;
  };
  const flows = values.flows;
  if (Array.isArray(flows) && flows.length > 0) cfg.flows = flows.map((f) => resolve(cwd, f));
  if (values['no-bundled']) cfg.bundledFlows = false;
  if (values['no-watch']) cfg.watch = false;
  if (str('http-host')) http.host = str('http-host');
  if (str('http-port')) http.port = port('http-port', str('http-port') as string);
  if (str('sip-host')) sip.host = str('sip-host');
  if (str('sip-port')) sip.port = port('sip-port', str('sip-port') as string);
  const rtpPorts = str('rtp-ports');
  if (rtpPorts) {
    const m = /^(\d+)-(\d+)$/.exec(rtpPorts);
    if (!m) throw new Error(`--rtp-ports: expected <min>-<max>, got '${rtpPorts}'`);
    rtp.portMin = Number(m[1]);
    rtp.portMax = Number(m[2]);
  }
  if (str('store')) cfg.store = str('store');
  if (str('engine')) cfg.engine = str('engine');
  if (str('node-id')) cfg.nodeId = str('node-id');
  if (str('log-level')) cfg.log = { level: str('log-level') };
  if (Object.keys(http).length > 0) cfg.http = http;
  if (Object.keys(sip).length > 0) cfg.sip = sip;
  if (Object.keys(rtp).length > 0) cfg.rtp = rtp;
  return cfg;
}

/** Run the server until a signal stops it; returns the exit code. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let values: Record<string, string | string[] | boolean | undefined>;
  let flags: Record<string, unknown>;
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        flows: { type: 'string', multiple: true },
        'no-bundled': { type: 'boolean' },
        'no-watch': { type: 'boolean' },
        ...Object.fromEntries(
          [
            'http-host',
            'http-port',
            'sip-host',
            'sip-port',
            'rtp-ports',
            'store',
            'engine',
            'node-id',
            'log-level',
          ].map((k) => [k, { type: 'string' as const }]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values;
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    flags = flagsToConfig(values, io.cwd);
  } catch (err) {
    io.err(`callflow serve: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  const { loadConfig, ConfigError } = await import('../../server/config.js');
  const { composeServer } = await import('../../server/compose.js');
  let server;
  try {
    const configFile = typeof values.config === 'string' ? resolve(io.cwd, values.config) : undefined;
    const config = await loadConfig({ file: configFile, flags });
    server = await composeServer(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`callflow serve: ${err.message}`);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.err(
        `callflow serve: cannot listen: ${(err as Error).message} (choose another port with --http-port / --sip-port)`,
      );
      return 1;
    }
    io.err(`callflow serve: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  io.out(server.summary);
  const running = server;
  // A stray rejected promise somewhere in a library must not take every live call down with the process.
  const onRejection = (err: unknown): void => running.log.error({ err }, 'unhandled promise rejection');
  process.on('unhandledRejection', onRejection);
  const onHup = (): void => {
    running.flows.reloadAll().then(
      (r) =>
        running.log.info(
          { published: r.published, removed: r.removed, rejected: r.rejected.map((x) => x.file) },
          'SIGHUP: flows reloaded',
        ),
      (err: unknown) => running.log.error({ err }, 'SIGHUP: reload failed'),
    );
  };
  process.on('SIGHUP', onHup);
  return new Promise<number>((done) => {
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        io.err(`callflow serve: ${sig} again, stopping now`);
        process.exit(130);
      }
      io.out(`callflow serve: ${sig}: draining (new calls get 503; press Ctrl-C again to stop at once)`);
      running.shutdown().then(
        () => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          process.off('unhandledRejection', onRejection);
          process.off('SIGHUP', onHup);
          done(0);
        },
        (err: unknown) => {
          io.err(`callflow serve: error while stopping: ${err instanceof Error ? err.message : String(err)}`);
          done(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
