import { PredictivePolicy } from '../pacing/predictive.js';
import { FixedRatioPolicy } from './policies/fixed-ratio.js';
import { IssabelPolicy } from './policies/issabel.js';
import { VicidialPolicy, type AdaptMethod } from './policies/vicidial.js';
import type { Contender } from './simulator.js';

const METHODS: AdaptMethod[] = ['ADAPT_HARD_LIMIT', 'ADAPT_TAPERED', 'ADAPT_AVERAGE'];

/** Every policy of the comparison, in table order. The ceiling is computed, not simulated. */
export function contenders(options: { fixedRatio?: number } = {}): Contender[] {
  const ratio = options.fixedRatio ?? 2;
  const list: Contender[] = [
    { id: 'progressive', label: 'progressive (one call per ready agent)', mode: 'progressive', readSeconds: 0 },
    { id: `fixed-${ratio}`, label: `fixed ratio ${ratio} per ready agent`, policy: () => new FixedRatioPolicy(ratio) },
  ];
  for (const method of METHODS) {
    for (const availableOnly of [false, true]) {
      const p = (s: ConstructorParameters<typeof VicidialPolicy>[0]) => new VicidialPolicy(s, { method, availableOnly });
      const probe = p(dummySettings);
      list.push({ id: probe.id, label: probe.label, policy: (ctx) => p(ctx.settings) });
    }
  }
  list.push(
    { id: 'issabel', label: 'Issabel predictor', policy: () => new IssabelPolicy({ overcommit: false }) },
    { id: 'issabel-overcommit', label: 'Issabel predictor, overcommit', policy: () => new IssabelPolicy({ overcommit: true }) },
    { id: 'ours', label: 'callplan predictive (ours)', policy: (ctx) => new PredictivePolicy(ctx.settings) },
    { id: 'oracle', label: 'statistical oracle (true parameters)', policy: (ctx) => new PredictivePolicy(ctx.settings, { id: 'oracle', label: 'statistical oracle', beliefs: ctx.truth }) },
  );
  return list;
}

// Only for the ids and labels, which do not depend on the settings.
const dummySettings = { predictive: { maxRatio: 3 }, abandonTarget: 0.03, timezone: 'UTC' } as ConstructorParameters<typeof VicidialPolicy>[0];
