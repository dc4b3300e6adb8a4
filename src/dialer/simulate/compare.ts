import { describeWindow } from '../pacing/profiles.js';
import type { SimResult } from './metrics.js';
import { simulate, type Contender } from './simulator.js';
import type { World } from './world.js';

export interface ComparisonRow extends SimResult {
  /** (policy − progressive) / (oracle − progressive), in occupancy; null when that is not defined. */
  gapClosed: number | null;
}

/** Every policy run on the same simulated campaign. */
export interface Comparison {
  campaign: string;
  profile: { id: string; limit: number; window: string };
  scenario: {
    seed: number;
    agents: number;
    hours: number;
    days: number;
    answerRate: number;
    talkSeconds: number;
    wrapSeconds: number;
    ringSeconds: number;
    amd: boolean;
    contacts: number;
    shifts: { atMinutes: number; factor: number }[];
  };
  /** Occupancy no dialer can pass: talk / (talk + wrap-up) of each agent, averaged. */
  ceiling: number;
  rows: ComparisonRow[];
}

export function compare(world: World, list: Contender[], options: { series?: boolean } = {}): Comparison {
  const sc = world.sc;
  const results = list.map((c) => simulate(world, c, { series: options.series ?? false }));
  const occ = (id: string) => results.find((r) => r.policy === id)?.occupancy;
  const base = occ('progressive');
  const top = occ('oracle');
  const rows = results.map((r) => ({
    ...r,
    gapClosed: base !== undefined && top !== undefined && top - base > 1e-9 ? (r.occupancy - base) / (top - base) : null,
  }));
  return {
    campaign: sc.settings.campaign,
    profile: { id: sc.settings.profile.id, limit: sc.settings.profile.abandonLimit, window: describeWindow(sc.settings.profile.windowSeconds) },
    scenario: {
      seed: sc.seed,
      agents: sc.agents.count,
      hours: sc.hours,
      days: sc.days,
      answerRate: sc.answer.rate,
      talkSeconds: sc.agents.talkMean,
      wrapSeconds: sc.agents.wrapMean,
      ringSeconds: sc.answer.ringMean,
      amd: sc.settings.amd.enabled,
      contacts: world.contacts.count,
      shifts: sc.answer.shifts,
    },
    ceiling: world.ceiling(),
    rows,
  };
}

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)} %`;

/** The comparison as a plain-text table (one row per policy, then the ceiling), and the violations. */
export function formatComparison(c: Comparison): string {
  const s = c.scenario;
  const head = [
    `campaign ${c.campaign}: ${s.agents} agents, ${s.hours} h × ${s.days} day(s), answer rate ${pct(s.answerRate, 0)}, talk ${s.talkSeconds} s, wrap-up ${s.wrapSeconds} s, AMD ${s.amd ? 'on' : 'off'}, seed ${s.seed}` +
      (s.shifts.length > 0 ? `, answer rate ×${s.shifts.map((x) => `${x.factor} at ${x.atMinutes} min`).join(', ×')}` : ''),
    `profile ${c.profile.id}: at most ${pct(c.profile.limit)} of live answers abandoned over ${c.profile.window} (or the campaign, if shorter)`,
    '',
  ];
  const columns = ['policy', 'calls', 'live', 'abandoned', 'worst window', 'over', 'occupancy', 'wait mean/p95', 'reached/agent-h', 'callbacks on time', 'gap closed'];
  const body = c.rows.map((r) => [
    r.policy,
    String(r.callsPlaced),
    String(r.liveAnswers),
    pct(r.abandonRate, 2),
    pct(r.worstWindow, 2),
    `${r.windowsOverLimit}/${r.windows}`,
    pct(r.occupancy),
    `${r.waitMean.toFixed(1)}/${r.waitP95.toFixed(1)} s`,
    r.reachedPerAgentHour.toFixed(1),
    r.callbacksDue > 0 ? `${r.callbacksOnTime}/${r.callbacksDue}` : '–',
    r.gapClosed === null ? '–' : pct(r.gapClosed, 0),
  ]);
  body.push(['ceiling', '', '', '', '', '', pct(c.ceiling), '', '', '', '']);
  const widths = columns.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [...head, line(columns), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ''];
  const broken = c.rows.filter((r) => r.violations.length > 0);
  if (broken.length > 0) {
    out.push('Violations (the simulator checks the profile whatever the policy does):');
    for (const r of broken) for (const v of r.violations) out.push(`  ${r.policy}: ${v.rule} ×${v.count} — ${v.first}`);
  } else out.push('No policy broke a rule of the profile.');
  out.push('');
  return out.join('\n');
}
