/**
 * grammar/ stays in sync with the parser and the catalog: the reference mentions every keyword and step and its
 * generated sections are current, the syntax diagrams are regenerated from the parser, and the TextMate grammar
 * is valid JSON whose keyword patterns cover every keyword the lexer knows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ROOTS, FUNCTIONS, STEPS } from '../../src/catalog/index.js';
import { HARD_KEYWORDS, SOFT_KEYWORDS } from '../../src/language/tokens.js';
import { REFERENCE_FILE, updatedReference } from '../../grammar/scripts/reference.js';
import { SYNTAX_DIAGRAMS_FILE, syntaxDiagramsHtml } from '../../grammar/scripts/syntax-diagrams.js';
import { TEXTMATE_FILE, keywordWord, textmateJson } from '../../grammar/scripts/textmate.js';

const KEYWORDS = [...HARD_KEYWORDS, ...SOFT_KEYWORDS].map((t) => keywordWord(t.PATTERN));

describe('grammar/reference.md', () => {
  const doc = readFileSync(REFERENCE_FILE, 'utf8');

  it('has current generated sections (run npx tsx grammar/scripts/reference.ts)', () => {
    expect(updatedReference(doc)).toBe(doc);
  });

  it('mentions every keyword token of the lexer', () => {
    expect(KEYWORDS.length).toBeGreaterThan(15);
    const missing = KEYWORDS.filter((k) => !doc.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });

  it('documents every step with its arguments and outcomes', () => {
    for (const step of Object.values(STEPS)) {
      const start = doc.indexOf(`### \`${step.name}\``);
      expect(start, step.name).toBeGreaterThan(0);
      const next = doc.indexOf('\n### ', start + 4);
      const section = doc.slice(start, next < 0 ? undefined : next);
      for (const a of step.args) expect(section, `${step.name} ${a.name}`).toContain(`| \`${a.name}\` |`);
      for (const o of step.outcomes) expect(section, `${step.name} ${o.name}`).toContain(`| \`${o.name}\` |`);
    }
  });

  it('documents every library function and variable root', () => {
    for (const f of Object.keys(FUNCTIONS)) expect(doc).toContain(`| \`${f}(`);
    for (const r of BUILTIN_ROOTS) expect(doc).toContain(`\`${r}\``);
  });
});

describe('grammar/syntax-diagrams.html', () => {
  it('is generated from the current parser (run npx tsx grammar/scripts/syntax-diagrams.ts)', () => {
    const committed = readFileSync(SYNTAX_DIAGRAMS_FILE, 'utf8');
    expect(committed).toBe(syntaxDiagramsHtml());
    for (const rule of ['flowFile', 'stateDecl', 'stepStatement', 'transition', 'expression']) {
      expect(committed).toContain(`"name": "${rule}"`);
    }
  });
});

describe('grammar/callflow.tmLanguage.json', () => {
  const text = readFileSync(TEXTMATE_FILE, 'utf8');

  it('is valid JSON, current, and every pattern compiles', () => {
    const g = JSON.parse(text) as { scopeName: string; fileTypes: string[] };
    expect(g.scopeName).toBe('source.callflow');
    expect(g.fileTypes).toEqual(['flow']);
    expect(text).toBe(textmateJson());
    const regexes = [...text.matchAll(/"(?:match|begin|end)": ("(?:[^"\\]|\\.)*")/g)].map(
      (m) => JSON.parse(m[1]!) as string,
    );
    expect(regexes.length).toBeGreaterThan(10);
    for (const r of regexes) expect(() => new RegExp(r)).not.toThrow();
  });

  it('highlights every lexer keyword as a keyword, type or constant, and not inside longer names', () => {
    const patterns = [
      ...text.matchAll(
        /"name": "((?:keyword\.control|storage\.type|constant\.language)[^"]*)",\s*"match": ("(?:[^"\\]|\\.)*")/g,
      ),
    ].map((m) => new RegExp(JSON.parse(m[2]!) as string));
    const uncovered = KEYWORDS.filter((k) => !patterns.some((p) => p.test(` ${k} `)));
    expect(uncovered).toEqual([]);
    expect(patterns.some((p) => p.test('set-up'))).toBe(false);
  });

  it('highlights every step name at the start of a statement', () => {
    const grammar = JSON.parse(text) as { repository: { step: { match: string } } };
    const step = new RegExp(grammar.repository.step.match);
    for (const name of Object.keys(STEPS)) expect(step.exec(`  ${name} x`)?.[1]).toBe(name);
  });
});
