import { describe, expect, it } from 'vitest';
import type { FlowIr, StateIr, TransitionIr } from '../../compiler/ir.js';
import type { SourceRange } from '../../language/diagnostics.js';
import { buildFlowGraph, layoutGraph, renderDot, renderGraph, renderMermaid, renderSvg } from './index.js';
import { xmlEscape } from './svg.js';
import { checkXml } from './xml-check.js';

const range: SourceRange = {
  file: 'x.flow',
  start: { line: 0, character: 0 },
  end: { line: 0, character: 1 },
};
const go = (state: string): TransitionIr => ({ kind: 'goto', state, range });
const str = (s: string) => ({ kind: 'string' as const, parts: [s], range });

function state(name: string, body: StateIr['body']): StateIr {
  return { name, body, range };
}

/** A small IVR: welcome → menu ⇄ (retry loop) → sales / goodbye → end. */
const ir: FlowIr = {
  irVersion: 1,
  name: 'ivr <demo> & "quotes"',
  file: 'x.flow',
  sourceHash: 'h',
  configs: [],
  entries: [
    { kind: 'call', id: 'e0', matchers: [{ field: 'to', pattern: '+15550100' }], to: go('welcome'), range },
  ],
  states: {
    welcome: state('welcome', [
      {
        op: 'step',
        id: 'welcome/0',
        step: 'answer',
        args: {},
        outcomes: { ok: { kind: 'continue' } },
        range,
      },
      { op: 'goto', id: 'welcome/1', to: go('menu'), range },
    ]),
    menu: state('menu', [
      {
        op: 'step',
        id: 'menu/0',
        step: 'prompt',
        args: { say: str('Press 1 for <sales>') },
        into: 'choice',
        outcomes: {
          done: { kind: 'continue' },
          digit: { kind: 'continue' },
          timeout: { kind: 'bounded', counter: 'c0', max: 3, then: go('menu'), else: go('goodbye'), range },
        },
        range,
      },
      {
        op: 'switch',
        id: 'menu/1',
        subject: { kind: 'var', name: 'choice', range },
        cases: [{ values: [str('1')], to: go('sales') }],
        default: go('menu'),
        range,
      },
    ]),
    sales: state('sales', [
      {
        op: 'step',
        id: 'sales/0',
        step: 'transfer',
        args: { to: str('sip:sales@example.com') },
        outcomes: { transferred: { kind: 'end' }, failed: go('goodbye') },
        range,
      },
    ]),
    goodbye: state('goodbye', [
      { op: 'step', id: 'goodbye/0', step: 'hangup', args: {}, outcomes: {}, range },
    ]),
  },
};

describe('flow graph model', () => {
  it('has entries, states, end and labelled outcome arrows', () => {
    const g = buildFlowGraph(ir);
    expect(g.nodes.map((n) => n.id)).toEqual([
      'entry:0',
      'state:welcome',
      'state:menu',
      'state:sales',
      'state:goodbye',
      '__end',
    ]);
    expect(g.nodes.find((n) => n.id === 'state:menu')!.lines).toEqual([
      'prompt say "Press 1 for <sales>" → choice',
      'switch choice',
    ]);
    expect(g.nodes.find((n) => n.id === 'state:sales')!.lines).toEqual(['transfer "sip:sales@example.com"']);
    expect(g.edges).toContainEqual({
      from: 'state:menu',
      to: 'state:menu',
      label: 'prompt: timeout (max 3)',
      style: 'bounded',
    });
    expect(g.edges).toContainEqual({
      from: 'state:menu',
      to: 'state:goodbye',
      label: 'prompt: timeout (after 3)',
      style: 'fallback',
    });
    expect(g.edges).toContainEqual({
      from: 'state:menu',
      to: 'state:sales',
      label: 'case "1"',
      style: 'normal',
    });
    expect(g.edges).toContainEqual({
      from: 'state:sales',
      to: '__end',
      label: 'transfer: transferred',
      style: 'normal',
    });
    expect(g.edges).toContainEqual({ from: 'entry:0', to: 'state:welcome', label: '', style: 'normal' });
    // hangup has no outcomes but ends the session: drawn as an arrow to `end`.
    expect(g.edges).toContainEqual({ from: 'state:goodbye', to: '__end', label: 'hangup', style: 'normal' });
    expect(g.nodes.find((n) => n.id === 'state:welcome')!.lines).toEqual(['answer', '-> menu']);
  });
});

describe('renderers', () => {
  it('mermaid escapes quotes and angle brackets and draws every edge', () => {
    const m = renderMermaid(buildFlowGraph(ir));
    expect(m.startsWith('flowchart TD\n')).toBe(true);
    expect(m).toContain('#lt;sales#gt;');
    expect(m).not.toContain('<sales>');
    expect(m).toContain('n2 -.->|"prompt: timeout (after 3)"| n4');
    expect(m.match(/-->|-\.->/g)!.length).toBe(buildFlowGraph(ir).edges.length);
  });

  it('dot is a digraph with escaped labels', () => {
    const d = renderDot(buildFlowGraph(ir));
    expect(d).toMatch(/^digraph "ivr <demo> & \\"quotes\\"" \{/);
    expect(d).toContain('"state:menu" -> "state:goodbye" [label="prompt: timeout (after 3)", style=dashed];');
    expect(d).toContain('shape=doublecircle');
  });

  it('svg is well-formed XML with one group per node and edge', () => {
    const svg = renderSvg(buildFlowGraph(ir));
    expect(checkXml(svg)).toEqual([]);
    expect(svg.match(/<g class="(state|entry|end)">/g)!.length).toBe(6);
    expect(svg.match(/<g class="edge/g)!.length).toBe(buildFlowGraph(ir).edges.length);
    expect(svg).toContain('ivr &lt;demo&gt; &amp; &quot;quotes&quot;');
    expect(renderGraph(ir, 'svg')).toBe(svg);
    expect(xmlEscape('a\u0001<b>')).toBe('a\ufffd&lt;b&gt;');
  });
});

describe('layered layout', () => {
  it('puts every edge of an acyclic graph downward and keeps boxes apart', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, w: 80, h: 30 }));
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'a', to: 'c' },
      { from: 'b', to: 'd' },
      { from: 'c', to: 'd' },
      { from: 'a', to: 'e' },
      { from: 'd', to: 'a' },
    ];
    const l = layoutGraph(nodes, edges);
    const at = new Map(l.nodes.map((n) => [n.id, n]));
    expect(at.get('a')!.layer).toBe(0);
    expect(at.get('d')!.layer).toBe(2);
    for (const e of edges.slice(0, 5)) expect(at.get(e.to)!.y).toBeGreaterThan(at.get(e.from)!.y);
    for (const a of l.nodes) {
      for (const b of l.nodes) {
        if (a === b || a.layer !== b.layer) continue;
        expect(a.x + a.w <= b.x || b.x + b.w <= a.x).toBe(true);
      }
    }
    // The back edge d → a is routed upward, ending at a's bottom edge.
    const back = l.edges[5]!;
    expect(back.points[back.points.length - 1]!.y).toBe(at.get('a')!.y + 30);
    expect(l.width).toBeGreaterThan(0);
  });

  it('orders a layer to remove avoidable crossings', () => {
    const nodes = ['r1', 'r2', 'x', 'y'].map((id) => ({ id, w: 40, h: 20 }));
    const l = layoutGraph(nodes, [
      { from: 'r1', to: 'y' },
      { from: 'r2', to: 'x' },
    ]);
    const at = new Map(l.nodes.map((n) => [n.id, n]));
    expect(Math.sign(at.get('r1')!.x - at.get('r2')!.x)).toBe(Math.sign(at.get('y')!.x - at.get('x')!.x));
  });

  it('draws edges past the dummy budget straight, so big flows stay fast', () => {
    const n = 200;
    const nodes = Array.from({ length: n + 1 }, (_, i) => ({ id: `s${i}`, w: 60, h: 20 }));
    const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` }));
    for (let i = 0; i < n - 1; i++) edges.push({ from: `s${i}`, to: `s${n}` });
    const l = layoutGraph(nodes, edges);
    const spans = l.edges.slice(n - 1).map((e) => e.points.length);
    expect(Math.max(...spans)).toBeGreaterThan(2);
    expect(Math.min(...spans)).toBe(2);
    expect(l.nodes.find((x) => x.id === `s${n}`)!.layer).toBe(n - 1);
  });
});
