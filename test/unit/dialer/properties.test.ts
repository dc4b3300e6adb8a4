import { describe, expect, it } from 'vitest';
import { pacingSettings, PredictivePolicy, type ProfileId } from '../../../src/dialer/pacing/index.js';
import { scenario, simulate, World, type Contender, type ScenarioInput } from '../../../src/dialer/simulate/index.js';

/**
 * Properties of our pacing over many seeds and hard scenarios. Campaigns are short (two hours) so
 * the suite stays fast, which makes them harder, not easier: a two-hour campaign of three agents
 * has about a hundred live answers, so two abandoned calls already break 3 %. Seeds from 1000 up
 * (the benchmark's own seeds are elsewhere; see bench/pacing.js).
 */
const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i);

const HARD: Record<string, Partial<ScenarioInput>> = {
  'a team of 3': { agents: { count: 3 } },
  'a team of 5, 8 % answer': { agents: { count: 5 }, answer: { rate: 0.08 } },
  'a team of 4, 8-minute talks': { agents: { count: 4, talkMean: 480 } },
  '2 of 5 agents leave after an hour': { agents: { count: 5, leaveShare: 0.4, leaveAfterHours: 1 } },
  'the answer rate doubles at 50 minutes': { agents: { count: 5 }, answer: { rate: 0.2, shifts: [{ atMinutes: 50, factor: 2 }] } },
  'the answer rate halves at 50 minutes': { agents: { count: 4 }, answer: { rate: 0.5, shifts: [{ atMinutes: 50, factor: 0.5 }] } },
};

const ours: Contender = { id: 'ours', label: 'ours', policy: (ctx) => new PredictivePolicy(ctx.settings) };

function run(over: Partial<ScenarioInput>, seed: number, profile: ProfileId, amd: boolean) {
  const settings = pacingSettings({ profile, amd: { enabled: amd, falsePositiveRate: 0.005 } });
  const sc = scenario({
    seed,
    hours: 2,
    settings,
    ...over,
    agents: { talkMean: 120, breakEveryMinutes: 45, breakMinutes: 5, ...over.agents },
    answer: { rate: 0.3, ...over.answer },
    amd: { falsePositive: 0.005 },
  });
  return simulate(new World(sc), ours);
}

describe('our pacing never breaks the profile', () => {
  for (const [profile, amd] of [
    ['us-tsr', false],
    ['us-tsr', true],
    // Under uk-ofcom, persons AMD takes for machines count as abandoned: random, whatever the pacing,
    // so in a campaign this small AMD alone can break 3 % (docs/dialer.md). Ofcom's rules without AMD.
    ['uk-ofcom', false],
  ] as const) {
    it.each(Object.keys(HARD))(`${profile}${amd ? ' with AMD' : ''}: %s — no regulated window over the limit, no rule broken, on any seed`, (name) => {
      for (const seed of SEEDS) {
        const r = run(HARD[name]!, seed, profile, amd);
        expect(r.violations, `seed ${seed}: ${JSON.stringify(r.violations)}`).toEqual([]);
        expect(r.worstWindow, `seed ${seed}`).toBeLessThanOrEqual(0.03);
        expect(r.callsPlaced, `seed ${seed}`).toBeGreaterThan(0);
      }
    });
  }
});

describe('our pacing adapts to a sudden change of the answer rate', () => {
  /** Occupancy and abandon rate of minutes [from, to) after the first login. */
  const span = (r: ReturnType<typeof simulate>, from: number, to: number) => {
    const s = r.series!;
    let occ = 0;
    let n = 0;
    let lives = 0;
    let abandons = 0;
    s.minutes.forEach((m, i) => {
      if (m > from && m <= to) {
        if (s.occupancy[i] !== null) {
          occ += s.occupancy[i]!;
          n++;
        }
        lives += s.lives[i]!;
        abandons += s.abandons[i]!;
      }
    });
    return { occupancy: occ / Math.max(1, n), abandon: lives > 0 ? abandons / lives : 0 };
  };

  it.each([
    ['doubles', 0.2, 2],
    ['halves', 0.4, 0.5],
  ])('when it %s, it is under target and back to its occupancy within 15 minutes', (_name, rate, factor) => {
    for (const seed of [2001, 2002]) {
      const sc = scenario({ seed, hours: 3, settings: pacingSettings({}), agents: { count: 20, talkMean: 120, breakEveryMinutes: 0 }, answer: { rate, shifts: [{ atMinutes: 90, factor }] } });
      const r = simulate(new World(sc), ours, { series: true });
      const before = span(r, 45, 90);
      const after = span(r, 105, 165);
      expect(after.abandon, `seed ${seed}`).toBeLessThanOrEqual(0.03);
      expect(after.occupancy, `seed ${seed}: ${before.occupancy.toFixed(3)} before`).toBeGreaterThan(before.occupancy - 0.05);
    }
  });
});
