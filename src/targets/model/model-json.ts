import type { Target } from '../target.js';

/** The normalized model itself, for tools and for reviewing what callplan understood. Holds secret references, never values. */
export const modelJsonTarget: Target = {
  name: 'model',
  description: 'model.json: the normalized model',
  compile(model) {
    return new Map([['model.json', JSON.stringify(model, null, 2) + '\n']]);
  },
};
