import type { Model, OpenSites, Target } from '../model/types.js';

/** The inbound call flow as a graph: numbers → hours → menus → queues → people, overflow, voicemail. */
export interface FlowGraph {
  nodes: { id: string; label: string; shape: 'number' | 'decision' | 'menu' | 'queue' | 'end' | 'step' }[];
  edges: { from: string; to: string; label?: string }[];
}

/** Builds the graph of every inbound route, or only those that use `site`. Pure and deterministic. */
export function flowGraph(model: Model, site?: string): FlowGraph {
  const nodes = new Map<string, FlowGraph['nodes'][number]>();
  const edges: FlowGraph['edges'] = [];
  const node = (id: string, label: string, shape: FlowGraph['nodes'][number]['shape']) => {
    if (!nodes.has(id)) nodes.set(id, { id, label, shape });
    return id;
  };
  const visited = new Set<string>();
  const users = new Map(model.users.map((u) => [u.extension, u]));

  const target = (t: Target): string => {
    switch (t.kind) {
      case 'hangup':
        return node('hangup', 'hang up', 'end');
      case 'voicemail':
        return node(`voicemail:${t.id}`, `voicemail ${t.id}`, 'end');
      case 'user': {
        const u = users.get(t.id)!;
        const id = node(`user:${t.id}`, `${u.name} (${t.id})${u.noAnswer ? `\nno answer ${u.noAnswer.after} s` : ''}`, 'step');
        if (!visited.has(id)) {
          visited.add(id);
          for (const step of u.noAnswer?.then ?? []) edges.push({ from: id, to: target(step), label: `no answer: ${step.via ?? step.kind}` });
        }
        return id;
      }
      case 'queue': {
        const q = model.queues.find((x) => x.name === t.id)!;
        const primary = q.members.filter((m) => m.tier === 'primary').length;
        const backup = q.members.length - primary;
        const id = node(`queue:${q.name}`, `queue ${q.name}\n${primary} primary${backup ? `, ${backup} backup after ${q.backupAfter} s` : ''}`, 'queue');
        if (!visited.has(id)) {
          visited.add(id);
          if (q.overflow) edges.push({ from: id, to: target(q.overflow), label: q.maxWait !== undefined ? `after ${q.maxWait} s` : 'overflow' });
        }
        return id;
      }
      case 'ivr': {
        const m = model.ivr.find((x) => x.name === t.id)!;
        const id = node(`ivr:${m.name}`, `menu ${m.name}\n${m.prompt}`, 'menu');
        if (!visited.has(id)) {
          visited.add(id);
          for (const o of m.options) edges.push({ from: id, to: o.to.kind === 'repeat' ? id : target(o.to), label: o.digit });
          edges.push({ from: id, to: target(m.onTimeout), label: 'no digit' });
          if (m.onInvalid.kind !== m.onTimeout.kind || ('id' in m.onInvalid && 'id' in m.onTimeout && m.onInvalid.id !== m.onTimeout.id)) edges.push({ from: id, to: target(m.onInvalid), label: 'invalid' });
        }
        return id;
      }
      case 'announcement': {
        const a = model.announcements.find((x) => x.name === t.id)!;
        const id = node(`announcement:${a.name}`, `message ${a.name}\n${a.prompt}`, 'step');
        if (!visited.has(id)) {
          visited.add(id);
          edges.push({ from: id, to: target(a.then) });
        }
        return id;
      }
      case 'site-router': {
        const id = node(`site-router:${t.id}`, `first open of`, 'decision');
        if (!visited.has(id)) {
          visited.add(id);
          sites(id, model.siteRouters.find((r) => r.name === t.id)!);
        }
        return id;
      }
      default:
        return node(`${t.kind}:${t.id}`, `${t.kind} ${t.id}`, 'end');
    }
  };

  const sites = (from: string, s: OpenSites) => {
    for (const o of s.open) {
      const site = model.sites.find((x) => x.name === o.site)!;
      edges.push({ from, to: target(o.to), label: `${site.name} open (${site.timezone})` });
    }
    edges.push({ from, to: target(s.closed), label: 'all closed' });
    if (JSON.stringify(s.holiday) !== JSON.stringify(s.closed)) edges.push({ from, to: target(s.holiday), label: 'holiday' });
  };

  for (const route of model.inbound) {
    const usesSite = route.route.kind === 'sites' && route.route.open.some((o) => o.site === site);
    if (site !== undefined && !usesSite) continue;
    const id = node(`did:${route.dids[0]}`, `${route.name}\n${route.dids.join(', ')}`, 'number');
    if (route.route.kind === 'direct') edges.push({ from: id, to: target(route.route.to) });
    else {
      const decision = node(`hours:${route.dids[0]}`, 'open now?', 'decision');
      edges.push({ from: id, to: decision });
      sites(decision, route.route);
    }
  }
  return { nodes: [...nodes.values()], edges };
}

const safeId = (id: string) => `n_${id.replace(/[^A-Za-z0-9]/g, '_')}`;

/** Mermaid flowchart: GitHub renders it in markdown (pull-request comments, READMEs). */
export function renderMermaid(g: FlowGraph): string {
  const text = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
  const shape = (n: FlowGraph['nodes'][number]) => {
    const t = `"${text(n.label)}"`;
    switch (n.shape) {
      case 'number':
        return `([${t}])`;
      case 'decision':
        return `{${t}}`;
      case 'queue':
        return `[/${t}/]`;
      case 'end':
        return `((${t}))`;
      default:
        return `[${t}]`;
    }
  };
  return [
    'flowchart LR',
    ...g.nodes.map((n) => `  ${safeId(n.id)}${shape(n)}`),
    ...g.edges.map((e) => `  ${safeId(e.from)} -->${e.label ? `|"${text(e.label)}"|` : ''} ${safeId(e.to)}`),
    '',
  ].join('\n');
}

/** Graphviz DOT, for `dot`, or rendered to SVG in-process. */
export function renderDot(g: FlowGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const shape = { number: 'cds', decision: 'diamond', menu: 'box3d', queue: 'folder', end: 'oval', step: 'box' } as const;
  return [
    'digraph callflow {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
    ...g.nodes.map((n) => `  ${q(n.id)} [label=${q(n.label)}, shape=${shape[n.shape]}];`),
    ...g.edges.map((e) => `  ${q(e.from)} -> ${q(e.to)}${e.label ? ` [label=${q(e.label)}]` : ''};`),
    '}',
    '',
  ].join('\n');
}
