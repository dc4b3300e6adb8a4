import type { LoadPlan } from './plan.js';

export interface LoadReport {
  campaign: string;
  file: string;
  dryRun: boolean;
  rows: number;
  loaded: number;
  alreadyThere: number;
  keptAsBefore: { line: number; id: string }[];
  skipped: { line: number; reasons: string[] }[];
  keyedBy: 'id' | 'content';
  /** The campaign's do-not-call lists: numbers read, how many were new, lines skipped. */
  doNotCall: { file: string; numbers: number; added: number; skipped: { line: number; reasons: string[] }[] }[];
}

export function loadReport(plan: LoadPlan, file: string, loaded: number, dryRun: boolean): LoadReport {
  return { campaign: plan.campaign, file, dryRun, rows: plan.rows, loaded, alreadyThere: plan.unchanged, keptAsBefore: plan.differs, skipped: plan.skipped, keyedBy: plan.keyedBy, doNotCall: [] };
}

/** One summary line, then one line per skipped row and per contact kept as loaded before, at file:line. */
export function formatLoadText(r: LoadReport): string {
  const lines = [
    `${r.file}: ${r.rows} row(s): ${r.loaded} ${r.dryRun ? 'would be loaded' : 'loaded'} into campaign ${r.campaign}, ${r.alreadyThere + r.keptAsBefore.length} already there, ${r.skipped.length} skipped${r.dryRun ? ' (dry run: nothing written)' : ''}`,
  ];
  for (const s of r.skipped) lines.push(`${r.file}:${s.line}: skipped: ${s.reasons.join('; ')}`);
  for (const d of r.keptAsBefore) lines.push(`${r.file}:${d.line}: kept as loaded before: contact ${d.id} is in the campaign with other data (a load never changes a contact; give it a new id, or push it over the API)`);
  for (const d of r.doNotCall) {
    lines.push(`do-not-call ${d.file}: ${d.numbers} number(s), ${d.added} ${r.dryRun ? 'would be added' : 'added'}${d.skipped.length > 0 ? `, ${d.skipped.length} line(s) skipped` : ''}`);
    for (const s of d.skipped) lines.push(`${d.file}:${s.line}: skipped: ${s.reasons.join('; ')}`);
  }
  if (r.keyedBy === 'content') lines.push('note: no id column, so contacts are known by their numbers, name and case number (map one with --map id=HEADER)');
  return lines.join('\n') + '\n';
}
