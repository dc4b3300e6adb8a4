import type { Model, PbxNode } from '../../model/types.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import type { FileTree, Target } from '../target.js';
import { asteriskNodes, hasEdge, nodeDir } from '../topology.js';
import { amdConf } from './amd.js';
import { confbridgeConf } from './confbridge.js';
import { extensionsConf } from './dialplan/extensions.js';
import { managerConf } from './manager.js';
import { musiconholdConf } from './musiconhold.js';
import { pbxNode } from './names.js';
import { pjsipConf } from './pjsip.js';
import { pjsipNotifyConf } from './pjsip-notify.js';
import { queueRulesConf, queuesConf } from './queues.js';
import { voicemailConf } from './voicemail.js';

/**
 * The asterisk/ tree: one module per generated file. Behind a Kamailio edge, one tree per node
 * (nodes/<name>/asterisk/): the same dialplan, queues and mailboxes everywhere; pjsip.conf and
 * manager.conf carry the node's own addresses and ports.
 */
export const asteriskTarget: Target = {
  name: 'asterisk',
  description: 'Asterisk 22 configuration: pjsip, dialplan (with the dialer\'s campaign contexts), queues, AMD, voicemail, conferences, music on hold, manager, phone resync NOTIFYs',
  compile(model, { secrets }) {
    if (!hasEdge(model)) return asteriskTree(model, secrets, pbxNode(model), 'asterisk');
    const shared = sharedFiles(model, secrets);
    const out: FileTree = new Map();
    for (const node of asteriskNodes(model)) {
      for (const [file, content] of asteriskTree(model, secrets, node, `${nodeDir(node)}/asterisk`, shared)) out.set(file, content);
    }
    return out;
  },
};

/** Files that are the same on every node. */
function sharedFiles(model: Model, secrets: SecretResolver): Map<string, string> {
  const amd = amdConf(model);
  return new Map([
    ...(amd === undefined ? [] : [['amd.conf', amd] as [string, string]]),
    ['confbridge.conf', confbridgeConf(model, secrets)],
    ['extensions.conf', extensionsConf(model)],
    ['musiconhold.conf', musiconholdConf(model)],
    ['pjsip_notify.conf', pjsipNotifyConf(model)],
    ['queuerules.conf', queueRulesConf(model)],
    ['queues.conf', queuesConf(model)],
    ['voicemail.conf', voicemailConf(model, secrets)],
  ]);
}

function asteriskTree(
  model: Model,
  secrets: SecretResolver,
  node: Pick<PbxNode, 'address' | 'sipPort' | 'amiPort' | 'publicAddress'>,
  dir: string,
  shared = sharedFiles(model, secrets),
): FileTree {
  const files = new Map([...shared, ['manager.conf', managerConf(model, secrets, node)], ['pjsip.conf', pjsipConf(model, secrets, node)]]);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, content]) => [`${dir}/${file}`, content]));
}
