import type { Model } from '../model/types.js';
import type { SecretResolver } from '../secrets/resolve.js';

/** Generated files: path relative to the output directory → content. */
export type FileTree = Map<string, string>;

export interface CompileContext {
  secrets: SecretResolver;
}

/** A compiler from the model to one product's files. Pure: the same model and secrets give the same bytes. */
export interface Target {
  name: string;
  description: string;
  compile(model: Model, ctx: CompileContext): FileTree;
}
