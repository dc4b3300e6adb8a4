import type { AgentState, LiveStats } from '../api/backend.js';

const STATE_ORDER: readonly AgentState[] = ['ready', 'talking', 'wrapup', 'paused', 'offline'];
const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

/**
 * The statistics as plain lines: agents by state, then a row per campaign (mode, running or
 * paused, calls up, dial level, answer rate, abandon rate against its target over the window,
 * contacts), then every agent not offline with its state, reason and time in it. `now` (ms)
 * gives the time in state.
 */
export function formatStats(s: LiveStats, now = Date.parse(s.at)): string {
  const out: string[] = [];
  out.push(`agents: ${STATE_ORDER.map((st) => `${s.agents.byState[st] ?? 0} ${st === 'wrapup' ? 'wrap-up' : st}`).join(', ')}`);
  out.push('');
  if (s.campaigns.length === 0) out.push('no campaigns');
  else {
    const rows = [['campaign', 'mode', 'state', 'calls', 'level', 'answered', 'abandoned', 'target', 'window', 'contacts']];
    for (const c of s.campaigns) {
      const over = c.abandon.rate !== null && c.abandon.rate > c.abandon.target;
      rows.push([
        c.name,
        c.mode,
        c.paused ? 'paused' : 'running',
        String(c.callsInProgress),
        c.dialLevel.toFixed(2),
        pct(c.answerRate),
        `${pct(c.abandon.rate)} (${c.abandon.abandoned}/${c.abandon.liveAnswers})${over ? ' OVER' : ''}`,
        pct(c.abandon.target),
        window(c.abandon.windowSeconds),
        `${c.contacts.pending} pending, ${c.contacts.dialing} in calls, ${c.contacts.callback} callbacks, ${c.contacts.reached} reached, ${c.contacts.exhausted} exhausted`,
      ]);
    }
    out.push(...table(rows));
  }
  const working = s.agents.list.filter((a) => a.state !== 'offline');
  if (working.length > 0) {
    out.push('');
    const rows = [['agent', 'state', 'since']];
    for (const a of [...working].sort((x, y) => STATE_ORDER.indexOf(x.state) - STATE_ORDER.indexOf(y.state) || (x.id < y.id ? -1 : 1))) {
      rows.push([a.id, a.reason ? `${a.state} (${a.reason})` : a.state, duration(now - Date.parse(a.since))]);
    }
    out.push(...table(rows));
  }
  return out.join('\n') + '\n';
}

function window(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${Math.round(seconds / 60)}m`;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}
