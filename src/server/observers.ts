/**
 * Listeners that keep the server's views in step with the runtime and the flows: metrics, the cluster call
 * directory, the HTTP flow routes (rebuilt on every reload), and log lines for reloads and diagnostics.
 */
import type { Logger } from 'pino';
import type { Diagnostic } from '../language/diagnostics.js';
import type { HttpRoute, RegistrySnapshot } from '../runtime/registry.js';
import type { Runtime, SessionEndedEvent, SessionStartedEvent } from '../runtime/runtime.js';
import type { StepMetric } from '../runtime/session.js';
import type { CallDirectory } from './cluster/call-directory.js';
import type { FlowSet } from './flow-set.js';
import { diagnosticView } from './flow-views.js';
import type { FlowRoute, FlowRouter } from './http/flow-routes.js';
import type { LiveCalls } from './live-calls.js';
import type { ServerMetrics } from './metrics.js';

/** What the observers watch and update. */
export interface ObserverDeps {
  runtime: Runtime;
  flows: FlowSet;
  router: FlowRouter;
  metrics: ServerMetrics;
  directory: CallDirectory;
  live: LiveCalls;
  log: Logger;
  toRoute: (r: HttpRoute) => FlowRoute;
}

/** Attach the listeners. */
export function wireObservers(d: ObserverDeps): void {
  const { metrics, log } = d;
  d.runtime.on('session.started', (e: SessionStartedEvent) => {
    metrics.sessionsActive.inc({ flow: e.flow, kind: e.kind });
    const s = d.runtime.session(e.id);
    const summary = s ? d.live.summaryOf(s) : undefined;
    if (summary)
      d.directory
        .register(summary)
        .catch((err: unknown) => log.warn({ err, session: e.id }, 'cannot record call in the directory'));
  });
  d.runtime.on('session.ended', (e: SessionEndedEvent) => {
    metrics.sessionsActive.dec({ flow: e.flow, kind: e.kind });
    metrics.sessionsTotal.inc({ flow: e.flow, kind: e.kind, outcome: e.cause });
    d.directory.unregister(e.id).catch(() => undefined);
  });
  d.runtime.on('step', (m: StepMetric) =>
    metrics.stepDuration.observe({ step: m.step, outcome: m.outcome }, m.ms / 1000),
  );

  d.flows.on('updated', (snap: RegistrySnapshot) => {
    d.router.replace(snap.httpRoutes.map(d.toRoute));
    metrics.flowReloads.inc({ result: 'ok' });
    log.info(
      { generation: snap.generation, flows: [...snap.flows.values()].map((f) => `${f.name}@${f.label}`) },
      'flows updated',
    );
  });
  d.flows.on('diagnostics', (p: { file: string; diagnostics: Diagnostic[] }) => {
    const errors = p.diagnostics.filter((x) => x.severity === 'error');
    if (errors.length > 0) {
      metrics.flowReloads.inc({ result: 'rejected' });
      log.warn(
        { file: p.file, diagnostics: errors.map(diagnosticView) },
        'flow not published: it has errors (the previous version, if any, keeps serving)',
      );
    } else if (p.diagnostics.length > 0) {
      log.info({ file: p.file, diagnostics: p.diagnostics.map(diagnosticView) }, 'flow diagnostics');
    }
  });
}
