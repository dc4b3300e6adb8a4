import { entries, type Rule } from './rule.js';

const MODE_BLOCKS = ['preview', 'progressive', 'predictive'] as const;

/** Settings that contradict the campaign's mode: silently ignored, they mislead whoever tunes the dialer. */
export const campaignSettings: Rule = {
  id: 'campaign-settings',
  description: "A campaign's settings fit its mode: no preview/progressive/predictive block of another mode, a message when AMD plays one, number types only for its numbers, an Asterisk node to run on.",
  severity: 'error',
  check(ctx) {
    for (const [name, c] of entries(ctx.raw.campaigns)) {
      for (const block of MODE_BLOCKS) {
        if (block !== c.mode && c[block] !== undefined) {
          ctx.report({ at: c, path: [block], anchor: 'key' }, `campaign ${name} is ${c.mode}, so its ${block} settings would be ignored`, `Remove the ${block} block, or set mode: ${block}.`);
        }
      }
      if (c.amd?.on_machine === 'message' && c.amd.message === undefined) {
        ctx.report({ at: c.amd, path: ['on_machine'] }, `campaign ${name}: AMD leaves a message on machines but names none`, 'Add amd.message: a prompt (custom/callback-request), or on_machine: hangup.');
      }
      if (c.amd?.message !== undefined && c.amd.on_machine !== 'message') {
        ctx.report({ at: c.amd, path: ['message'] }, `campaign ${name}: amd.message is never played because on_machine is not message`, 'Set on_machine: message, or remove the message.');
      }
      const numbers = c.contacts.numbers ?? ['phone'];
      for (const field of Object.keys(c.contacts.number_types ?? {})) {
        if (!numbers.includes(field)) {
          ctx.report({ at: c.contacts.number_types!, path: [field], anchor: 'key' }, `campaign ${name}: number_types names ${field}, which is not one of its numbers (${numbers.join(', ')})`, `Name a field listed in contacts.numbers, or add ${field} there.`);
        }
      }
      if (c.node !== undefined) {
        const node = ctx.raw.nodes?.[c.node];
        if (node?.role !== 'asterisk') {
          const asterisk = entries(ctx.raw.nodes).filter(([, n]) => n.role === 'asterisk').map(([n]) => n);
          ctx.report({ at: c, path: ['node'] }, `campaign ${name} runs on node ${c.node}, which is ${node ? `a ${node.role} node` : 'not a node of the project'}`, asterisk.length > 0 ? `Name an Asterisk node: ${asterisk.join(', ')}.` : 'Remove node: without Asterisk nodes in nodes, the one PBX runs every campaign.');
        }
      }
      if (c.mode === 'preview' && c.amd?.enabled) {
        ctx.report({ at: c.amd, path: ['enabled'] }, `campaign ${name}: AMD in preview mode would hang up on calls the agent placed`, 'Preview calls are placed by the agent, who hears the machine: disable amd.');
      }
    }
  },
};
