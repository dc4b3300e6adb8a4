import { entries, type Rule } from './rule.js';

/**
 * Where deploy writes on a host must be a folder of its own: `/` or a path through `..` would
 * let a release (and the pruning of old ones) land anywhere, and two Asterisk nodes on one host
 * sharing a release root would switch each other's `current`.
 */
export const deploySettings: Rule = {
  id: 'deploy-settings',
  description: "A node's deploy settings name a release root of its own (absolute, not /, no ..) and an absolute log path.",
  severity: 'error',
  check(ctx) {
    const roots = new Map<string, { name: string; sip: string }>();
    for (const [name, node] of entries(ctx.raw.nodes)) {
      const d = node.deploy;
      if (d === undefined) continue;
      if (node.role !== 'asterisk') {
        ctx.report({ at: node, path: ['deploy'] }, `node ${name} is a ${node.role} edge: deploy settings are for Asterisk nodes`, 'Remove deploy from this node; callplan deploys Asterisk nodes.');
        continue;
      }
      for (const key of ['root', 'log'] as const) {
        const path = d[key];
        if (path === undefined) continue;
        if (path.split('/').some((part) => part === '..' || part === '.')) {
          ctx.report({ at: node, path: ['deploy', key] }, `deploy.${key} ${path} of node ${name} goes through . or ..`, 'Write the absolute path without . or .. segments.');
        } else if (key === 'root' && /^\/*$/.test(path)) {
          ctx.report({ at: node, path: ['deploy', key] }, `deploy.root of node ${name} is the file system's root`, 'Give deploy a folder of its own, e.g. /var/lib/callplan.');
        }
      }
    }
    for (const [name, node] of entries(ctx.raw.nodes)) {
      if (node.role !== 'asterisk') continue;
      const key = `${(node.ssh?.host ?? node.address).toLowerCase()}:${node.ssh?.port ?? 22}:${(node.deploy?.root ?? '/var/lib/callplan').replace(/\/+$/, '')}`;
      const sip = `${node.address.toLowerCase()}:${node.sip_port ?? 5060}`;
      const first = roots.get(key);
      if (first === undefined) roots.set(key, { name, sip });
      // One address and SIP port twice is duplicate-node-address's to report.
      else if (first.sip !== sip)
        ctx.report(
          { at: node, ...(node.deploy?.root !== undefined ? { path: ['deploy', 'root'] } : { path: ['role'] }) },
          `node ${name} would deploy into the release root of node ${first.name} on the same host`,
          'Give each Asterisk node on one host its own deploy.root.',
        );
    }
  },
};
