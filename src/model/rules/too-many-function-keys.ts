import { findSnomModel } from '../../targets/snom/models.js';
import type { Rule } from './rule.js';

/**
 * More declared keys (users[].keys) than a phone of the user has. The keys past the phone's last
 * would never be written; the error names the model and its count. (Keys callplan lays out
 * itself are cut to fit, most useful first.)
 */
export const tooManyFunctionKeys: Rule = {
  id: 'too-many-function-keys',
  description: "A user's declared function keys fit on each of their SNOM phones.",
  severity: 'error',
  check(ctx) {
    for (const user of ctx.raw.users ?? []) {
      const keys = user.keys;
      if (!keys) continue;
      const reported = new Set<string>();
      for (const device of user.devices ?? []) {
        const model = device.type === 'snom' && device.model !== undefined ? findSnomModel(device.model) : undefined;
        if (!model || keys.length <= model.functionKeys || reported.has(model.model)) continue;
        reported.add(model.model);
        const first = model.functionKeys + 1;
        ctx.report(
          { at: keys, path: [model.functionKeys] },
          `user ${user.extension} declares ${keys.length} function keys, but the SNOM ${model.model} has ${model.functionKeys}`,
          `Key${keys.length > first ? `s ${first} to ${keys.length}` : ` ${first}`} would never reach the phone. Keep ${model.functionKeys} at most, or give the user a phone with more keys (a D345 or D385 has 48).`,
        );
      }
    }
  },
};
