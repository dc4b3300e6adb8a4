import { entries, type Rule } from './rule.js';

/**
 * Where deploy writes on a host must be a folder of its own: `/` or a path through `..` would
 * let a release (and the pruning of old ones) land anywhere, and two nodes on one host (Asterisk
 * nodes, or a node and the edge) sharing a release root would switch each other's `current`.
 */
export const deploySettings: Rule = {
  id: 'deploy-settings',
  description: "A node's deploy settings name a release root of its own (absolute, not /, no ..), an absolute log path, and only settings of its own kind of node (Asterisk or the Kamailio edge).",
  severity: 'error',
  check(ctx) {
    const roots = new Map<string, { name: string; sip: string }>();
    for (const [name, node] of entries(ctx.raw.nodes)) {
      const d = node.deploy;
      if (d === undefined) continue;
      // Each program's settings belong to its own kind of node: they would be silently unused elsewhere.
      const foreign = node.role === 'asterisk' ? (['kamcmd', 'restart'] as const) : (['asterisk', 'systemctl', 'log', 'ignore_errors'] as const);
      for (const key of foreign) {
        if (d[key] === undefined) continue;
        ctx.report(
          { at: node, path: ['deploy', key] },
          node.role === 'asterisk' ? `deploy.${key} of node ${name} is a setting of the Kamailio edge` : `deploy.${key} of node ${name} is a setting of Asterisk nodes, and ${name} is a kamailio edge`,
          node.role === 'asterisk' ? 'Remove it: an Asterisk node is reached with deploy.asterisk.' : 'Remove it: the edge is reached with deploy.kamcmd (and restarted with deploy.restart).',
        );
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
      const key = `${(node.ssh?.host ?? node.address).toLowerCase()}:${node.ssh?.port ?? 22}:${(node.deploy?.root ?? (node.role === 'kamailio' ? '/var/lib/callplan-edge' : '/var/lib/callplan')).replace(/\/+$/, '')}`;
      const sip = `${node.address.toLowerCase()}:${node.sip_port ?? 5060}`;
      const first = roots.get(key);
      if (first === undefined) roots.set(key, { name, sip });
      // One address and SIP port twice is duplicate-node-address's to report.
      else if (first.sip !== sip)
        ctx.report(
          { at: node, ...(node.deploy?.root !== undefined ? { path: ['deploy', 'root'] } : { path: ['role'] }) },
          `node ${name} would deploy into the release root of node ${first.name} on the same host`,
          'Give each node (Asterisk or the edge) on one host its own deploy.root.',
        );
    }
  },
};
