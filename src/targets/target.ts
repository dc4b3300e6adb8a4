import type { Model } from '../model/types.js';

/** Generated files: path relative to the output directory → content. */
export type FileTree = Map<string, string>;

/** A compiler from the model to one product's files. Pure: the same model gives the same bytes. */
export interface Target {
  name: string;
  description: string;
  compile(model: Model): FileTree;
}
