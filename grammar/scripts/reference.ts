/**
 * Keeps the generated parts of grammar/reference.md (the step catalog and the function library) in step with
 * src/catalog: each lives between `<!-- generated:NAME:begin -->` and `<!-- generated:NAME:end -->` markers and
 * is rewritten by this script; the prose around them is written by hand.
 * Run: `npx tsx grammar/scripts/reference.ts` (test/cli/grammar.test.ts fails when the file is stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS, STEPS, type ArgDecl, type ArgType, type StepDecl } from '../../src/catalog/index.js';

/** Where the reference is committed. */
export const REFERENCE_FILE = fileURLToPath(new URL('../reference.md', import.meta.url));

function typeText(t: ArgType): string {
  switch (t.kind) {
    case 'number':
      return t.integer ? 'integer' : 'number';
    case 'enum':
      return t.values.map((v) => `\`${v}\``).join(' \\| ');
    case 'array':
      return t.items ? `list of ${typeText(t.items)}` : 'list';
    case 'oneOf':
      return t.types.map(typeText).join(' or ');
    default:
      return t.kind;
  }
}

function defaultText(a: ArgDecl): string {
  if (a.default === undefined || a.default === null) return a.required ? '*required*' : '';
  if (a.type.kind === 'duration' && typeof a.default === 'number') {
    const ms = a.default;
    return ms % 3_600_000 === 0 && ms > 0
      ? `\`${ms / 3_600_000}h\``
      : ms % 60_000 === 0 && ms > 0
        ? `\`${ms / 60_000}m\``
        : ms % 1000 === 0 && ms > 0
          ? `\`${ms / 1000}s\``
          : `\`${ms}ms\``;
  }
  return `\`${String(a.default)}\``;
}

function usage(s: StepDecl): string {
  const pos = s.args.find((a) => a.positional);
  const parts = [s.name];
  if (pos) parts.push(`<${pos.name}>`);
  for (const a of s.args) {
    if (a === pos || !a.required) continue;
    parts.push(`${a.name} <${a.name}>`);
  }
  if (s.args.some((a) => a !== pos && !a.required)) parts.push('[arguments]');
  if (s.into) parts.push('[into <var>]');
  return parts.join(' ');
}

function stepSection(s: StepDecl): string {
  const out = [`### \`${s.name}\``, '', s.summary, '', '```', usage(s), '```', ''];
  const facts: string[] = [];
  if (s.needs.answered) facts.push('needs an answered call');
  else if (s.needs.call) facts.push('needs a call');
  if (s.needs.http) facts.push('only in sessions started by `on http`');
  if (s.answers) facts.push('answers the call');
  if (s.waits) facts.push('waits (a loop through it is not a busy loop)');
  if (s.terminal) facts.push('ends the state');
  if (s.into) facts.push(`\`into\` receives ${s.into}`);
  for (const g of s.oneOf ?? []) facts.push(`exactly one of ${g.map((n) => `\`${n}\``).join(', ')}`);
  if (s.continueOn.length > 0)
    facts.push(`unrouted ${s.continueOn.map((o) => `\`${o}\``).join(', ')} continue with the next statement`);
  if (facts.length > 0) out.push(`${facts.join('; ')}.`, '');
  if (s.args.length > 0) {
    out.push('| argument | type | default | |', '|---|---|---|---|');
    for (const a of s.args) {
      const how = [
        a.positional ? 'may be written without its name' : '',
        a.flag ? 'a flag: write it alone' : '',
        a.literal ? 'must be a literal' : '',
      ]
        .filter(Boolean)
        .join('; ');
      out.push(
        `| \`${a.name}\` | ${typeText(a.type)} | ${defaultText(a)} | ${a.doc}${how ? ` (${how})` : ''} |`,
      );
    }
    out.push('');
  }
  if (s.outcomes.length > 0) {
    out.push('| outcome | meaning |', '|---|---|');
    for (const o of s.outcomes)
      out.push(`| \`${o.name}\` | ${o.doc}${o.onlyWith ? ` (only with \`${o.onlyWith}\`)` : ''} |`);
    out.push('');
  } else out.push('No outcomes: nothing runs after it.', '');
  return out.join('\n');
}

/** The generated step catalog section. */
export function stepsMarkdown(): string {
  return Object.values(STEPS).map(stepSection).join('\n').trimEnd();
}

/** The generated function library table. */
export function functionsMarkdown(): string {
  const rows = Object.values(FUNCTIONS).map((f) => {
    const params = f.params.map((p, i) =>
      f.optional !== undefined && i >= f.params.length - f.optional ? `${p}?` : p,
    );
    if (f.variadic) params.push('...');
    return `| \`${f.name}(${params.join(', ')})\` | ${f.returns} | ${f.doc}${f.impure ? ' (not pure: the simulator fixes it)' : ''} |`;
  });
  return ['| function | returns | |', '|---|---|---|', ...rows].join('\n');
}

/** Replace the text between a pair of generated markers. */
export function fillSection(doc: string, name: string, body: string): string {
  const begin = `<!-- generated:${name}:begin -->`;
  const end = `<!-- generated:${name}:end -->`;
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`reference.md lacks the ${name} markers`);
  return `${doc.slice(0, a + begin.length)}\n${body}\n${doc.slice(b)}`;
}

/** The reference with every generated section brought up to date. */
export function updatedReference(doc: string): string {
  return fillSection(fillSection(doc, 'steps', stepsMarkdown()), 'functions', functionsMarkdown());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(REFERENCE_FILE, updatedReference(readFileSync(REFERENCE_FILE, 'utf8')));
  process.stdout.write(`updated ${REFERENCE_FILE}\n`);
}
