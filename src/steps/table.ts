/**
 * Data tables shipped beside a flow (CSV with a header row, or a JSON array of objects) for `lookup table`.
 * Tables are cached per file and re-read when the file's modification time changes (hot reload).
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { textOf } from './support.js';

/** One row: column name → value (CSV values are strings). */
export type Row = Record<string, unknown>;

const cache = new Map<string, { mtimeMs: number; rows: Row[] }>();

/** Split one CSV line (RFC 4180 quoting: "a ""quoted"" value"). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Parse CSV text with a header row. */
export function parseCsv(text: string): Row[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const [head, ...rest] = lines;
  if (head === undefined) return [];
  const cols = splitCsvLine(head);
  return rest.map((line) => {
    const cells = splitCsvLine(line);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Load a table (cached); paths are relative to the flow's directory. */
export async function loadTable(flowDir: string, file: string): Promise<Row[]> {
  const path = isAbsolute(file) ? file : resolve(flowDir, file);
  const { mtimeMs } = await stat(path);
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.rows;
  const text = await readFile(path, 'utf8');
  let rows: Row[];
  if (/\.json$/i.test(path)) {
    const data = JSON.parse(text) as unknown;
    if (!Array.isArray(data)) throw new Error(`${file}: a JSON table must be an array of objects`);
    rows = data.filter((r): r is Row => typeof r === 'object' && r !== null && !Array.isArray(r));
  } else rows = parseCsv(text);
  cache.set(path, { mtimeMs, rows });
  return rows;
}

/** The first row whose columns equal every `where` value (compared as text, so "0042" ≠ 42 but "42" = 42). */
export function findRow(rows: readonly Row[], where: Record<string, unknown>): Row | undefined {
  const conds = Object.entries(where);
  return rows.find((row) => conds.every(([k, v]) => row[k] !== undefined && textOf(row[k]) === String(v)));
}
