/** The dialer simulator: a seeded world, the policies it compares, and the comparison table. */
export { contenders } from './contenders.js';
export type { SimResult, Series } from './metrics.js';
export { FixedRatioPolicy } from './policies/fixed-ratio.js';
export { IssabelPolicy, type IssabelOptions } from './policies/issabel.js';
export { VicidialPolicy, type AdaptMethod, type VicidialOptions } from './policies/vicidial.js';
export { draw, lognormal, Xoshiro128 } from './random.js';
export { DEFAULT_HOURLY, scenario, type Scenario, type ScenarioInput, type Shift } from './scenario.js';
export { callingDays, simulate, type Contender, type PolicyContext, type SimAgent, type SimCall, type SimOptions } from './simulator.js';
export { World } from './world.js';
