/**
 * The flow registry: compiles a directory of flows and serves each by name and version, with hot reload.
 *
 * Reload rules:
 * - A batch of changed files (debounced) is compiled together with the files that refer to them (flows whose
 *   `originate flow "x"` names a changed flow), so cross-flow checks see the new versions. The compiler is told
 *   which flows are loaded outside the batch (`knownFlows`), so an `originate` naming a flow that exists nowhere
 *   is an error (CF3009), not the warning a partial batch would get.
 * - A file with errors is not published: the previous version keeps serving, and its diagnostics are
 *   reported ('diagnostics' event).
 * - Atomicity: files of the batch that refer to each other (either way, transitively within the batch) form a
 *   group; if any file of a group has errors, no file of that group is published. Unrelated files publish.
 * - Each published change gets the next version number; a file whose source hash did not change keeps its
 *   version. Sessions hold the FlowIr they started with, so running sessions finish on their version.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { CallEntryIr, FlowIr, HttpEntryIr, StartEntryIr } from '../compiler/ir.js';
import { fileStart, hasErrors, type Diagnostic } from '../language/diagnostics.js';
import { flowReferences, isFlowFile, listFlowFiles } from './flow-files.js';

/** One compiled file. */
export interface CompileResult {
  file: string;
  ir?: FlowIr;
  diagnostics: Diagnostic[];
}

/**
 * What the registry tells the compiler about a batch: `knownFlows` names the flows loaded outside it, so an
 * `originate flow "x"` naming none of them (nor a flow of the batch) is an error (CF3009).
 */
export interface FlowCompileOptions {
  knownFlows?: Iterable<string>;
}

/** Compiles a batch of sources together (the composition root passes the real compiler). */
export type FlowCompiler = (
  sources: Array<{ file: string; text: string }>,
  opts?: FlowCompileOptions,
) => CompileResult[] | Promise<CompileResult[]>;

/** A published version of a flow. */
export interface FlowVersion {
  name: string;
  /** Registry-wide increasing number of this version. */
  seq: number;
  hash: string;
  /** `seq-hash7`, shown in traces and the API. */
  label: string;
  ir: FlowIr;
  file: string;
  /** Wall-clock ms. */
  loadedAt: number;
  /** Warnings and infos from the compile that produced it. */
  diagnostics: Diagnostic[];
}

/** An inbound-call entry of a served flow. */
export interface CallRoute {
  flow: FlowVersion;
  entry: CallEntryIr;
}

/** An HTTP entry of a served flow. */
export interface HttpRoute {
  flow: FlowVersion;
  entry: HttpEntryIr;
}

/** What the registry serves at one moment. */
export interface RegistrySnapshot {
  /** Increases on every published change. */
  generation: number;
  flows: ReadonlyMap<string, FlowVersion>;
  callRoutes: readonly CallRoute[];
  httpRoutes: readonly HttpRoute[];
}

/** The outcome of a (re)load. */
export interface ReloadReport {
  published: string[];
  removed: string[];
  /** Files not published, with their problems (their own errors, or a related file's). */
  rejected: Array<{ file: string; diagnostics: Diagnostic[] }>;
}

/** Registry options. */
export interface FlowRegistryOptions {
  dir: string;
  compile: FlowCompiler;
  /** Names of flows served from elsewhere (another directory) that this directory's flows may originate. */
  externalFlows?: () => Iterable<string>;
  /** Quiet time before a batch of file changes is reloaded (default 100 ms). */
  debounceMs?: number;
  now?: () => number;
}

interface Loaded {
  version: FlowVersion;
  refs: Set<string>;
}

/** Serves compiled flows by name; emits 'updated' (RegistrySnapshot) and 'diagnostics' ({file, diagnostics}). */
export class FlowRegistry extends EventEmitter {
  private readonly byFile = new Map<string, Loaded>();
  private readonly problems = new Map<string, Diagnostic[]>();
  private current: RegistrySnapshot = { generation: 0, flows: new Map(), callRoutes: [], httpRoutes: [] };
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: FlowRegistryOptions) {
    super();
  }

  /** Load every flow file in the directory. */
  async load(): Promise<ReloadReport> {
    return this.reload(await listFlowFiles(this.opts.dir));
  }

  /** The flow served under `name` now. */
  get(name: string): FlowVersion | undefined {
    return this.current.flows.get(name);
  }

  /** Every flow served now, by name. */
  list(): FlowVersion[] {
    return [...this.current.flows.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The current snapshot (immutable; replaced on each change). */
  snapshot(): RegistrySnapshot {
    return this.current;
  }

  /** Current problems by file (files whose latest text failed, or were held back). */
  diagnostics(): ReadonlyMap<string, Diagnostic[]> {
    return this.problems;
  }

  /** Recompile these files (changed, added or deleted) as one batch; serialised with other reloads. */
  reload(files: string[]): Promise<ReloadReport> {
    const run = this.chain.then(() => this.reloadNow(files));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Watch the directory; changes are debounced into batches. Resolves once the watcher is ready. */
  async watch(): Promise<void> {
    if (this.watcher) return;
    const w = watch(this.opts.dir, { ignoreInitial: true, ignored: (p, stats) => !!stats?.isFile() && !isFlowFile(p) });
    this.watcher = w;
    const onPath = (p: string | Error): void => {
      if (typeof p !== 'string' || !isFlowFile(p)) return;
      this.pending.add(p);
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        const batch = [...this.pending];
        this.pending.clear();
        this.reload(batch).catch((err: unknown) => this.emit('error', err));
      }, this.opts.debounceMs ?? 100);
    };
    w.on('add', onPath).on('change', onPath).on('unlink', onPath);
    w.on('error', (err) => this.emit('error', err));
    await new Promise<void>((r) => w.once('ready', () => r()));
  }

  /** Stop watching. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.watcher?.close();
    this.watcher = undefined;
  }

  private async reloadNow(files: string[]): Promise<ReloadReport> {
    const changed = new Map<string, string>(files.map((f) => [resolve(f), f]));
    // Flows that refer to a changed flow are recompiled with it, so cross-flow checks see the new version.
    const changedNames = new Set([...changed.keys()].map((k) => this.byFile.get(k)?.version.name).filter((n): n is string => !!n));
    const texts = new Map<string, string>();
    const deleted: string[] = [];
    for (const [key, display] of changed) {
      try {
        texts.set(key, await readFile(display, 'utf8'));
      } catch {
        deleted.push(key);
      }
    }
    const newNames = new Set<string>();
    const sources = [...texts].map(([key, text]) => ({ file: changed.get(key) ?? key, text }));
    const firstPass = sources.length > 0 ? await this.opts.compile(sources, { knownFlows: this.knownOutside(changed) }) : [];
    for (const r of firstPass) if (r.ir) newNames.add(r.ir.name);
    for (const [key, l] of this.byFile) {
      if (changed.has(key)) continue;
      if ([...l.refs].some((n) => changedNames.has(n) || newNames.has(n))) {
        changed.set(key, l.version.file);
        texts.set(key, await readFile(l.version.file, 'utf8').catch(() => ''));
      }
    }
    const all = [...texts].map(([key, text]) => ({ key, file: changed.get(key) ?? key, text }));
    const results =
      all.length === sources.length
        ? firstPass
        : await this.opts.compile(
            all.map(({ file, text }) => ({ file, text })),
            { knownFlows: this.knownOutside(changed) },
          );
    const byKey = new Map<string, CompileResult>();
    for (const r of results) byKey.set(resolve(r.file), r);
    return this.publish(byKey, deleted);
  }

  /** Names of the flows loaded from files outside `batch` (keyed by resolved path), plus external ones. */
  private knownOutside(batch: ReadonlyMap<string, string>): string[] {
    const names = new Set(this.opts.externalFlows?.() ?? []);
    for (const [key, l] of this.byFile) if (!batch.has(key)) names.add(l.version.name);
    return [...names];
  }

  private publish(results: Map<string, CompileResult>, deleted: string[]): ReloadReport {
    const report: ReloadReport = { published: [], removed: [], rejected: [] };
    const diags = new Map<string, Diagnostic[]>();
    const bad = new Set<string>();
    const claimed = new Map<string, string>();
    for (const [key, l] of this.byFile) if (!results.has(key) && !deleted.includes(key)) claimed.set(l.version.name, key);
    for (const [key, r] of results) {
      diags.set(key, [...r.diagnostics]);
      if (!r.ir || hasErrors(r.diagnostics)) {
        bad.add(key);
        continue;
      }
      const owner = claimed.get(r.ir.name);
      if (owner) {
        diags.get(key)?.push({ code: 'CF3900', severity: 'error', message: `flow name '${r.ir.name}' is already used by ${this.byFile.get(owner)?.version.file ?? owner}`, range: fileStart(r.file) });
        bad.add(key);
      } else claimed.set(r.ir.name, key);
    }
    // Group the batch's files by references between them; a group with a bad file publishes nothing.
    const nameOf = (key: string): string | undefined => results.get(key)?.ir?.name ?? this.byFile.get(key)?.version.name;
    const refsOf = (key: string): Set<string> => {
      const ir = results.get(key)?.ir;
      return ir ? flowReferences(ir) : (this.byFile.get(key)?.refs ?? new Set());
    };
    const keys = [...results.keys(), ...deleted];
    const related = (a: string, b: string): boolean => {
      const na = nameOf(a);
      const nb = nameOf(b);
      return (nb !== undefined && refsOf(a).has(nb)) || (na !== undefined && refsOf(b).has(na));
    };
    const tainted = new Set(bad);
    for (let grew = true; grew; ) {
      grew = false;
      for (const k of keys) {
        if (tainted.has(k) || deleted.includes(k)) continue;
        const culprit = [...tainted].find((b) => related(k, b));
        if (culprit) {
          tainted.add(k);
          grew = true;
          diags.get(k)?.push({
            code: 'CF3901',
            severity: 'error',
            message: `not published: it refers to or is referred to by ${results.get(culprit)?.file ?? culprit}, which changed in the same batch and has errors`,
            range: fileStart(results.get(k)?.file ?? k),
          });
        }
      }
    }
    let changedAny = false;
    for (const key of deleted) {
      const old = this.byFile.get(key);
      if (old) {
        this.byFile.delete(key);
        report.removed.push(old.version.name);
        changedAny = true;
      }
      if (this.problems.delete(key)) this.emit('diagnostics', { file: old?.version.file ?? key, diagnostics: [] });
    }
    for (const [key, r] of results) {
      const d = diags.get(key) ?? [];
      if (tainted.has(key) || !r.ir) {
        this.problems.set(key, d);
        report.rejected.push({ file: r.file, diagnostics: d });
      } else {
        this.problems.delete(key);
        const old = this.byFile.get(key);
        if (!old || old.version.hash !== r.ir.sourceHash || old.version.name !== r.ir.name) {
          const seq = ++this.seq;
          const version: FlowVersion = { name: r.ir.name, seq, hash: r.ir.sourceHash, label: `${seq}-${r.ir.sourceHash.slice(0, 7)}`, ir: r.ir, file: r.file, loadedAt: (this.opts.now ?? Date.now)(), diagnostics: d };
          this.byFile.set(key, { version, refs: flowReferences(r.ir) });
          report.published.push(r.ir.name);
          changedAny = true;
        }
      }
      this.emit('diagnostics', { file: r.file, diagnostics: d });
    }
    if (changedAny) {
      this.current = buildSnapshot(this.current.generation + 1, [...this.byFile.values()].map((l) => l.version));
      this.emit('updated', this.current);
    }
    return report;
  }
}

function buildSnapshot(generation: number, versions: FlowVersion[]): RegistrySnapshot {
  versions.sort((a, b) => a.name.localeCompare(b.name));
  const flows = new Map(versions.map((v) => [v.name, v]));
  const callRoutes: CallRoute[] = [];
  const httpRoutes: HttpRoute[] = [];
  for (const v of versions) {
    for (const e of v.ir.entries) {
      if (e.kind === 'call') callRoutes.push({ flow: v, entry: e });
      else if (e.kind === 'http') httpRoutes.push({ flow: v, entry: e });
    }
  }
  return { generation, flows, callRoutes, httpRoutes };
}

/** The start entry of a flow, if it has one. */
export function startEntryOf(ir: FlowIr): StartEntryIr | undefined {
  return ir.entries.find((e): e is StartEntryIr => e.kind === 'start');
}
