import * as nodeFs from 'node:fs';

/**
 * The few file-system calls loading needs. node:fs satisfies it, and so does memfs,
 * which is what unit tests pass in.
 */
export interface ProjectFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  statSync(path: string): { isDirectory(): boolean; isFile(): boolean };
  readdirSync(path: string): string[];
  existsSync(path: string): boolean;
}

export const realFs: ProjectFs = nodeFs as unknown as ProjectFs;
