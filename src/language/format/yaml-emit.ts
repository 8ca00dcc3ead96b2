/**
 * A small YAML emitter with full control over scalar styles, which the YAML reading of flows depends on
 * (an unquoted `10s` is a duration, a quoted one text; see src/language/yaml/yaml-values.ts). Block style
 * throughout; short maps and lists of scalars go inline (`{say: Hello, barge-in: true}`).
 */

/** A node to emit. Scalars carry their rendered text: `flow` is the form used inside `{...}` / `[...]`. */
export type YOut =
  | { t: 'scalar'; text: string; flow: string | undefined }
  | { t: 'literal'; value: string }
  | { t: 'map'; entries: Array<[string, YOut]>; inline?: boolean }
  | { t: 'seq'; items: YOut[]; inline?: boolean };

const NULL = /^(?:~|null|Null|NULL)?$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const ODD_SPACES = /[\u007f-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Control characters and unusual spaces, which must not appear in plain or literal-block scalars. */
function hasOddChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return ODD_SPACES.test(s);
}
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);
const FLOW_INDICATORS = /[,[\]{}]/;

/** Whether YAML's core schema reads the plain text as a string (not null, a boolean or a number). */
export function resolvesToString(s: string): boolean {
  return !(NULL.test(s) || BOOL.test(s) || INT.test(s) || FLOAT.test(s));
}

/** Whether `s` can be written as a plain scalar and read back as exactly `s` (block context, or inside `{}`/`[]`). */
export function plainSafe(s: string, flow: boolean): boolean {
  if (s === '' || s.trim() !== s || hasOddChars(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (flow && (FLOW_INDICATORS.test(s) || s.includes(':'))) return false;
  const first = s[0]!;
  if (INDICATORS.has(first)) {
    const next = s[1];
    const lead = first === '-' || first === '?' || first === ':';
    if (!lead || next === undefined || next === ' ' || (flow && FLOW_INDICATORS.test(next))) return false;
  }
  return true;
}

/** A YAML double-quoted string (JSON's escapes are a subset of YAML's; a few more characters are escaped). */
export function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A scalar whose text must be read back unquoted (numbers, durations, expressions); undefined when impossible. */
export function plainScalar(text: string): YOut | undefined {
  if (!plainSafe(text, false)) return undefined;
  return { t: 'scalar', text, flow: plainSafe(text, true) ? text : undefined };
}

/** Text: plain when YAML reads it back as the same string and `mayBePlain` agrees, else double-quoted. */
export function textScalar(s: string, mayBePlain = true): YOut {
  if (s.includes('\n') && literalOk(s)) return { t: 'literal', value: s };
  const quoted = doubleQuoted(s);
  if (mayBePlain && resolvesToString(s) && plainSafe(s, false))
    return { t: 'scalar', text: s, flow: plainSafe(s, true) ? s : quoted };
  return { t: 'scalar', text: quoted, flow: quoted };
}

/** A map key (always text). */
function keyText(k: string, flow: boolean): string {
  return resolvesToString(k) && plainSafe(k, flow) && !k.startsWith('-') && !k.startsWith('?')
    ? k
    : doubleQuoted(k);
}

function literalOk(s: string): boolean {
  if (hasOddChars(s.replace(/\n/g, ''))) return false;
  if (s.startsWith(' ') || s.startsWith('\n') || s.endsWith('\n')) return false;
  return s.split('\n').every((l) => l === l.trimEnd());
}

function inline(n: YOut): string | undefined {
  switch (n.t) {
    case 'scalar':
      return n.flow;
    case 'literal':
      return undefined;
    case 'map': {
      const parts: string[] = [];
      for (const [k, v] of n.entries) {
        if (v.t === 'map' || v.t === 'seq') {
          if ((v.t === 'map' ? v.entries.length : v.items.length) > 0) return undefined;
        }
        const s = inline(v);
        if (s === undefined) return undefined;
        parts.push(`${keyText(k, true)}: ${s}`);
      }
      return `{${parts.join(', ')}}`;
    }
    case 'seq': {
      const parts: string[] = [];
      for (const v of n.items) {
        const s = inline(v);
        if (s === undefined || v.t === 'map' || v.t === 'seq') return undefined;
        parts.push(s);
      }
      return `[${parts.join(', ')}]`;
    }
  }
}

const MAX_INLINE = 76;

/** The one-line form of a node after `key: ` or `- `, if it has one. */
function oneLine(n: YOut, used: number): string | undefined {
  if (n.t === 'scalar') return n.text;
  if (n.t === 'map' && n.entries.length === 0) return '{}';
  if (n.t === 'seq' && n.items.length === 0) return '[]';
  if ((n.t === 'map' || n.t === 'seq') && n.inline) {
    const s = inline(n);
    if (s !== undefined && used + s.length <= MAX_INLINE) return s;
  }
  return undefined;
}

function literalLines(value: string, indent: string): string[] {
  return value.split('\n').map((l) => (l === '' ? '' : `${indent}${l}`));
}

function emit(n: YOut, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (n.t === 'map') {
    for (const [k, v] of n.entries) {
      const head = `${pad}${keyText(k, false)}:`;
      const one = oneLine(v, head.length + 1);
      if (one !== undefined) out.push(one === '' ? head : `${head} ${one}`);
      else if (v.t === 'literal') out.push(`${head} |-`, ...literalLines(v.value, `${pad}  `));
      else {
        out.push(head);
        emit(v, indent + 2, out);
      }
    }
    return;
  }
  if (n.t === 'seq') {
    for (const v of n.items) {
      const one = oneLine(v, indent + 2);
      if (one !== undefined) out.push(`${pad}- ${one}`);
      else if (v.t === 'literal') out.push(`${pad}- |-`, ...literalLines(v.value, `${pad}  `));
      else if (v.t === 'map') {
        const inner: string[] = [];
        emit(v, indent + 2, inner);
        inner[0] = `${pad}- ${inner[0]!.slice(indent + 2)}`;
        out.push(...inner);
      } else {
        out.push(`${pad}-`);
        emit(v, indent + 2, out);
      }
    }
    return;
  }
  if (n.t === 'scalar') out.push(`${pad}${n.text}`);
  else out.push(`${pad}|-`, ...literalLines(n.value, `${pad}  `));
}

/** Emit a document whose root is a map. */
export function emitYaml(root: YOut): string {
  const out: string[] = [];
  emit(root, 0, out);
  return `${out.join('\n')}\n`;
}
