import { describe, expect, it } from 'vitest';
import { flowGraph, renderDot, renderMermaid } from '../../../src/callflow/graph.js';
import { BASE, check } from '../../helpers/project.js';

const TWO = BASE.replace('trunks:', '  night:\n    timezone: Asia/Sakhalin\n    hours: { mon-fri: "09:00-18:00" }\ntrunks:').replace(
  'outbound:',
  'announcements:\n  closed: { prompt: custom/closed, then: voicemail:1001 }\n' +
    'outbound:',
).replace('    open: [{ site: hq, to: ivr:main }]', '    open: [{ site: hq, to: ivr:main }, { site: night, to: queue:support }]\n    closed: announcement:closed') +
  'site_routers:\n  unused: { open: [{ site: night, to: hangup }] }\n';

describe('call-flow graph', () => {
  const model = check({ 'callplan.yaml': TWO }).model!;

  it('draws number → open now? → each site\'s target, the menu\'s digits, the closed branch and the queue', () => {
    const g = flowGraph(model);
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.label;
    const has = (from: string, to: string) => g.edges.some((e) => e.from === from && e.to === to);
    expect(has('did:+48221234567', 'hours:+48221234567')).toBe(true);
    expect(edge('hours:+48221234567', 'ivr:main')).toBe('hq open (Europe/Warsaw)');
    expect(edge('hours:+48221234567', 'queue:support')).toBe('night open (Asia/Sakhalin)');
    expect(edge('hours:+48221234567', 'announcement:closed')).toBe('all closed');
    expect(edge('ivr:main', 'queue:support')).toBe('1');
    expect(has('announcement:closed', 'voicemail:1001')).toBe(true);
    expect(g.nodes.find((n) => n.id === 'queue:support')!.label).toBe('queue support\n3 primary');
  });

  it('keeps only the numbers that can reach a site', () => {
    expect(flowGraph(model, 'night').nodes.some((n) => n.id === 'did:+48221234567')).toBe(true);
    const other = check({ 'callplan.yaml': TWO.replace(', { site: night, to: queue:support }', '') }).model!;
    expect(flowGraph(other, 'night').nodes).toEqual([]);
  });

  it('renders Mermaid and DOT with safe identifiers and escaped labels', () => {
    const g = flowGraph(model);
    const mermaid = renderMermaid(g);
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('n_did__48221234567 --> n_hours__48221234567');
    expect(mermaid).toContain('n_ivr_main -->|"1"| n_queue_support');
    const dot = renderDot(g);
    expect(dot).toContain('"ivr:main" -> "queue:support" [label="1"];');
    expect(dot).toContain('"queue:support" [label="queue support\\n3 primary", shape=folder];');
  });
});
