import type { DialerStore } from '../state/store.js';
import type { LoadPlan } from './plan.js';

/** Writes the plan's new contacts in one transaction; returns how many were added (a contact added meanwhile by another load is not added twice). */
export function applyLoad(store: DialerStore, plan: LoadPlan, now: number): number {
  return store.transaction(() => {
    store.ensureCampaign(plan.campaign, now);
    let added = 0;
    for (const { line: _, ...c } of plan.add) if (store.insertContact(c, now) !== undefined) added++;
    return added;
  });
}
