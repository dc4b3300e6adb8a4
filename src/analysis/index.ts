import type { Analysis } from './analysis.js';
import { coverageHole } from './coverage-hole.js';
import { deadEnd } from './dead-end.js';
import { neverReached } from './never-reached.js';

/** Every call-flow analysis `validate` runs after the rules pass, sorted by id. */
export const ANALYSES: readonly Analysis[] = [coverageHole, deadEnd, neverReached];
