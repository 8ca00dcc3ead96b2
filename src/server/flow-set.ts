/**
 * The flows a server serves: one FlowRegistry per configured directory (the user's ./flows and the bundled
 * flows), seen by the runtime as one FlowSource. A name defined in several directories is served from the
 * first directory that defines it (the user's flows shadow the bundled ones); the shadowed file is reported.
 * Call routes of the bundled directories rank below every user route, so a user's catch-all still wins a call
 * a bundled flow also matches.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../language/diagnostics.js';
import { listFlowFiles } from '../runtime/flow-files.js';
import {
  FlowRegistry,
  type FlowCompiler,
  type FlowVersion,
  type HttpRoute,
  type RegistrySnapshot,
  type ReloadReport,
} from '../runtime/registry.js';
import type { RankedCallRoute } from '../runtime/call-routing.js';
import type { FlowSource } from '../runtime/runtime.js';

/** Options of a flow set. */
export interface FlowSetOptions {
  dirs: string[];
  /** Directories of `dirs` holding bundled flows: their call routes lose to any user route that matches. */
  bundledDirs?: string[];
  compile: FlowCompiler;
  debounceMs?: number;
}

/** A problem file: its latest text was not published (the previous version, if any, keeps serving). */
export interface FlowProblem {
  file: string;
  diagnostics: Diagnostic[];
}

/** Several flow directories served as one; emits 'updated' (RegistrySnapshot) and 'diagnostics' ({file, diagnostics}). */
export class FlowSet extends EventEmitter implements FlowSource {
  readonly dirs: string[];
  private readonly bundled: Set<string>;
  private readonly registries: FlowRegistry[];
  private merged: RegistrySnapshot = { generation: 0, flows: new Map(), callRoutes: [], httpRoutes: [] };
  private shadowed: FlowProblem[] = [];

  constructor(opts: FlowSetOptions) {
    super();
    this.dirs = [...new Set(opts.dirs.map((d) => resolve(d)))];
    this.bundled = new Set((opts.bundledDirs ?? []).map((d) => resolve(d)));
    this.registries = this.dirs.map(
      (dir, i) =>
        new FlowRegistry({
          dir,
          compile: opts.compile,
          externalFlows: () => this.registries.filter((_, j) => j !== i).flatMap((r) => r.list().map((v) => v.name)),
          ...(opts.debounceMs === undefined ? {} : { debounceMs: opts.debounceMs }),
        }),
    );
    for (const r of this.registries) {
      r.on('updated', () => this.remerge());
      r.on('diagnostics', (d: FlowProblem) => this.emit('diagnostics', d));
      r.on('error', (err: unknown) => this.emit('error', err));
    }
  }

  /** Directories that exist (a missing one is not an error: it may be created later). */
  existingDirs(): string[] {
    return this.dirs.filter((d) => existsSync(d));
  }

  /** Load every directory. */
  async load(): Promise<ReloadReport> {
    // Last directory first (the bundled flows), so a user's flow that originates a bundled one compiles
    // against a registry that already knows it.
    const reports: ReloadReport[] = [];
    for (const r of [...this.registries].reverse()) reports.unshift(await r.load());
    this.remerge();
    return mergeReports(reports);
  }

  /** Re-read every file on disk now (including files deleted since the last load). */
  async reloadAll(): Promise<ReloadReport> {
    const reports = await Promise.all(
      this.registries.map(async (r, i) => {
        const files = new Set(await listFlowFiles(this.dirs[i] ?? '.'));
        for (const v of r.list()) files.add(v.file);
        for (const f of r.diagnostics().keys()) files.add(f);
        return r.reload([...files]);
      }),
    );
    this.remerge();
    return mergeReports(reports);
  }

  /** Watch every existing directory for changes. */
  async watch(): Promise<void> {
    await Promise.all(this.registries.filter((_, i) => existsSync(this.dirs[i] ?? '')).map((r) => r.watch()));
  }

  /** Stop watching. */
  async close(): Promise<void> {
    await Promise.all(this.registries.map((r) => r.close()));
  }

  /** The flow served under `name`. */
  get(name: string): FlowVersion | undefined {
    return this.merged.flows.get(name);
  }

  /** Every served flow, by name. */
  list(): FlowVersion[] {
    return [...this.merged.flows.values()];
  }

  /** The merged snapshot the runtime routes calls with. */
  snapshot(): RegistrySnapshot {
    return this.merged;
  }

  /** Files whose latest text is not served, and shadowed duplicates. */
  problems(): FlowProblem[] {
    const out: FlowProblem[] = [];
    for (const r of this.registries)
      for (const [file, diagnostics] of r.diagnostics()) out.push({ file, diagnostics });
    return [...out, ...this.shadowed];
  }

  private remerge(): void {
    const flows = new Map<string, FlowVersion>();
    const shadowed: FlowProblem[] = [];
    let generation = 0;
    for (const r of this.registries) {
      const snap = r.snapshot();
      generation += snap.generation;
      for (const v of snap.flows.values()) {
        const first = flows.get(v.name);
        if (!first) flows.set(v.name, v);
        else shadowed.push({ file: v.file, diagnostics: [shadowDiagnostic(v, first)] });
      }
    }
    if (generation === this.merged.generation) return;
    const served = new Set(flows.values());
    const callRoutes: RankedCallRoute[] = [];
    const httpRoutes: HttpRoute[] = [];
    for (const [i, r] of this.registries.entries()) {
      const snap = r.snapshot();
      const tier = this.bundled.has(this.dirs[i] ?? '') ? 1 : 0;
      callRoutes.push(...snap.callRoutes.filter((c) => served.has(c.flow)).map((c) => ({ ...c, tier })));
      httpRoutes.push(...snap.httpRoutes.filter((h) => served.has(h.flow)));
    }
    this.shadowed = shadowed;
    this.merged = { generation, flows, callRoutes, httpRoutes };
    this.emit('updated', this.merged);
  }
}

function shadowDiagnostic(v: FlowVersion, first: FlowVersion): Diagnostic {
  return {
    code: 'CF3902',
    severity: 'warning',
    message: `flow '${v.name}' is not served from here: ${first.file} defines the same name and comes first`,
    range: { file: v.file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

function mergeReports(reports: ReloadReport[]): ReloadReport {
  return {
    published: reports.flatMap((r) => r.published),
    removed: reports.flatMap((r) => r.removed),
    rejected: reports.flatMap((r) => r.rejected),
  };
}
