/**
 * The composition root: the only module that names concrete engines. Configuration → store (memory or Redis)
 * → HTTP client → bots → flow set (compiler, hot reload) → runtime (ports from the telephony engine) → HTTP
 * app + SIP ingress → cluster call directory. Shutdown drains: new calls get 503, live calls may finish within
 * the grace period, then the rest are hung up (BYE).
 */
import type { Logger } from 'pino';
import { createWsBots } from '../bots/index.js';
import { createFetchHttp } from '../engines/http/fetch-http.js';
import { Runtime } from '../runtime/runtime.js';
import type { Session } from '../runtime/session.js';
import type { FlowCompiler } from '../runtime/registry.js';
import { systemClock } from '../runtime/system-clock.js';
import { STEP_RUNNERS } from '../steps/index.js';
import { openStore } from '../store/index.js';
import { CallDirectory } from './cluster/call-directory.js';
import { LegOwners } from './cluster/leg-owners.js';
import { routedCallControl } from './cluster/routed-calls.js';
import { ConfigError, type ServerConfig } from './config.js';
import type { SipListening, TelephonyEngine } from './engine-port.js';
import { flowConfigSource } from './compose-flow-config.js';
import { createEngine, loadCompiler } from './compose-engine.js';
import { FlowSet } from './flow-set.js';
import { flowRouteOf } from './flow-views.js';
import { createHttpServer } from './http/app.js';
import { FlowRouter } from './http/flow-routes.js';
import { LiveCalls, SessionIds } from './live-calls.js';
import { createLogger, logTraceEvent } from './logger.js';
import { createMetrics } from './metrics.js';
import { createServices } from './services.js';
import { SipIngress } from './sip-ingress.js';
import { bundledFlowsDir, startupSummary } from './summary.js';
import { wireObservers } from './observers.js';

/** Options that are not configuration: injection points for tests and the CLI. */
export interface ComposeOptions {
  /** Logger (default: JSON lines on stdout at `log.level`). */
  log?: Logger;
  /** The flow compiler (default: the project's compiler). */
  compile?: FlowCompiler;
  /** Build the telephony engine (default: from `engine:`). */
  engine?: (config: ServerConfig, log: Logger) => Promise<TelephonyEngine>;
  /** Where the bundled flows live (default: the package's flows/). */
  bundledFlowsDir?: string;
  /** Key prefix in the store, so test runs on a shared Redis do not meet (default `callflow:`). */
  storePrefix?: string;
  /** Environment the `env:` allow-list reads from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Flow-file change debounce (ms). */
  reloadDebounceMs?: number;
  /** How long an `on http` flow may take to respond (ms, default 30 s). */
  flowReplyTimeoutMs?: number;
}

/** A running server. */
export interface CallflowServer {
  readonly config: ServerConfig;
  readonly nodeId: string;
  /** Base URL of the HTTP API (loopback when listening on all interfaces). */
  readonly httpUrl: string;
  readonly httpPort: number;
  readonly sip: SipListening;
  readonly flows: FlowSet;
  readonly runtime: Runtime;
  readonly ingress: SipIngress;
  readonly log: Logger;
  /** The start-up summary: what listens where, which flows loaded, any diagnostics. */
  readonly summary: string;
  /** Drain and stop: 503 to new calls, wait up to `graceMs` (default `limits.shutdownGrace`) for calls, BYE the rest. */
  shutdown(opts?: { graceMs?: number }): Promise<void>;
}

/** Start a server from a resolved configuration. On failure everything started so far is closed again. */
export async function composeServer(
  config: ServerConfig,
  opts: ComposeOptions = {},
): Promise<CallflowServer> {
  const log = opts.log ?? createLogger(config.log.level);
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.reverse())
      await fn().catch((err: unknown) => log.warn({ err }, 'error while stopping'));
    cleanups.length = 0;
  };
  try {
    if (config.store !== 'memory' && !/^rediss?:\/\//.test(config.store))
      throw new ConfigError(`store: expected "memory" or a redis:// URL, got '${config.store}'`);
    // An unreachable Redis is a configuration problem: `serve` exits 2 with the store's message.
    const { store, bus, kind: storeKind } = await openStore(config.store, opts.storePrefix ?? 'callflow:').catch(
      (err: unknown) => {
        throw new ConfigError(`store: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    cleanups.push(
      () => store.close(),
      () => bus.close(),
    );
    const compile = opts.compile ?? (await loadCompiler());

    const bundledDirs = config.bundledFlows ? [opts.bundledFlowsDir ?? bundledFlowsDir()] : [];
    const flows = new FlowSet({
      dirs: [...config.flows, ...bundledDirs],
      bundledDirs,
      compile,
      ...(opts.reloadDebounceMs === undefined ? {} : { debounceMs: opts.reloadDebounceMs }),
    });
    flows.on('error', (err: unknown) => log.error({ err }, 'flow watcher error'));
    cleanups.push(() => flows.close());

    const engine = await (opts.engine ?? createEngine)(config, log.child({ component: 'engine' }));
    cleanups.push(() => engine.close());
    // Flows address calls by leg id (`originate`'s callid, `call.id`): record each leg's node cluster-wide.
    const owners = new LegOwners({ store, nodeId: config.nodeId });
    owners.start();
    cleanups.push(() => owners.stop());
    const cluster: { directory?: CallDirectory } = {};
    const calls = routedCallControl({
      inner: engine.calls,
      owners,
      endRemote: async (id) => (cluster.directory ? cluster.directory.hangup(id) : false),
    });
    // SIP listens from here on; calls arriving before the flows are loaded are told to retry (503).
    const door: { ingress?: SipIngress } = {};
    engine.onIncomingCall((leg) => {
      owners.track(leg).catch(() => undefined);
      if (door.ingress) door.ingress.handle(leg);
      else void leg.hangup({ status: 503, reason: 'Starting', cause: 'shutdown' }).catch(() => undefined);
    });
    const metrics = createMetrics({
      sipTransactions: () => engine.stats().sipTransactions,
      sipMalformed: () => engine.stats().sipMalformed,
      rtpStreams: () => engine.stats().rtpStreams,
    });

    const env = opts.env ?? process.env;
    const ids = new SessionIds();
    let onStateEnter: (s: Session) => void = () => undefined;
    const sessionLog = log.child({ component: 'session' });
    const runtime = new Runtime({
      flows,
      ports: {
        calls,
        media: engine.media,
        http: createFetchHttp({ userAgent: 'callflow' }),
        store: store.namespace('data:'),
        bots: createWsBots({ log: log.child({ component: 'bots' }) }),
        clock: systemClock,
      },
      runners: STEP_RUNNERS,
      config: flowConfigSource(config.flowConfig, (name) => flows.get(name)?.ir, engine.sip),
      env: Object.fromEntries(config.env.flatMap((k) => (env[k] === undefined ? [] : [[k, env[k]]]))),
      limits: { maxDurationMs: config.limits.maxCallDuration * 1000 },
      newId: ids.next,
      onTrace: (s, e) => {
        logTraceEvent(sessionLog, s, e);
        if (e.type === 'state.enter') onStateEnter(s);
      },
    });
    // A far end that never answers our BYE must not hold shutdown for the whole transaction timeout.
    cleanups.push(() =>
      Promise.race([runtime.stopAll('shutdown'), new Promise((r) => setTimeout(r, 5000).unref())]),
    );

    const live = new LiveCalls(runtime, config.nodeId, (id) => engine.calls.endCall(id, 'local-hangup'));
    const directory = new CallDirectory({ store, bus, nodeId: config.nodeId, local: live, owners });
    cluster.directory = directory;
    // Keep the cluster's view of a call's state fresh (other nodes list it from the store).
    onStateEnter = (s) => {
      const summary = s.status === 'running' ? live.summaryOf(s) : undefined;
      if (summary) directory.register(summary).catch(() => undefined);
    };
    await directory.start();
    cleanups.push(() => directory.stop());

    const sipIngress = new SipIngress({
      runtime,
      trunks: config.trunks,
      log: log.child({ component: 'sip-ingress' }),
      onResult: (result) => metrics.sipIngress.inc({ result }),
    });
    const router = new FlowRouter();
    wireObservers({ runtime, flows, router, metrics, directory, live, log, toRoute: flowRouteOf });

    const report = await flows.load();
    if (config.watch) await flows.watch();
    door.ingress = sipIngress;

    let loaded = true;
    const services = createServices({
      runtime,
      flows,
      calls,
      live,
      ids,
      directory,
      nodeId: config.nodeId,
      log: log.child({ component: 'api' }),
      accepting: () => loaded && !sipIngress.isDraining,
      maxCallMs: config.limits.maxCallDuration * 1000,
      ...(opts.flowReplyTimeoutMs === undefined ? {} : { replyTimeoutMs: opts.flowReplyTimeoutMs }),
    });
    const app = await createHttpServer({
      log,
      metrics,
      auth: config.auth,
      router,
      services,
      ...(opts.flowReplyTimeoutMs === undefined ? {} : { flowReplyTimeoutMs: opts.flowReplyTimeoutMs }),
    });
    await app.listen({ host: config.http.host, port: config.http.port });
    cleanups.push(() => app.close());
    const addr = app.server.address();
    const httpPort = typeof addr === 'object' && addr ? addr.port : config.http.port;
    const shownHost =
      config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
    const httpUrl = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${httpPort}`;

    const summary = startupSummary({ config, httpUrl, sip: engine.sip, storeKind, flows, report });
    log.info(
      {
        http: httpUrl,
        sip: engine.sip,
        store: storeKind,
        node: config.nodeId,
        flows: flows.list().map((f) => `${f.name}@${f.label}`),
      },
      'callflow serving',
    );

    let stopping: Promise<void> | undefined;
    const shutdown = (o: { graceMs?: number } = {}): Promise<void> =>
      (stopping ??= (async () => {
        loaded = false;
        sipIngress.drain();
        live.cancelPending();
        await flows.close();
        const graceMs = o.graceMs ?? config.limits.shutdownGrace * 1000;
        log.info({ calls: live.size, graceMs }, 'shutting down: refusing new calls, letting calls finish');
        const until = Date.now() + graceMs;
        while (runtime.list().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        if (runtime.list().length > 0)
          log.info({ sessions: runtime.list().length }, 'grace period over: hanging up the remaining calls');
        await cleanup();
        log.info('stopped');
      })());

    return {
      config,
      nodeId: config.nodeId,
      httpUrl,
      httpPort,
      sip: engine.sip,
      flows,
      runtime,
      ingress: sipIngress,
      log,
      summary,
      shutdown,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
