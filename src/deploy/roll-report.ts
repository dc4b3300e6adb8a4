import { formatOutcome } from './report.js';
import type { RollReport, RollResult } from './roll.js';

/** Where a node is left in the edge, one line (none when nothing happened at the edge worth saying). */
function rotationLine(r: RollResult, edge: string): string | undefined {
  const left = r.callsLeft ? `; ${r.callsLeft} call${r.callsLeft === 1 ? ' was' : 's were'} still up when the drain timeout passed (they went on)` : '';
  switch (r.rotation) {
    case 'back':
      return `  drained at ${edge} for the deploy, back in rotation${r.status === 'rolled-back' ? ' on its previous release' : ''}${left}`;
    case 'left-drained':
      return `  left drained at ${edge}: ${r.edgeNote ?? ''}${left}`;
    case 'kept-drained':
      return `  drained at ${edge} before the deploy (by hand): left drained${left}`;
    case 'not-drained':
      return r.edgeNote ? `  ${r.edgeNote}` : undefined;
    default:
      return undefined;
  }
}

const names = (rs: readonly { node: string }[]) => rs.map((r) => r.node).join(', ') || 'none';

/** The roll's report: each node as a deploy reports it, where the edge has it, and when the roll stopped, what was done and what was not. */
export function formatRoll(report: RollReport, edge: string): string {
  let out = '';
  for (const r of report.results) {
    out += formatOutcome(r);
    const line = rotationLine(r, edge);
    if (line) out += `${line}\n`;
  }
  const failed = report.results.filter((r) => r.status !== 'deployed' && r.status !== 'unchanged');
  if (failed.length > 0 || report.skipped.length > 0) {
    const done = report.results.filter((r) => r.status === 'deployed' || r.status === 'unchanged');
    out += `roll stopped: deployed: ${names(done)}; failed: ${names(failed)}; not touched: ${report.skipped.join(', ') || 'none'}\n`;
  }
  return out;
}
