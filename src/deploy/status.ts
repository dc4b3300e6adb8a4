import { lastApplied } from './deploy.js';
import { noDrift, type Drift, type NodeHost } from './node-host.js';

export interface NodeStatus {
  node: string;
  /** The release `current` points at. */
  current?: string;
  /** The release Asterisk was last made to run (differs from current after a deploy cut short). */
  applied?: string;
  appliedAt?: string;
  revision?: string;
  by?: string;
  /** Age of the applied release in seconds. */
  ageSeconds?: number;
  drift?: Drift;
  releases: string[];
  /** The last entries of the history, newest first. */
  history: Array<{ at: string; action: string; release: string; result: string; revision?: string; reason?: string }>;
}

export async function nodeStatus(host: NodeHost, node: string, now = new Date()): Promise<NodeStatus> {
  const state = await host.state();
  const applied = lastApplied(state.history) ?? state.current;
  const entry = [...state.history].reverse().find((h) => h.result === 'applied' && h.release === applied);
  const manifest = state.current !== undefined && state.releases.includes(state.current) ? await host.manifest(state.current) : undefined;
  const drift = state.current !== undefined && state.releases.includes(state.current) ? await host.drift(state.current) : undefined;
  const at = entry?.at ?? manifest?.createdAt;
  const revision = entry?.revision ?? manifest?.revision;
  return {
    node,
    ...(state.current !== undefined && { current: state.current }),
    ...(applied !== undefined && { applied }),
    ...(at !== undefined && { appliedAt: at, ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 1000)) }),
    ...(revision !== undefined && { revision }),
    ...(entry?.by !== undefined && { by: entry.by }),
    ...(drift && { drift }),
    releases: state.releases,
    history: [...state.history].reverse().slice(0, 10),
  };
}

export function age(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export function formatStatusText(statuses: readonly NodeStatus[]): string {
  const lines: string[] = [];
  for (const s of statuses) {
    if (s.current === undefined) {
      lines.push(`${s.node}: nothing deployed yet`);
      continue;
    }
    const pending = s.applied !== undefined && s.applied !== s.current ? ` (Asterisk runs ${s.applied}: a deploy was cut short; deploy again)` : '';
    lines.push(`${s.node}: release ${s.current}${pending}, ${s.ageSeconds !== undefined ? `${age(s.ageSeconds)} old` : 'age unknown'}, revision ${s.revision ?? 'unknown'}${s.by ? `, by ${s.by}` : ''}`);
    if (s.drift && !noDrift(s.drift)) {
      lines.push(`  drift: files changed on the host by hand (deploy refuses to overwrite them without --force):`);
      for (const f of s.drift.changed) lines.push(`    changed  ${f}`);
      for (const f of s.drift.missing) lines.push(`    missing  ${f}`);
      for (const f of s.drift.extra) lines.push(`    extra    ${f}`);
    } else lines.push('  no drift: every file is as deployed');
    const older = s.releases.filter((r) => r !== s.current);
    if (older.length) lines.push(`  other releases on the host: ${older.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
