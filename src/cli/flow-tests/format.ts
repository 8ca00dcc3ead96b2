/**
 * The flow test file format (`*.test.yaml` beside a flow), parsed with source positions so a failing
 * expectation can point at its own file:line. See docs/flow-tests.md for the format.
 */
import { LineCounter, parseDocument, isMap, type Document, type Node } from 'yaml';
import type { SimScript } from '../../engines/simulated/index.js';

/** How a test starts its session. */
export type TestEntry =
  | { kind: 'call'; from?: string; to?: string; headers?: Record<string, string>; user?: string; domain?: string; trunk?: string }
  | { kind: 'http'; method: string; path: string; body?: unknown; headers?: Record<string, string>; query?: Record<string, string> }
  | { kind: 'start'; params: Record<string, unknown>; call?: StartCall };

/**
 * The answered call an `on start` session runs on, as `originate` or the API's start-with-a-call hands it over:
 * `from` / `to` as the dialled leg shows them (`to`: the number dialled).
 */
export interface StartCall {
  from?: string;
  to?: string;
  headers?: Record<string, string>;
  id?: string;
}

/** The expectations a test can hold (every key optional). */
export interface TestExpect {
  /** States entered, exactly and in order. */
  states?: string[];
  /** States that must be entered, in this relative order (others may come between). */
  visits?: string[];
  /** States that must not be entered. */
  'not-visits'?: string[];
  /** Prompts played (say text, file path suffix, or `tone:name`), exactly and in order. */
  prompts?: string[];
  /** Prompts that must be among those played (a prompt matches when it contains the text). */
  'prompts-include'?: string[];
  /** Digit strings collected, in order. */
  digits?: string[];
  /** Legs dialled, in order; each a target or {to, result}. */
  dials?: Array<string | { to?: string; result?: string }>;
  /** HTTP requests made (first attempts), in order; each a URL or {method, url, body (subset)}. */
  http?: Array<string | { method?: string; url?: string; body?: unknown }>;
  /** The HTTP response the flow returned: status and a body subset. */
  response?: { status?: number; body?: unknown; headers?: Record<string, string> };
  /** How the session ended: `{cause, state}` or just the cause. */
  end?: string | { cause?: string; state?: string; error?: string };
  /** Log messages written by `log` steps, in order (substring match). */
  logs?: string[];
  /** Channels joined, in order. */
  channels?: string[];
  /** DTMF digits the flow sent (`send-dtmf`), all legs, as one string. */
  'dtmf-sent'?: string;
  /** Store keys and their values at the end (null: absent). */
  store?: Record<string, unknown>;
}

/** One test. */
export interface FlowTest {
  name: string;
  entry: TestEntry;
  /** The entry's id in the flow, when the flow has several of a kind. */
  entryId?: string;
  world: SimScript;
  store: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Virtual time limit for the session. */
  limitMs: number;
  expect: TestExpect;
  /** Where this test starts in the file (0-based line). */
  line: number;
  /** Lines of each expectation key (0-based). */
  expectLines: Record<string, number>;
}

/** A parsed test file. */
export interface FlowTestFile {
  file: string;
  /** The flow under test, as written (relative to the test file). */
  flow: string;
  tests: FlowTest[];
  problems: Array<{ line: number; message: string }>;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;

/** A duration as written in a test file: a number of ms, or "500ms" / "10s" / "2m" / "1h". */
export function durationMs(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = DURATION.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** Turn durations written as text ("2s") into ms throughout a world script, where the field is a time. */
function normaliseTimes(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => normaliseTimes(x, key));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseTimes(x, k)]));
  }
  const timeKeys = ['at', 'delay', 'after', 'gap', 'hangupAfter', 'closeAt', 'errorAt', 'ms', 'sayMsPerChar', 'fileMs', 'toneMs', 'recordMs'];
  if (typeof v === 'string' && timeKeys.includes(key)) return durationMs(v) ?? v;
  return v;
}

/** The world section, with the sugar: `digits: "1234#"` and `hangup: 30s` apply to the caller. */
export function worldOf(raw: unknown): SimScript {
  const w = (normaliseTimes(raw ?? {}) ?? {}) as Record<string, unknown> & SimScript;
  const script: SimScript = { ...w };
  const caller = { ...(w.caller ?? {}) };
  const sugarDigits = (w as { digits?: unknown }).digits;
  if (typeof sugarDigits === 'string' || typeof sugarDigits === 'number') {
    caller.digits = [...(caller.digits ?? []), { after: 'listen', delay: 500, keys: String(sugarDigits) }];
  }
  const hangup = (w as { hangup?: unknown }).hangup;
  if (hangup !== undefined) {
    const at = durationMs(hangup);
    if (at !== undefined) caller.hangup = { at };
    else if (hangup && typeof hangup === 'object') caller.hangup = hangup;
  }
  delete (script as { digits?: unknown }).digits;
  delete (script as { hangup?: unknown }).hangup;
  if (caller.digits || caller.hangup) script.caller = caller;
  return script;
}

function lineOf(lc: LineCounter, node: Node | null | undefined): number {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? lc.linePos(r[0]).line - 1 : 0;
}

function entryOf(t: Record<string, unknown>): TestEntry | string {
  if (t.http && typeof t.http === 'object') {
    const h = t.http as Record<string, unknown>;
    return {
      kind: 'http',
      method: (typeof h.method === 'string' ? h.method : 'POST').toUpperCase(),
      path: typeof h.path === 'string' ? h.path : '/',
      body: h.body,
      ...(h.headers ? { headers: h.headers as Record<string, string> } : {}),
      ...(h.query ? { query: h.query as Record<string, string> } : {}),
    };
  }
  if (t.start !== undefined) return parseStartEntry(t.start);
  const c = (t.call ?? {}) as Record<string, unknown>;
  if (typeof c !== 'object') return 'call: expected {from, to, headers}';
  return { kind: 'call', ...(c as object) };
}

/**
 * `start: {params, call}`, or the parameters themselves (`start: {...params}`). With `call:` (the answered leg
 * the session runs on) the parameters go under `params:`.
 */
export function parseStartEntry(raw: unknown): TestEntry | string {
  const s = (raw ?? {}) as Record<string, unknown>;
  if (typeof s !== 'object' || Array.isArray(s)) return 'start: expected {params, call} or the parameters';
  if (s.call === undefined) return { kind: 'start', params: (s.params ?? s) as Record<string, unknown> };
  const c = s.call as Record<string, unknown> | null;
  if (!c || typeof c !== 'object' || Array.isArray(c)) return 'start.call: expected {from, to, headers, answered: true}';
  if (c.answered === false) return 'start.call: `on start` sessions only run on answered calls (originate and the API start the flow once the call answers)';
  const known = ['from', 'to', 'headers', 'id', 'answered'];
  const unknown = Object.keys(c).filter((k) => !known.includes(k));
  if (unknown.length > 0) return `start.call: unknown key ${unknown.join(', ')} (expected ${known.join(', ')})`;
  const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const [from, to, id] = [text(c.from), text(c.to), text(c.id)];
  const call: StartCall = {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(c.headers && typeof c.headers === 'object' ? { headers: c.headers as Record<string, string> } : {}),
    ...(id === undefined ? {} : { id }),
  };
  return { kind: 'start', params: (s.params ?? {}) as Record<string, unknown>, call };
}

/** Parse a test file's text. Problems are data with lines; a test with a problem is dropped. */
export function parseFlowTestFile(file: string, text: string): FlowTestFile {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc });
  const problems: FlowTestFile['problems'] = doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ? e.linePos[0].line - 1 : 0, message: e.message }));
  const root = doc.toJS() as Record<string, unknown> | null;
  const base = file.replace(/\.test\.ya?ml$/, '');
  const out: FlowTestFile = { file, flow: typeof root?.flow === 'string' ? root.flow : `${base.split('/').pop() ?? base}.flow`, tests: [], problems };
  if (!root || typeof root !== 'object') {
    problems.push({ line: 0, message: 'expected a mapping with `tests:`' });
    return out;
  }
  const config = (root.config ?? {}) as Record<string, unknown>;
  const tests = Array.isArray(root.tests) ? root.tests : [];
  if (!Array.isArray(root.tests)) problems.push({ line: lineOf(lc, doc.contents), message: '`tests:` must be a list' });
  tests.forEach((raw: unknown, i: number) => {
    const node = doc.getIn(['tests', i], true) as Node | undefined;
    const line = lineOf(lc, node);
    if (!raw || typeof raw !== 'object') {
      problems.push({ line, message: `test ${i + 1}: expected a mapping` });
      return;
    }
    const t = raw as Record<string, unknown>;
    const entry = entryOf(t);
    if (typeof entry === 'string') {
      problems.push({ line, message: entry });
      return;
    }
    const expectNode = doc.getIn(['tests', i, 'expect'], true);
    const expectLines: Record<string, number> = {};
    if (isMap(expectNode)) {
      for (const item of expectNode.items) expectLines[String((item.key as { value?: unknown }).value)] = lineOf(lc, item.key as Node);
    }
    const limit = durationMs(t.limit) ?? 3_600_000;
    out.tests.push({
      name: typeof t.name === 'string' ? t.name : `test ${i + 1}`,
      entry,
      ...(typeof t.entry === 'string' ? { entryId: t.entry } : {}),
      world: worldOf(t.world),
      store: (t.store ?? {}) as Record<string, unknown>,
      config: { ...config, ...((t.config ?? {}) as Record<string, unknown>) },
      limitMs: limit,
      expect: t.expect ?? {},
      line,
      expectLines,
    });
  });
  return out;
}
