import type { Device, Model, PbxNode, Target, Trunk, User } from '../../model/types.js';

/** Names of generated objects, in one place so pjsip.conf, queues.conf and the dialplan agree. */

export const endpointOf = (device: Device): string => device.id;
export const authOf = (name: string): string => `${name}-auth`;
export const trunkEndpoint = (trunk: Trunk | string): string => `trunk-${typeof trunk === 'string' ? trunk : trunk.name}`;

/** Every device of a user, as one Dial string (all ring together). Empty for a user without devices. */
export function dialString(user: User): string {
  return user.devices.map((d) => `PJSIP/${endpointOf(d)}`).join('&');
}

/** The context of a permission class: what its phones may dial. */
export function classContext(user: User): string {
  return user.outboundClass === undefined ? 'users' : `users-${user.outboundClass}`;
}

/**
 * The context a user's phones send calls into: their permission class, or for a supervisor a
 * context of their own that adds the supervisor's feature codes to it.
 */
export function userContext(user: User, model: Model): string {
  return isSupervisor(user, model) ? `supervisor-${user.extension}` : classContext(user);
}

const listedSupervisors = new WeakMap<Model, Set<string>>();

/** Listed under supervisors, or given the supervisor role. The list is indexed once per model: this is asked per device. */
export function isSupervisor(user: User, model: Model): boolean {
  let listed = listedSupervisors.get(model);
  if (!listed) listedSupervisors.set(model, (listed = new Set(model.supervisors.map((s) => s.user))));
  return user.roles.includes('supervisor') || listed.has(user.extension);
}

/** Digits only: DIDs become context names (did-48221234567). */
export const didContext = (did: string): string => `did-${did.replace(/^\+/, '')}`;

/** `context,exten,priority` for Goto, for every kind of target. */
export function gotoTarget(target: Target): string {
  switch (target.kind) {
    case 'user':
      return `user-${target.id},s,1`;
    case 'voicemail':
      return `voicemail,${target.id},1`;
    case 'external':
      return `cp-external,${target.id},1`;
    case 'hangup':
      return 'cp-hangup,s,1';
    default:
      return `${target.kind}-${target.id},s,1`;
  }
}

/**
 * The Asterisk node a single-node build runs on. Without one, Asterisk listens on loopback only:
 * a network listener is never opened by default.
 */
export function pbxNode(model: Model): Pick<PbxNode, 'address' | 'sipPort' | 'amiPort' | 'publicAddress'> {
  const node = model.nodes.find((n) => n.role === 'asterisk');
  return node ?? { address: '127.0.0.1', sipPort: 5060, amiPort: 5038 };
}

export const AMI_USER = 'callplan-dialer';

/** The endpoint a node behind a Kamailio edge gives the edge itself (its OPTIONS probes). */
export const EDGE_ENDPOINT = 'cp-edge';

/** The AMI user of `callplan provision resync`: it may send NOTIFYs (class system) and nothing else. */
export const AMI_PROVISION_USER = 'callplan-provision';

/** The AMI user of another vendor's dialer (written when secrets.external_dialer is set). */
export const AMI_EXTERNAL_DIALER_USER = 'callplan-external-dialer';
