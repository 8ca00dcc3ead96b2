/**
 * Finding and reading flow files for the CLI: files named on the command line are taken as they are, folders are
 * searched recursively for `.flow`, `.yaml` and `.yml`, leaving out flow tests (`*.test.yaml`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const FLOW_EXT = /\.(flow|ya?ml)$/i;
const TEST_FILE = /\.test\.ya?ml$/i;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage']);

/** Whether a file name is a flow (and not a flow test). */
export function isFlowFile(name: string): boolean {
  return FLOW_EXT.test(name) && !TEST_FILE.test(name);
}

/** The result of expanding command-line paths. */
export interface FoundFiles {
  /** Display paths (relative to cwd when inside it), sorted, without duplicates. */
  files: string[];
  /** Paths that do not exist. */
  missing: string[];
}

function display(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(full, out);
    } else if (e.isFile() && isFlowFile(e.name)) out.push(full);
  }
}

/** Expand files and folders into the flow files they name. A file named explicitly is kept whatever its name. */
export async function findFlowFiles(paths: readonly string[], cwd: string): Promise<FoundFiles> {
  const found: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) missing.push(p);
    else if (info.isDirectory()) await walk(abs, found);
    else found.push(abs);
  }
  const files = [...new Set(found.map((f) => display(cwd, f)))].sort();
  return { files, missing };
}

/** Read a file given by display path; `undefined` with a message when it cannot be read. */
export async function readSource(file: string, cwd: string): Promise<{ text?: string; error?: string }> {
  try {
    return { text: await readFile(path.resolve(cwd, file), 'utf8') };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
