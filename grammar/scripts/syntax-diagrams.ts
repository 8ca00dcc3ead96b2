/**
 * Generates grammar/syntax-diagrams.html: railroad diagrams of every rule of the `.flow` grammar, drawn by
 * Chevrotain from the parser's own productions, so the pictures cannot drift from the parser.
 * Run: `npx tsx grammar/scripts/syntax-diagrams.ts` (test/cli/grammar.test.ts fails when the file is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { FlowParser } from '../../src/language/parser.js';

/** Where the generated page is committed. */
export const SYNTAX_DIAGRAMS_FILE = fileURLToPath(new URL('../syntax-diagrams.html', import.meta.url));

/** The page's HTML for the current grammar. */
export function syntaxDiagramsHtml(): string {
  const productions = new FlowParser().getSerializedGastProductions();
  const page = createSyntaxDiagramsCode(productions);
  const title =
    '<title>callflow .flow grammar: syntax diagrams</title>\n<!-- Regenerate: npx tsx grammar/scripts/syntax-diagrams.ts -->\n';
  return page.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n${title}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SYNTAX_DIAGRAMS_FILE, syntaxDiagramsHtml());
  process.stdout.write(`wrote ${SYNTAX_DIAGRAMS_FILE}\n`);
}
