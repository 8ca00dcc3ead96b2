/** The start-up summary `callflow serve` prints: what listens where, which flows loaded, any diagnostics. */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReloadReport } from '../runtime/registry.js';
import { formatRange } from '../runtime/trace.js';
import type { ServerConfig } from './config.js';
import type { SipListening } from './engine-port.js';
import type { FlowSet } from './flow-set.js';
import { describeEntry } from './flow-views.js';

/** The package's flows/ directory (src/server → ../../flows, and the same from dist/server). */
export function bundledFlowsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'flows');
}

/** What the summary is made from. */
export interface SummaryInput {
  config: ServerConfig;
  httpUrl: string;
  sip: SipListening;
  storeKind: 'memory' | 'redis';
  flows: FlowSet;
  report: ReloadReport;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** `udp+tcp host:5060  tls host:5061`: TLS listens on its own port. */
function sipLine(sip: SipListening, host: string): string {
  const plain = sip.transports.filter((t) => t !== 'tls');
  const parts = plain.length > 0 ? [`${plain.join('+')} ${host}:${sip.port}`] : [];
  if (sip.tlsPort !== undefined) parts.push(`tls ${host}:${sip.tlsPort}`);
  return parts.join('  ');
}

/** The summary as lines of text. */
export function startupSummary(s: SummaryInput): string {
  const { config } = s;
  const sipHost = s.sip.host === '0.0.0.0' ? '*' : s.sip.host;
  const lines = [
    `callflow serving (node ${config.nodeId}, engine ${config.engine}, store ${s.storeKind})`,
    `  HTTP  ${s.httpUrl}   API /v1  docs /docs  OpenAPI /openapi.json  health /healthz /readyz  metrics /metrics`,
    `  SIP   ${sipLine(s.sip, sipHost)}${s.sip.advertised !== s.sip.host ? `  (Via and Contact name ${s.sip.advertised})` : ''}`,
    `  RTP   ${config.rtp.host === '0.0.0.0' ? '*' : config.rtp.host} ports ${config.rtp.portMin}-${config.rtp.portMax}${s.sip.rtpAdvertised !== config.rtp.host ? `  (SDP names ${s.sip.rtpAdvertised})` : ''}`,
    `  flow directories: ${s.flows.dirs.map((d) => `${shown(d)}${s.flows.existingDirs().includes(d) ? '' : ' (absent)'}`).join(', ')}${config.watch ? ' (watched)' : ''}`,
  ];
  const list = s.flows.list();
  if (list.length === 0) lines.push('  no flows loaded: add .flow or .yaml files to a flow directory');
  for (const f of list) {
    lines.push(`  flow ${f.name} ${f.label}  ${shown(f.file)}`);
    for (const e of f.ir.entries) lines.push(`      on ${describeEntry(e)}`);
  }
  const problems = s.flows.problems();
  for (const p of problems) {
    for (const d of p.diagnostics)
      lines.push(
        `  ${d.severity} ${formatRange({ ...d.range, file: shown(d.range.file) })} ${d.code} ${d.message}`,
      );
  }
  if (s.report.rejected.length > 0)
    lines.push(`  ${s.report.rejected.length} flow file(s) not loaded because of errors (see above)`);
  return lines.join('\n');
}
