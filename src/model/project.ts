import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import type { RawProject } from './input.js';
import type { SourceFile } from './load/load-project.js';
import type { DocPath } from './load/path.js';
import type { Anchor } from './load/positions.js';
import { isListSection, isMapSection, OUTBOUND_MAPS, ROOT_ONLY, SINGLETONS, type MapSection } from './sections.js';

/** Where an object sits: its container and key (the path is built only when a diagnostic needs it). */
interface Origin {
  file: SourceFile;
  parent?: object;
  key?: string | number;
}

/** Every name a project defines, including entities the schema rejected, so references to them do not cascade. */
export interface KnownNames {
  users: Set<string>;
  sites: Set<string>;
  trunks: Set<string>;
  groups: Set<string>;
  queues: Set<string>;
  ivr: Set<string>;
  announcements: Set<string>;
  conferences: Set<string>;
  campaigns: Set<string>;
  agent_statuses: Set<string>;
  music: Set<string>;
  site_routers: Set<string>;
  nodes: Set<string>;
  routes: Set<string>;
  classes: Set<string>;
}

/** A place in the project for a diagnostic: an object of the merged data and a path below it. */
export interface Where {
  at: object;
  path?: DocPath;
  anchor?: Anchor;
}

export interface Problem extends Where {
  rule: string;
  severity: Severity;
  message: string;
  hint?: string;
}

/**
 * The files of one project merged into one RawProject. Objects are shared with the parsed files
 * (nothing is copied), so any object can be traced back to its file and path to get a position.
 */
export class Project {
  readonly raw: RawProject = {};
  readonly known: KnownNames = {
    users: new Set(),
    sites: new Set(),
    trunks: new Set(),
    groups: new Set(),
    queues: new Set(),
    ivr: new Set(),
    announcements: new Set(),
    conferences: new Set(),
    campaigns: new Set(),
    agent_statuses: new Set(),
    music: new Set(),
    site_routers: new Set(),
    nodes: new Set(),
    routes: new Set(),
    classes: new Set(),
  };
  readonly problems: Problem[] = [];
  private readonly origins = new WeakMap<object, Origin>();

  constructor(
    readonly rootDir: string,
    readonly files: readonly SourceFile[],
    /** Objects the schema rejected: left out of `raw`, their names kept in `known`. */
    rejected: ReadonlySet<object>,
  ) {
    for (const file of files) this.recordOrigins(file);
    for (const file of files) this.merge(file, rejected);
  }

  /** Where an object (and optionally a path below it) sits in the user's files. */
  locate(where: Where): Pick<Diagnostic, 'file' | 'line' | 'column'> {
    const origin = this.origins.get(where.at);
    if (!origin) return { file: this.files[0]?.displayPath ?? '?', line: 1, column: 1 };
    const pos = origin.file.positions.locate([...this.pathOf(where.at), ...(where.path ?? [])], where.anchor ?? 'value');
    return { file: origin.file.displayPath, ...pos };
  }

  private pathOf(at: object): DocPath {
    const path: (string | number)[] = [];
    for (let o = this.origins.get(at); o?.parent !== undefined; o = this.origins.get(o.parent)) path.push(o.key!);
    return path.reverse();
  }

  report(problem: Problem): void {
    this.problems.push(problem);
  }

  private recordOrigins(file: SourceFile): void {
    if (file.data === null || typeof file.data !== 'object') return;
    this.origins.set(file.data, { file });
    const stack: object[] = [file.data];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const children: [string | number, unknown][] = Array.isArray(node) ? node.map((c, i) => [i, c]) : Object.entries(node);
      for (const [key, child] of children) {
        // An alias shares one object between two places: the first place wins.
        if (child === null || typeof child !== 'object' || this.origins.has(child)) continue;
        this.origins.set(child, { file, parent: node, key });
        stack.push(child);
      }
    }
  }

  private merge(file: SourceFile, rejected: ReadonlySet<object>): void {
    const data = file.data;
    if (!isRecord(data) || rejected.has(data)) return;
    const raw = this.raw as Record<string, unknown>;
    for (const [key, value] of Object.entries(data)) {
      if ((ROOT_ONLY as readonly string[]).includes(key)) {
        if (!file.isRoot) {
          this.report({
            rule: 'root-only-key',
            severity: 'error',
            at: data,
            path: [key],
            anchor: 'key',
            message: `"${key}" belongs in callplan.yaml, not in an included file`,
            hint: 'Move it to callplan.yaml; included files hold only sections such as users, queues or sites.',
          });
        } else if (!rejected.has(value as object)) {
          raw[key] = value;
        }
      } else if ((SINGLETONS as readonly string[]).includes(key)) {
        if (this.isDuplicate(`section/${key}`, data, key, `section "${key}"`)) continue;
        if (!rejected.has(value as object)) raw[key] = value;
      } else if (isMapSection(key)) {
        this.mergeMap(raw, key, value, this.known[key], rejected, SINGULAR[key]);
      } else if (isListSection(key)) {
        if (!Array.isArray(value)) continue;
        const list = ((raw[key] as unknown[] | undefined) ??= []);
        for (const item of value) {
          if (key === 'users') this.knowUser(item);
          if (!rejected.has(item as object)) list.push(item);
        }
      } else if (key === 'outbound' && isRecord(value) && !rejected.has(value)) {
        const outbound = ((raw.outbound as Record<string, unknown> | undefined) ??= {});
        for (const sub of OUTBOUND_MAPS) this.mergeMap(outbound, sub, value[sub], this.known[sub], rejected, SINGULAR[sub]);
      }
    }
  }

  private mergeMap(target: Record<string, unknown>, key: string, value: unknown, known: Set<string>, rejected: ReadonlySet<object>, label: string): void {
    if (!isRecord(value) || rejected.has(value)) return;
    const merged = ((target[key] as Record<string, unknown> | undefined) ??= {});
    for (const [name, entity] of Object.entries(value)) {
      if (this.isDuplicate(`${label}/${name}`, value, name, `${label} "${name}"`)) continue;
      known.add(name);
      if (!rejected.has(entity as object)) merged[name] = entity;
    }
  }

  private readonly firstDefinition = new Map<string, Where>();

  private knowUser(item: unknown): void {
    const ext = isRecord(item) ? item.extension : undefined;
    if (typeof ext === 'string') this.known.users.add(ext);
  }

  /** Reports a second definition of `id`; the first one is remembered by its container and key. */
  private isDuplicate(id: string, container: object, key: string, what: string): boolean {
    const first = this.firstDefinition.get(id);
    if (!first) {
      this.firstDefinition.set(id, { at: container, path: [key], anchor: 'key' });
      return false;
    }
    const where = this.locate(first);
    this.report({
      rule: 'duplicate-name',
      severity: 'error',
      at: container,
      path: [key],
      anchor: 'key',
      message: `${what} is defined twice`,
      hint: `It is already defined at ${where.file}:${where.line}:${where.column}; names are unique across all files of a project.`,
    });
    return true;
  }
}

/** How messages name one entry of each keyed collection. */
const SINGULAR: Record<MapSection | (typeof OUTBOUND_MAPS)[number], string> = {
  nodes: 'node',
  sites: 'site',
  trunks: 'trunk',
  groups: 'group',
  agent_statuses: 'agent status',
  music: 'music class',
  site_routers: 'site router',
  queues: 'queue',
  ivr: 'IVR menu',
  announcements: 'announcement',
  conferences: 'conference',
  campaigns: 'campaign',
  routes: 'outbound route',
  classes: 'permission class',
};

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Which objects to set aside for a schema problem at `path`: the smallest whole entity containing it. */
export function rejectedBy(data: unknown, path: DocPath): object | undefined {
  if (!isRecord(data)) return undefined;
  const [section, a, b] = path;
  const value = (p: DocPath): object | undefined => {
    let node: unknown = data;
    for (const seg of p) node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[seg] : undefined;
    return node !== null && typeof node === 'object' ? node : undefined;
  };
  if (section === undefined) return data;
  if ((isMapSection(section) || isListSection(section)) && a !== undefined) return value([section, a]);
  if (section === 'outbound' && a !== undefined && b !== undefined) return value([section, a, b]);
  if (section === 'recording' && a === 'policies' && b !== undefined) return value([section, a, b]);
  return value([section]);
}

