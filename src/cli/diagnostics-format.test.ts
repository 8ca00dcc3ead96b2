import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../language/diagnostics.js';
import {
  codeFrame,
  formatDiagnostic,
  formatJsonReport,
  formatSummary,
  countDiagnostics,
} from './diagnostics-format.js';
import { isFlowFile } from './flow-files.js';

function diag(sl: number, sc: number, el: number, ec: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: 'CF3002',
    severity: 'error',
    message: "unknown state 'goodby'",
    range: { file: 'flows/x.flow', start: { line: sl, character: sc }, end: { line: el, character: ec } },
    ...extra,
  };
}

const LINES = ['flow x', '\tgoto goodby', '  -> a'];

describe('diagnostic text', () => {
  it('prints 1-based positions, the line and carets under the range (tabs kept)', () => {
    const text = formatDiagnostic(diag(1, 6, 1, 12, { hint: 'check the name' }), LINES);
    expect(text).toBe(
      [
        "flows/x.flow:2:7: error CF3002: unknown state 'goodby'",
        ' 2 | \tgoto goodby',
        ' ' + '  | \t     ^^^^^^',
        '  hint: check the name',
      ].join('\n'),
    );
  });

  it('underlines to the end of the line for multi-line ranges and uses one caret for empty ones', () => {
    expect(codeFrame(diag(0, 5, 2, 0), LINES).split('\n')[1]).toBe('   |      ^');
    expect(codeFrame(diag(0, 0, 2, 0), LINES).split('\n')[1]).toBe('   | ^^^^^^');
    expect(codeFrame(diag(2, 6, 2, 6), LINES).split('\n')[1]).toBe('   |       ^');
    expect(codeFrame(diag(9, 0, 9, 1), LINES)).toBe('');
  });

  it('colours only when asked', () => {
    expect(formatDiagnostic(diag(1, 6, 1, 12), LINES, { color: true })).toContain('\u001b[31m');
    expect(formatDiagnostic(diag(1, 6, 1, 12), LINES)).not.toContain('\u001b');
  });

  it('summarises and prints JSON with 1-based positions', () => {
    const ds = [diag(1, 6, 1, 12), diag(2, 2, 2, 4, { severity: 'warning', code: 'CF4001' })];
    expect(formatSummary(countDiagnostics(ds), 1)).toBe('1 error, 1 warning in 1 file');
    expect(formatSummary(countDiagnostics([]), 3)).toBe('ok: 3 files checked');
    const doc = JSON.parse(formatJsonReport(['flows/x.flow'], ds)) as {
      errors: number;
      warnings: number;
      diagnostics: Array<Record<string, unknown>>;
    };
    expect(doc.errors).toBe(1);
    expect(doc.warnings).toBe(1);
    expect(doc.diagnostics[0]).toMatchObject({
      file: 'flows/x.flow',
      line: 2,
      column: 7,
      endLine: 2,
      endColumn: 13,
      code: 'CF3002',
    });
  });
});

describe('flow file names', () => {
  it('takes .flow, .yaml and .yml but not flow tests', () => {
    expect(['a.flow', 'a.yaml', 'a.YML', 'a.test.yaml', 'a.test.yml', 'a.json'].filter(isFlowFile)).toEqual([
      'a.flow',
      'a.yaml',
      'a.YML',
    ]);
  });
});
