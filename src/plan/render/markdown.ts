import { countChanges } from '../semantic/diff.js';
import type { Plan } from '../plan.js';
import { filesLine, phonesLine, restarts, semanticLines, type PlanSource } from './lines.js';

/** GitHub refuses comments over 65,536 characters: the file diffs stop well before. */
export const MARKDOWN_LIMIT = 60_000;

/**
 * The plan as a pull-request comment: the summary and reloads in the open, each file's diff
 * folded in <details>. Text from the model is escaped (a user's name cannot open a tag or break a
 * table); diffs sit in fences longer than any run of backticks they hold.
 */
export function renderMarkdown(plan: Plan, source: PlanSource, limit = MARKDOWN_LIMIT): string {
  const out: string[] = [`### callplan plan: ${escape(source.project)} against ${escape(source.against)}`, ''];
  if (!plan.changed) return [...out, 'No changes: the build is the same.', ''].join('\n');

  const summary = plan.semantic ? countChanges(plan.semantic) : '';
  out.push(`**${escape(summary || 'No change in the model')}** · ${escape(filesLine(plan))}`, '');

  for (const r of restarts(plan)) {
    out.push(`> [!WARNING]`, `> **${escape(r.node)} needs a restart of ${r.service}**: ${r.why.map(escape).join('; ')}`, '');
  }

  if (plan.semantic && plan.semantic.changes.length > 0) {
    out.push('#### Model', '');
    for (const l of semanticLines(plan.semantic.changes)) out.push(`- \`${l.sign}\` ${escape(l.text)}`);
    out.push('');
  }

  const nodes = Object.entries(plan.reloads.nodes).filter(([, r]) => r.reloads.length > 0);
  out.push('#### Reloads', '');
  if (nodes.length === 0) out.push('None.', '');
  else {
    out.push('| node | runs | why |', '|---|---|---|');
    for (const [node, r] of nodes) for (const reload of r.reloads) out.push(`| ${cell(node)} | \`${code(reload.command)}\` | ${reload.why.map(cell).join('<br>')} |`);
    out.push('');
  }
  if (plan.reloads.phones.length > 0) out.push(`Phones to resync (${plan.reloads.phones.length}): ${phonesLine(plan, (m) => `\`${m}\``)}`, '');
  if (plan.reloads.allPhones) out.push(`Every phone resyncs: ${plan.reloads.allPhones.why.map(escape).join('; ')}`, '');
  for (const e of plan.reloads.elsewhere) out.push(`- By hand: \`${code(e.path)}\`, for ${escape(e.why)}`);
  if (plan.reloads.elsewhere.length > 0) out.push('');

  out.push('#### Files', '');
  let used = out.join('\n').length;
  const left: string[] = [];
  for (const f of plan.files) {
    const fence = '`'.repeat(Math.max(3, longestBackticks(f.patch) + 1));
    const block = [`<details><summary><code>${escape(f.path)}</code> ${f.change} (+${f.additions} −${f.deletions})</summary>`, '', `${fence}diff`, f.patch, fence, '', '</details>', ''].join('\n');
    if (used + block.length > limit) {
      left.push(f.path);
      continue;
    }
    out.push(block);
    used += block.length + 1;
  }
  if (left.length > 0) {
    out.push(`${left.length} more file${left.length === 1 ? '' : 's'} not shown (the comment would be too long): ${left.slice(0, 50).map((p) => `\`${code(p)}\``).join(', ')}${left.length > 50 ? ', …' : ''}. Run \`callplan plan\` for every diff.`, '');
  }
  return out.join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([\\`*_[\]|])/g, '\\$1');
}

function cell(text: string): string {
  return escape(text).replace(/\n/g, ' ');
}

/** Inside an inline code span: backticks cannot be escaped, so they are replaced. */
function code(text: string): string {
  return text.replace(/`/g, "'");
}

function longestBackticks(text: string): number {
  let best = 0;
  for (const m of text.matchAll(/`+/g)) best = Math.max(best, m[0].length);
  return best;
}
