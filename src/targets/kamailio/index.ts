import type { FileTree, Target } from '../target.js';
import { edges, nodeDir } from '../topology.js';
import { kamailioCfg, tlsCfg } from './cfg.js';
import { addressList, dispatcherList } from './lists.js';
import { subscriberTable } from './subscriber.js';

/**
 * nodes/<edge>/kamailio/: the Kamailio edge in front of the Asterisk nodes (see docs/kamailio.md).
 * Nothing when the model has no edge. The tree is the edge's /etc/kamailio/.
 */
export const kamailioTarget: Target = {
  name: 'kamailio',
  description: 'Kamailio 5.6 SIP edge: kamailio.cfg, the Asterisk nodes (dispatcher.list), carriers’ addresses (address.list), phones’ HA1s (db/subscriber), TLS',
  compile(model, { secrets }) {
    const out: FileTree = new Map();
    for (const edge of edges(model)) {
      const dir = `${nodeDir(edge)}/kamailio`;
      out.set(`${dir}/kamailio.cfg`, kamailioCfg(model, edge));
      out.set(`${dir}/dispatcher.list`, dispatcherList(model));
      out.set(`${dir}/address.list`, addressList(model));
      out.set(`${dir}/db/subscriber`, subscriberTable(model, secrets));
      const tls = tlsCfg(model, edge);
      if (tls !== undefined) out.set(`${dir}/tls.cfg`, tls);
    }
    return out;
  },
};
