import { findSnomModel, SNOM_MODELS } from '../../targets/snom/models.js';
import { closest } from '../schema/suggest.js';
import type { Rule } from './rule.js';

export const unknownSnomModel: Rule = {
  id: 'unknown-snom-model',
  description: 'SNOM phones are of a model callplan can provision.',
  severity: 'error',
  check(ctx) {
    const names = SNOM_MODELS.map((m) => m.model);
    for (const user of ctx.raw.users ?? []) {
      for (const device of user.devices ?? []) {
        if (device.type !== 'snom' || device.model === undefined || findSnomModel(device.model)) continue;
        const guess = closest(device.model, names);
        ctx.report(
          { at: device, path: ['model'] },
          `unknown SNOM model "${device.model}"`,
          `${guess ? `Did you mean ${guess}? ` : ''}Supported: ${names.join(', ')}.`,
        );
      }
    }
  },
};
