import type { Model } from '../model/types.js';
import { modelJsonTarget } from './model/model-json.js';
import type { FileTree, Target } from './target.js';

/** Every target `build` runs, in output order. The Asterisk, Kamailio, SNOM and dialer targets plug in here. */
export const TARGETS: readonly Target[] = [modelJsonTarget];

export function compileAll(model: Model, targets: readonly Target[] = TARGETS): FileTree {
  const out: FileTree = new Map();
  for (const target of targets) {
    for (const [file, content] of target.compile(model)) {
      if (out.has(file)) throw new Error(`targets write ${file} twice (second: ${target.name})`);
      out.set(file, content);
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
