/**
 * The services behind the HTTP API, over the runtime, the flow set and the cluster call directory:
 * run a flow's `on http` entry, originate calls into `on start` entries, list/inspect/hang up calls anywhere
 * in the cluster, list and reload flows.
 */
import type { Logger } from 'pino';
import type { CallControl } from '../ports/index.js';
import type { Runtime } from '../runtime/runtime.js';
import type { HttpExchange } from '../runtime/step-context.js';
import type { CallDirectory } from './cluster/call-directory.js';
import type { FlowSet } from './flow-set.js';
import { diagnosticView, flowSummaryOf } from './flow-views.js';
import type { ApiServices, CallSummary, FlowReply, OriginateBody } from './http/api-types.js';
import type { LiveCalls, SessionIds } from './live-calls.js';

/** What the services are built from. */
export interface ServicesDeps {
  runtime: Runtime;
  flows: FlowSet;
  calls: CallControl;
  live: LiveCalls;
  ids: SessionIds;
  directory: CallDirectory;
  nodeId: string;
  log: Logger;
  /** False while starting or draining. */
  accepting: () => boolean;
  /** Ring time when the request names none (ms). */
  defaultRingMs?: number;
  /** A flow route that has not responded after this long gets 504. */
  replyTimeoutMs?: number;
  /** Longest an originated call may last (ms). */
  maxCallMs?: number;
}

/** Build the ApiServices. */
export function createServices(d: ServicesDeps): ApiServices {
  const replyTimeoutMs = d.replyTimeoutMs ?? 30_000;

  const originate: ApiServices['originate'] = async (body: OriginateBody) => {
    if (!d.accepting())
      return {
        ok: false,
        status: 503,
        error: 'unavailable',
        message: 'the server is shutting down and takes no new calls',
      };
    const flow = d.flows.get(body.flow);
    if (!flow)
      return {
        ok: false,
        status: 404,
        error: 'unknown flow',
        message: `no flow named '${body.flow}' is loaded`,
        field: 'flow',
      };
    if (!flow.ir.entries.some((e) => e.kind === 'start')) {
      return {
        ok: false,
        status: 400,
        error: 'no start entry',
        message: `flow '${body.flow}' has no 'on start' entry to run on an originated call`,
        field: 'flow',
      };
    }
    const id = d.ids.next();
    const summary: CallSummary = {
      id,
      flow: flow.name,
      version: flow.label,
      node: d.nodeId,
      direction: 'outbound',
      to: body.to,
      ...(body.from ? { from: body.from } : {}),
      state: 'dialing',
      startedAt: new Date().toISOString(),
    };
    const abort = d.live.addPending(summary);
    // Other nodes see (and can cancel) the call while it rings; the session re-registers it under the same id.
    const forget = (): void => void d.directory.unregister(id).catch(() => undefined);
    d.directory.register(summary).catch(() => undefined);
    const log = d.log.child({ callId: id, flow: flow.name });
    log.info({ to: body.to, from: body.from }, 'originating call');
    const ringMs = (body.timeout ?? 0) > 0 ? (body.timeout ?? 0) * 1000 : (d.defaultRingMs ?? 30_000);
    void d.calls
      .dial(
        {
          to: body.to,
          timeoutMs: ringMs,
          ...(body.from ? { from: body.from } : {}),
          ...(body.via ? { via: body.via } : {}),
        },
        abort.signal,
      )
      .then(async (res) => {
        if (res.outcome !== 'answered') {
          d.live.settlePending(id, res.outcome);
          forget();
          log.info({ outcome: res.outcome, status: res.status }, 'originated call not answered');
          return;
        }
        d.live.settlePending(id);
        if (abort.signal.aborted) {
          forget();
          await res.leg.hangup({ cause: 'local-hangup' });
          return;
        }
        const session = d.ids.with(id, () =>
          d.runtime.startFlow(
            flow.name,
            body.params ?? {},
            res.leg,
            d.maxCallMs ? { maxDurationMs: d.maxCallMs } : undefined,
          ),
        );
        if (!session) {
          forget();
          await res.leg.hangup({ cause: 'error' });
        }
      })
      .catch((err: unknown) => {
        d.live.settlePending(id, 'failed');
        forget();
        log.warn({ err }, 'originate failed');
      });
    return { ok: true, call: summary };
  };

  return {
    runFlowRoute: (route, request) =>
      new Promise<FlowReply>((resolve) => {
        let responded = false;
        const finish = (reply: FlowReply): void => {
          if (responded) return;
          responded = true;
          clearTimeout(timer);
          resolve(reply);
        };
        const timer = setTimeout(
          () =>
            finish({
              status: 504,
              body: { error: 'timeout', message: `the flow did not respond within ${replyTimeoutMs} ms` },
              headers: {},
            }),
          replyTimeoutMs,
        );
        const exchange: HttpExchange = {
          get responded() {
            return responded;
          },
          respond: (status, body, headers) => finish({ status, body, headers }),
        };
        try {
          const s = d.runtime.startHttpSession(route.flow, route.entryId, request, exchange);
          if (!s)
            finish({
              status: 404,
              body: {
                error: 'not found',
                message: `flow '${route.flow}' no longer serves ${route.method} ${route.path}`,
              },
              headers: {},
            });
        } catch (err) {
          d.log.error({ err, flow: route.flow }, 'flow route failed to start');
          finish({
            status: 500,
            body: { error: 'internal error', message: 'the flow failed to start' },
            headers: {},
          });
        }
      }),
    listCalls: () => d.directory.list(),
    getCall: (id) => d.directory.get(id),
    hangupCall: (id) => d.directory.hangup(id),
    originate,
    listFlows: () => d.flows.list().map(flowSummaryOf),
    flowProblems: () =>
      d.flows.problems().map((p) => ({ file: p.file, diagnostics: p.diagnostics.map(diagnosticView) })),
    reloadFlows: async () => {
      const report = await d.flows.reloadAll();
      return {
        ok: report.rejected.length === 0,
        flows: d.flows.list().map(flowSummaryOf),
        rejected: report.rejected.map((r) => ({
          file: r.file,
          diagnostics: r.diagnostics.map(diagnosticView),
        })),
      };
    },
    ready: d.accepting,
  };
}
