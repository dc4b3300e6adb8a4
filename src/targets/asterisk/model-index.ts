import type { Group, Model, User } from '../../model/types.js';

/** Lookups the generators share, built once per build (10,000 users must not mean 10,000 scans). */
export interface ModelIndex {
  users: Map<string, User>;
  groups: Map<string, Group>;
}

export function indexModel(model: Model): ModelIndex {
  return { users: new Map(model.users.map((u) => [u.extension, u])), groups: new Map(model.groups.map((g) => [g.name, g])) };
}
