import { DeployRefused, type DeployOutcome, type Inspection } from './deploy.js';
import { HostError, LockedError, noDrift } from './node-host.js';
import { RemoteError } from './remote.js';
import { HostKeyError } from './ssh.js';

/** A node the command could not deploy to, roll back or read, with nothing changed on it. */
export interface NodeFailure {
  node: string;
  status: 'refused';
  message: string;
  hint?: string;
}

export type NodeResult = DeployOutcome | NodeFailure;

/** A node left untouched: why, in one line, and what to do. Anything else is a bug (rethrown). */
export function refusal(node: string, e: unknown): NodeFailure {
  if (e instanceof HostKeyError) return { node, status: 'refused', message: e.message, hint: e.verdict.hint };
  if (e instanceof DeployRefused) return { node, status: 'refused', message: e.message, hint: e.hint };
  if (e instanceof LockedError) return { node, status: 'refused', message: e.message, hint: 'Wait for the other deploy to finish (--lock-timeout to wait longer); a deploy that died lets go of the lock with its connection.' };
  if (e instanceof RemoteError || e instanceof HostError) return { node, status: 'refused', message: e.message };
  throw e;
}


const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function formatOutcome(r: NodeResult, verb = 'deployed'): string {
  switch (r.status) {
    case 'refused':
      return `${r.node}: not ${verb}, nothing changed: ${r.message}\n${r.hint ? `  hint: ${r.hint}\n` : ''}`;
    case 'unchanged':
      return `${r.node}: release ${r.release} is running already; nothing to do\n`;
    case 'deployed': {
      const lines = [
        `${r.node}: ${verb} release ${r.release}${r.previous ? ` (was ${r.previous})` : ''}: ${plural(r.changes.length, 'file')} changed, ${r.restarted ? 'restarted' : `reloads: ${r.reloads.commands.join(', ') || 'none'}`}, ${r.bytesSent} bytes sent`,
      ];
      if (r.forcedOver && !noDrift(r.forcedOver)) lines.push(`  overwrote files changed by hand (--force): ${[...r.forcedOver.changed, ...r.forcedOver.missing, ...r.forcedOver.extra].join(', ')}`);
      const units = r.reloads.units.flatMap((u) => (u.action === 'restart' && !r.unitsNotInstalled.includes(u.unit) ? [u.unit] : []));
      if (units.length) lines.push(`  restarted: ${units.join(', ')}`);
      if (r.unitsNotInstalled.length) lines.push(`  not installed on the host, so not restarted: ${r.unitsNotInstalled.join(', ')} (install once: systemctl link <deploy.root>/current/<dialer|archive>/UNIT, see docs/deploy.md)`);
      if (r.resynced.length) lines.push(`  phones told to resync: ${r.resynced.map((p) => `${p.phone.mac} (${p.result})`).join(', ')}`);
      return `${lines.join('\n')}\n`;
    }
    case 'rolled-back':
      return [`${r.node}: release ${r.release} failed its checks; rolled back to ${r.previous}, which runs again:`, ...r.problems.map((p) => `  ${p}`)].join('\n') + '\n';
    case 'rollback-failed':
      return [
        `${r.node}: release ${r.release} failed its checks:`,
        ...r.problems.map((p) => `  ${p}`),
        r.previous ? `and rolling back to ${r.previous} failed too:` : 'and there is nothing to roll back to:',
        ...r.rollbackProblems.map((p) => `  ${p}`),
        `what to do: ${r.whatToDo}`,
      ].join('\n') + '\n';
  }
}

/** What --dry-run adds to plan's report: the release, and what deploy itself would refuse. */
export function formatInspection(node: string, i: Inspection): string {
  const lines = [`${node}: would deploy release ${i.target.release}${i.applied ? ` over ${i.applied}` : ' (first deploy)'}; nothing was changed (dry run)`];
  if (i.applied === i.target.release && i.state.current === i.target.release) lines[0] = `${node}: release ${i.target.release} is running already; nothing to do`;
  if (i.reloads.restart.length) lines.push(`  needs a restart (--allow-restart): ${i.reloads.restart.join('; ')}`);
  if (i.drift && !noDrift(i.drift)) lines.push(`  drift (deploy refuses without --force): ${[...i.drift.changed, ...i.drift.missing, ...i.drift.extra].join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The exit code for a run over several nodes: the worst outcome. */
export function worst(results: readonly NodeResult[], codes: { rolledBack: number; notRolledBack: number; refused: number }): number {
  if (results.some((r) => r.status === 'rollback-failed')) return codes.notRolledBack;
  if (results.some((r) => r.status === 'rolled-back')) return codes.rolledBack;
  if (results.some((r) => r.status === 'refused')) return codes.refused;
  return 0;
}
