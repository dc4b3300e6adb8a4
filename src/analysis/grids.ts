import type { Model } from '../model/types.js';
import { coverageGrid, type CoverageGrid } from './coverage.js';

const cache = new WeakMap<Model, { now: number; grids: CoverageGrid[] }>();

/** Every inbound route's grid, computed once per model and instant for all the analyses that read them. */
export function coverageGrids(model: Model, now: Date): CoverageGrid[] {
  const hit = cache.get(model);
  if (hit?.now === now.getTime()) return hit.grids;
  const grids = model.inbound.map((_, i) => coverageGrid(model, i, now));
  cache.set(model, { now: now.getTime(), grids });
  return grids;
}
