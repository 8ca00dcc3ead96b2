/**
 * `callflow simulate <flow>`: run a flow headless on the simulated engine and print its trace.
 * The world comes from --script (a YAML/JSON file in the flow test `world:` format) plus --digits.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { createSimulatedEngine, SimRecord } from '../../engines/simulated/index.js';
import type { CommandIo } from '../io.js';
import { durationMs, parseStartEntry, worldOf, type TestEntry } from '../flow-tests/format.js';
import type { FlowHost } from '../flow-tests/run.js';
import type { FlowIr } from '../../compiler/ir.js';

/** One-line description for `callflow --help`. */
export const summary = 'run a flow headless on the simulated engine and print the trace';

const HELP = `usage: callflow simulate <flow> [options]

  --entry <id>        the entry to start (default: the first call entry, or the only entry)
  --from <n> --to <n> caller and called number for a call entry
  --digits <keys>     keys the caller presses, e.g. "1234#" (starting 500 ms after the flow first listens)
  --hangup <time>     the caller hangs up at this virtual time (e.g. 45s)
  --script <file>     the scripted world (YAML or JSON, as a flow test's world:)
  --request <json>    an HTTP request for an http entry: {"method","path","body","headers"} or just the body
  --start <json>      parameters for a start entry, or {params, call: {from, to}} to run it on an answered call
  --config <json>     config values for the flow
  --limit <time>      virtual time limit (default 1h)`;

function pickEntry(ir: FlowIr, kind: TestEntry['kind'] | undefined, id: string | undefined) {
  if (id) return ir.entries.find((e) => e.id === id);
  if (kind) return ir.entries.find((e) => e.kind === kind);
  return ir.entries.find((e) => e.kind === 'call') ?? ir.entries[0];
}

function jsonArg(name: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const v = JSON.parse(text) as unknown;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`--${name} must be a JSON object`);
  return v as Record<string, unknown>;
}

/** Run the command; `host` is injectable for tests. */
export async function run(args: string[], io: CommandIo, injected?: FlowHost): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(['entry', 'from', 'to', 'digits', 'hangup', 'script', 'request', 'start', 'config', 'limit'].map((k) => [k, { type: 'string' as const }])),
        help: { type: 'boolean' },
      },
    });
    values = parsed.values;
    positionals = parsed.positionals;
  } catch (err) {
    io.err(`callflow simulate: ${err instanceof Error ? err.message : String(err)}\n${HELP}`);
    return 2;
  }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  if (values.help || positionals.length !== 1) {
    if (values.help) io.out(HELP);
    else io.err(HELP);
    return values.help ? 0 : 2;
  }
  const flowFile = resolve(io.cwd, positionals[0] as string);
  const host = injected ?? (await import('../flow-tests/host.js')).createFlowHost();
  try {
    const compiled = await host.compile(flowFile);
    if (!compiled.ir) {
      io.err(compiled.errors.join('\n'));
      return 1;
    }
    const ir = compiled.ir;
    const rawWorld = str('script') ? (parseYaml(await readFile(resolve(io.cwd, str('script') as string), 'utf8')) as Record<string, unknown>) : {};
    const world = worldOf({ ...rawWorld, ...(str('digits') ? { digits: str('digits') } : {}), ...(str('hangup') ? { hangup: str('hangup') } : {}) });
    const request = jsonArg('request', str('request'));
    const start = jsonArg('start', str('start'));
    const kind = request ? 'http' : start ? 'start' : undefined;
    const chosen = pickEntry(ir, kind, str('entry'));
    if (!chosen) {
      io.err(`callflow simulate: no ${str('entry') ? `entry '${str('entry')}'` : kind ? `${kind} entry` : 'entry'} in ${positionals[0]}`);
      return 1;
    }
    let entry: TestEntry;
    if (chosen.kind === 'http') {
      const isEnvelope = request !== undefined && ('body' in request || 'method' in request || 'path' in request);
      entry = {
        kind: 'http',
        method: isEnvelope && typeof request?.method === 'string' ? request.method : chosen.method,
        path: isEnvelope && typeof request?.path === 'string' ? request.path : chosen.path,
        body: isEnvelope ? request?.body : (request ?? {}),
        ...(isEnvelope && request?.headers ? { headers: request.headers as Record<string, string> } : {}),
      };
    } else if (chosen.kind === 'start') {
      const parsed = parseStartEntry(start ?? {});
      if (typeof parsed === 'string') {
        io.err(`callflow simulate: --start ${parsed}`);
        return 2;
      }
      entry = parsed;
    } else entry = { kind: 'call', ...(str('from') ? { from: str('from') } : {}), ...(str('to') ? { to: str('to') } : {}) };
    const engine = createSimulatedEngine({ script: world });
    const limitMs = durationMs(str('limit') ?? '1h') ?? 3_600_000;
    const result = await host.runSession({ ir, entry, entryId: chosen.id, engine, config: jsonArg('config', str('config')) ?? {}, limitMs });
    io.out(result.trace);
    io.out('');
    const r = engine.record;
    io.out(`ended: ${result.end.cause}${result.end.state ? ` in ${result.end.state}` : ''}${result.end.error ? ` (${result.end.error})` : ''} at ${engine.clock.monotonic()} ms`);
    if (r.prompts.length > 0) io.out(`prompts: ${r.prompts.map((p) => p.items.map((i) => SimRecord.itemText(i)).join(' + ')).join(' | ')}`);
    if (r.dials.length > 0) io.out(`dialled: ${r.dials.map((d) => `${d.to} → ${d.result ?? 'pending'}`).join(', ')}`);
    if (r.bots.length > 0) io.out(`bots: ${r.bots.map((b) => `${b.url} (${b.protocol}) → ${b.result ?? 'streaming'}, ${b.messages.length} messages`).join(', ')}`);
    if (r.http.length > 0) io.out(`http: ${r.http.map((h) => `${h.method} ${h.url} → ${h.status ?? h.error}`).join(', ')}`);
    if (result.response) io.out(`response: ${result.response.status} ${JSON.stringify(result.response.body)}`);
    await engine.close();
    return result.end.error ? 1 : 0;
  } catch (err) {
    io.err(`callflow simulate: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
