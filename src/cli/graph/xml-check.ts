/**
 * A strict XML well-formedness check (tags balance, attributes quoted and unique, only the predefined or numeric
 * entities, one root element). Enough to prove the SVG renderer's output parses, without an XML dependency.
 */

const NAME = '[A-Za-z_:][A-Za-z0-9_.:-]*';
const ATTR = new RegExp(`\\s+(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'y');
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/;

/** The problems found; empty when the document is well-formed. */
export function checkXml(doc: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const text = (s: string, at: number): void => {
    if (ENTITY.test(s)) problems.push(`bad '&' at ${at}`);
    if (stack.length === 0 && s.trim() !== '') problems.push(`text outside the root at ${at}`);
  };
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    if (lt < 0) {
      text(doc.slice(i), i);
      break;
    }
    text(doc.slice(i, lt), i);
    if (doc.startsWith('<?', lt)) {
      const end = doc.indexOf('?>', lt);
      if (end < 0 || (lt !== 0 && doc.startsWith('<?xml', lt)))
        return [...problems, `bad processing instruction at ${lt}`];
      i = end + 2;
      continue;
    }
    if (doc.startsWith('<!--', lt)) {
      const end = doc.indexOf('-->', lt);
      if (end < 0) return [...problems, `unclosed comment at ${lt}`];
      i = end + 3;
      continue;
    }
    const close = new RegExp(`</(${NAME})\\s*>`, 'y');
    close.lastIndex = lt;
    const c = close.exec(doc);
    if (c) {
      const open = stack.pop();
      if (open !== c[1]) problems.push(`</${c[1]}> at ${lt} closes <${open ?? 'nothing'}>`);
      i = close.lastIndex;
      continue;
    }
    const start = new RegExp(`<(${NAME})`, 'y');
    start.lastIndex = lt;
    const s = start.exec(doc);
    if (!s) return [...problems, `bad tag at ${lt}`];
    let j = start.lastIndex;
    const seen = new Set<string>();
    for (;;) {
      ATTR.lastIndex = j;
      const a = ATTR.exec(doc);
      if (!a) break;
      if (seen.has(a[1]!)) problems.push(`duplicate attribute ${a[1]} at ${j}`);
      seen.add(a[1]!);
      if (ENTITY.test(a[2]!)) problems.push(`bad '&' in attribute at ${j}`);
      j = ATTR.lastIndex;
    }
    const tail = /\s*(\/?)>/y;
    tail.lastIndex = j;
    const t = tail.exec(doc);
    if (!t) return [...problems, `unterminated tag <${s[1]}> at ${lt}`];
    if (stack.length === 0) roots++;
    if (t[1] !== '/') stack.push(s[1]!);
    i = tail.lastIndex;
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return problems;
}
