import type { RawProject } from '../model/input.js';
import type { Where } from '../model/project.js';

/**
 * Where the user wrote a place of the call flow (`queue:x`, `user:1001`, `inbound:0` ...): at a
 * named entity's key, at a user's extension, at an inbound route's DID.
 */
export function whereOf(raw: RawProject, place: string): Where | undefined {
  const colon = place.indexOf(':');
  const kind = place.slice(0, colon);
  const id = place.slice(colon + 1);
  const keyed = (map: Record<string, object> | undefined): Where | undefined => (map?.[id] ? { at: map[id], anchor: 'key' } : undefined);
  switch (kind) {
    case 'inbound': {
      const route = raw.inbound?.[Number(id)];
      return route && { at: route, path: ['did'] };
    }
    case 'user': {
      const user = raw.users?.find((u) => u.extension === id);
      return user && { at: user, path: ['extension'] };
    }
    case 'queue':
      return keyed(raw.queues);
    case 'ivr':
      return keyed(raw.ivr);
    case 'group':
      return keyed(raw.groups);
    case 'announcement':
      return keyed(raw.announcements);
    case 'site-router':
      return keyed(raw.site_routers);
    default:
      return undefined;
  }
}
