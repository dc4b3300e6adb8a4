import path from 'node:path';
import type { ProjectFs } from '../model/load/project-fs.js';

/**
 * A file system that shows `files` (absolute path → text) over `base`, without writing them:
 * the project as it would be after the import, for validating before anything is written.
 */
export function overlayFs(base: ProjectFs, files: ReadonlyMap<string, string>): ProjectFs {
  const dirs = new Set<string>();
  for (const file of files.keys()) {
    for (let dir = path.dirname(file); !dirs.has(dir); dir = path.dirname(dir)) {
      dirs.add(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  const stat = (isDir: boolean) => ({ isDirectory: () => isDir, isFile: () => !isDir });
  return {
    readFileSync: (p, encoding) => files.get(path.resolve(p)) ?? base.readFileSync(p, encoding),
    existsSync: (p) => files.has(path.resolve(p)) || dirs.has(path.resolve(p)) || base.existsSync(p),
    statSync: (p) => {
      const abs = path.resolve(p);
      if (files.has(abs)) return stat(false);
      if (dirs.has(abs) && !base.existsSync(p)) return stat(true);
      return base.statSync(p);
    },
    readdirSync: (p) => {
      const abs = path.resolve(p);
      const names = new Set(base.existsSync(p) ? base.readdirSync(p).map(String) : []);
      for (const entry of [...files.keys(), ...dirs]) if (path.dirname(entry) === abs && entry !== abs) names.add(path.basename(entry));
      return [...names].sort();
    },
  };
}
