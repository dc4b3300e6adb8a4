import { countChanges } from '../semantic/diff.js';
import type { Plan } from '../plan.js';
import { filesLine, phonesLine, restarts, semanticLines, type PlanSource } from './lines.js';

/** The plan for a terminal: summary, reloads per node, then the masked file diffs. */
export function renderText(plan: Plan, source: PlanSource): string {
  const out: string[] = [`Plan for ${source.project} against ${source.against}`, ''];
  if (!plan.changed) return [...out, 'No changes: the build is the same.', ''].join('\n');

  if (plan.semantic) {
    const count = countChanges(plan.semantic);
    out.push(`Model: ${count || 'no change in the model (only generated files differ)'}`);
    for (const l of semanticLines(plan.semantic.changes)) out.push(`  ${l.sign} ${l.text}`);
    out.push('');
  }

  const stop = restarts(plan);
  if (stop.length > 0) {
    out.push('Cannot be applied live:');
    for (const r of stop) {
      out.push(`  ${r.node}: restart of ${r.service} needed`);
      for (const why of r.why) out.push(`    - ${why}`);
    }
    out.push('');
  }

  out.push('Reloads:');
  const nodes = Object.entries(plan.reloads.nodes);
  if (nodes.every(([, r]) => r.reloads.length === 0 && !r.restart)) out.push('  none');
  for (const [node, r] of nodes) {
    if (r.reloads.length === 0 && !r.restart) continue;
    out.push(`  ${node}:`);
    for (const reload of r.reloads) {
      out.push(`    ${reload.command}  (${reload.service})`);
      for (const why of reload.why) out.push(`      - ${why}`);
    }
    if (r.restart) out.push(`    restart ${r.restart.service} (see above)`);
  }
  if (plan.reloads.phones.length > 0) out.push(`  phones to resync (${plan.reloads.phones.length}): ${phonesLine(plan)}`);
  if (plan.reloads.allPhones) out.push(`  every phone resyncs: ${plan.reloads.allPhones.why.join('; ')}`);
  for (const e of plan.reloads.elsewhere) out.push(`  by hand: ${e.path}, for ${e.why}`);
  out.push('');

  out.push(`Files: ${filesLine(plan)}`);
  for (const f of plan.files) out.push(`  ${f.change === 'added' ? '+' : f.change === 'removed' ? '-' : '~'} ${f.path} (+${f.additions} −${f.deletions})`);
  out.push('');
  for (const f of plan.files) out.push(f.patch, '');
  return out.join('\n');
}
