/** How each top-level section of a project behaves when several files contribute to it. */

/** Only callplan.yaml may hold these. */
export const ROOT_ONLY = ['version', 'name', 'description', 'include', 'secrets', 'defaults'] as const;

/** One file may hold each of these whole. */
export const SINGLETONS = ['provisioning', 'recording'] as const;

/** Keyed collections: files merge by key, a key defined twice is an error. */
export const MAP_SECTIONS = [
  'nodes',
  'sites',
  'trunks',
  'groups',
  'agent_statuses',
  'music',
  'queues',
  'ivr',
  'announcements',
  'site_routers',
  'conferences',
  'campaigns',
] as const;

/** Lists: files append in file order. */
export const LIST_SECTIONS = ['users', 'inbound', 'supervisors'] as const;

/** `outbound` holds two keyed collections. */
export const OUTBOUND_MAPS = ['routes', 'classes'] as const;

export type MapSection = (typeof MAP_SECTIONS)[number];
export type ListSection = (typeof LIST_SECTIONS)[number];

export function isMapSection(key: unknown): key is MapSection {
  return (MAP_SECTIONS as readonly unknown[]).includes(key);
}

export function isListSection(key: unknown): key is ListSection {
  return (LIST_SECTIONS as readonly unknown[]).includes(key);
}
