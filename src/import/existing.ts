import type { RawGroup, RawUser } from '../model/input.js';
import type { LoadedFiles, SourceFile } from '../model/load/load-project.js';
import { normalizeMac } from '../model/mac.js';

/** Who already holds an extension or a MAC in the project, told the way a person finds it. */
export interface Owner {
  /** `1017 Jan Kowalski`, `queue support`, `conference board`. */
  what: string;
  /** `users/staff.yaml:12`; computed only when a row collides (positions cost a second parse). */
  where(): string;
}

/** What an import needs to know of the project it adds to. */
export interface ExistingProject {
  rootDir: string;
  /** Absolute path of callplan.yaml (or of the single YAML file that is the project). */
  rootPath: string;
  rootText: string;
  /** Absolute paths of every file the project is made of now. */
  files: Set<string>;
  sites: string[];
  groups: Map<string, RawGroup>;
  extensions: Map<string, Owner>;
  macs: Map<string, Owner>;
  /** The root file's include globs. */
  include: string[];
  hasDeviceMaster: boolean;
}

/**
 * Reads names, extensions and MACs from a loaded project. Files in `replaced` are left out:
 * the import writes them anew (--force), so their users are not "already there".
 */
export function readExistingProject(loaded: LoadedFiles, replaced: ReadonlySet<string> = new Set()): ExistingProject {
  const root = loaded.files[0]!;
  const rootData = asObject(root.data);
  const sites = new Set<string>();
  const groups = new Map<string, RawGroup>();
  const extensions = new Map<string, Owner>();
  const macs = new Map<string, Owner>();
  for (const file of loaded.files) {
    if (replaced.has(file.absPath)) continue;
    const data = asObject(file.data);
    for (const name of Object.keys(asObject(data.sites))) sites.add(name);
    for (const [name, group] of Object.entries(asObject(data.groups))) groups.set(name, asObject(group) as RawGroup);
    const users = Array.isArray(data.users) ? data.users : [];
    users.forEach((u: unknown, i) => {
      const user = asObject(u) as Partial<RawUser>;
      const owner = ownerAt(file, ['users', i], `${user.extension ?? '?'} ${user.name ?? ''}`.trim());
      if (typeof user.extension === 'string' && !extensions.has(user.extension)) extensions.set(user.extension, owner);
      for (const device of Array.isArray(user.devices) ? user.devices : []) {
        const mac = typeof device?.mac === 'string' ? normalizeMac(device.mac) : undefined;
        if (mac && !macs.has(mac)) macs.set(mac, owner);
      }
    });
    for (const section of ['queues', 'conferences'] as const) {
      for (const [name, entity] of Object.entries(asObject(data[section]))) {
        const extension = asObject(entity).extension;
        const what = `${section === 'queues' ? 'queue' : 'conference'} ${name}`;
        if (typeof extension === 'string' && !extensions.has(extension)) extensions.set(extension, ownerAt(file, [section, name], what));
      }
    }
  }
  const include = Array.isArray(rootData.include) ? rootData.include.filter((p): p is string => typeof p === 'string') : [];
  return {
    rootDir: loaded.rootDir,
    rootPath: root.absPath,
    rootText: root.text,
    files: new Set(loaded.files.map((f) => f.absPath)),
    sites: [...sites].sort(),
    groups,
    extensions,
    macs,
    include,
    hasDeviceMaster: typeof asObject(rootData.secrets).device_master === 'string',
  };
}

function ownerAt(file: SourceFile, path: (string | number)[], what: string): Owner {
  return { what, where: () => `${file.displayPath}:${file.positions.locate(path).line}` };
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
