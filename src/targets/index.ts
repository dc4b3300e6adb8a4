import type { Model } from '../model/types.js';
import { archiveTarget } from './archive/index.js';
import { asteriskTarget } from './asterisk/index.js';
import { dialerTarget } from './dialer/index.js';
import { kamailioTarget } from './kamailio/index.js';
import { modelJsonTarget } from './model/model-json.js';
import { provisioningTarget } from './provisioning/index.js';
import { snomTarget } from './snom/index.js';
import type { CompileContext, FileTree, Target } from './target.js';

/** Every target `build` runs. */
export const TARGETS: readonly Target[] = [modelJsonTarget, asteriskTarget, kamailioTarget, snomTarget, provisioningTarget, archiveTarget, dialerTarget];

export function compileAll(model: Model, ctx: CompileContext, targets: readonly Target[] = TARGETS): FileTree {
  const out: FileTree = new Map();
  for (const target of targets) {
    for (const [file, content] of target.compile(model, ctx)) {
      if (out.has(file)) throw new Error(`targets write ${file} twice (second: ${target.name})`);
      out.set(file, content);
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
