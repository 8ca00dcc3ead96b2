/** Prometheus metrics for /metrics: calls by flow and outcome, step durations, SIP, RTP and HTTP figures. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics one server exposes; gauges that are read from engines are set through callbacks. */
export interface ServerMetrics {
  registry: Registry;
  sessionsActive: Gauge<'flow' | 'kind'>;
  sessionsTotal: Counter<'flow' | 'kind' | 'outcome'>;
  stepDuration: Histogram<'step' | 'outcome'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  sipTransactions: Gauge;
  sipMalformed: Gauge;
  rtpStreams: Gauge;
  flowReloads: Counter<'result'>;
  /** Inbound INVITEs by what the ingress did: routed, not-found (404), failed (500), refused (503). */
  sipIngress: Counter<'result'>;
}

/** Create the registry and metrics; `read` supplies engine figures at scrape time. */
export function createMetrics(read: { sipTransactions(): number; sipMalformed(): number; rtpStreams(): number }): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'callflow_process_' });
  return {
    registry,
    sessionsActive: new Gauge({ name: 'callflow_sessions_active', help: 'Sessions running now, by flow and kind (call, http, start).', labelNames: ['flow', 'kind'], registers: [registry] }),
    sessionsTotal: new Counter({ name: 'callflow_sessions_total', help: 'Sessions ended, by flow, kind and outcome (end cause).', labelNames: ['flow', 'kind', 'outcome'], registers: [registry] }),
    stepDuration: new Histogram({
      name: 'callflow_step_duration_seconds',
      help: 'How long steps ran, by step and outcome.',
      labelNames: ['step', 'outcome'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'callflow_http_request_duration_seconds',
      help: 'HTTP API latency by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    sipTransactions: new Gauge({ name: 'callflow_sip_transactions', help: 'SIP transactions in progress.', registers: [registry], collect() { this.set(read.sipTransactions()); } }),
    sipMalformed: new Gauge({ name: 'callflow_sip_malformed_total', help: 'Malformed SIP messages rejected or dropped since start.', registers: [registry], collect() { this.set(read.sipMalformed()); } }),
    rtpStreams: new Gauge({ name: 'callflow_rtp_streams', help: 'RTP streams open now.', registers: [registry], collect() { this.set(read.rtpStreams()); } }),
    flowReloads: new Counter({ name: 'callflow_flow_reloads_total', help: 'Flow reloads by result (ok, rejected).', labelNames: ['result'], registers: [registry] }),
    sipIngress: new Counter({ name: 'callflow_sip_ingress_total', help: 'Inbound calls by result (routed, not-found, failed, refused).', labelNames: ['result'], registers: [registry] }),
  };
}
