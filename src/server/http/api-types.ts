/** What the HTTP layer needs from the rest of the server; the composition root provides it. */
import type { FlowRoute } from './flow-routes.js';
import type { RequestProblem } from './request-schema.js';

/** The parts of an HTTP request a flow sees as `request.*`. */
export interface FlowRequest {
  method: string;
  path: string;
  body: unknown;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Validation problems, when the flow routes invalid requests itself. */
  errors: RequestProblem[];
  /** Names of missing required fields (a convenience for "Missing Parameters" answers). */
  missing: string[];
}

/** How the flow answers: the HTTP layer turns it into the reply. */
export interface FlowReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** A call as the API shows it. */
export interface CallSummary {
  id: string;
  flow: string;
  version: string;
  node: string;
  direction: 'inbound' | 'outbound' | 'none';
  from?: string;
  to?: string;
  state: string;
  step?: string;
  startedAt: string;
}

/** A call with its trace. */
export interface CallDetail extends CallSummary {
  trace: unknown[];
}

/** A flow as the API shows it. */
export interface FlowSummary {
  name: string;
  version: string;
  file: string;
  loadedAt: string;
  entries: Array<{ kind: string; id: string; describe: string }>;
  diagnostics: Array<{ code: string; severity: string; message: string; location: string }>;
}

/** A request to originate a call into a flow. */
export interface OriginateBody {
  flow: string;
  to: string;
  from?: string;
  via?: string;
  params?: Record<string, unknown>;
  timeout?: number;
}

/** Services behind the API routes. */
export interface ApiServices {
  /** Run a flow's http entry; resolves with the flow's reply (or a 5xx if the flow failed to answer). */
  runFlowRoute(route: FlowRoute, request: FlowRequest): Promise<FlowReply>;
  listCalls(): Promise<CallSummary[]>;
  getCall(id: string): Promise<CallDetail | undefined>;
  hangupCall(id: string): Promise<boolean>;
  originate(body: OriginateBody): Promise<{ ok: true; call: CallSummary } | { ok: false; status: 400 | 404 | 503; error: string; message: string; field?: string }>;
  listFlows(): FlowSummary[];
  /** Files whose latest text is not served (errors; the previous version keeps serving), with their diagnostics. */
  flowProblems?(): Array<{ file: string; diagnostics: FlowSummary['diagnostics'] }>;
  reloadFlows(): Promise<{ ok: boolean; flows: FlowSummary[]; rejected: Array<{ file: string; diagnostics: FlowSummary['diagnostics'] }> }>;
  ready(): boolean;
}
