import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Comparison } from './compare.js';

const require = createRequire(import.meta.url);

/** uPlot (MIT, github.com/leeoniya/uPlot): small, fast time-series charts, inlined so the page stands alone. */
function uplot(): { js: string; css: string } {
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

const PALETTE = ['#7f7f7f', '#bcbd22', '#1f77b4', '#aec7e8', '#ff7f0e', '#ffbb78', '#2ca02c', '#98df8a', '#9467bd', '#c5b0d5', '#d62728', '#17becf', '#8c564b', '#e377c2'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}&nbsp;%`;

/**
 * A self-contained HTML page: the comparison table, and charts over time of occupancy, the abandon
 * rate of the regulated window and the dial level, one line per policy. No network needed to view it.
 */
export function htmlReport(c: Comparison): string {
  const { js, css } = uplot();
  const rows = c.rows.filter((r) => r.series);
  const minutes = rows[0]?.series?.minutes ?? [];
  const data = {
    minutes,
    limit: c.profile.limit * 100,
    policies: rows.map((r, i) => ({
      id: r.policy,
      label: r.label,
      color: r.policy === 'ours' ? '#d62728' : r.policy === 'oracle' ? '#000000' : PALETTE[i % PALETTE.length],
      occupancy: r.series!.occupancy.map((x) => (x === null ? null : 100 * x)),
      abandon: r.series!.abandon.map((x) => (x === null ? null : 100 * x)),
      level: r.series!.level,
    })),
  };
  const s = c.scenario;
  const table = [
    '<table><thead><tr><th>policy</th><th>calls</th><th>live answers</th><th>abandoned</th><th>worst window</th><th>windows over</th><th>occupancy</th><th>wait mean / p95</th><th>reached per agent-hour</th><th>callbacks on time</th><th>gap closed</th></tr></thead><tbody>',
    ...c.rows.map(
      (r) =>
        `<tr class="${r.policy === 'ours' ? 'ours' : ''}"><td title="${esc(r.label)}">${esc(r.policy)}</td><td>${r.callsPlaced}</td><td>${r.liveAnswers}</td><td>${pct(r.abandonRate, 2)}</td><td class="${r.windowsOverLimit > 0 ? 'bad' : ''}">${pct(r.worstWindow, 2)}</td><td>${r.windowsOverLimit}/${r.windows}</td><td>${pct(r.occupancy)}</td><td>${r.waitMean.toFixed(1)} / ${r.waitP95.toFixed(1)} s</td><td>${r.reachedPerAgentHour.toFixed(1)}</td><td>${r.callbacksDue > 0 ? `${r.callbacksOnTime}/${r.callbacksDue}` : '–'}</td><td>${r.gapClosed === null ? '–' : pct(r.gapClosed, 0)}</td></tr>`,
    ),
    `<tr><td>ceiling</td><td></td><td></td><td></td><td></td><td></td><td>${pct(c.ceiling)}</td><td></td><td></td><td></td><td></td></tr>`,
    '</tbody></table>',
  ].join('\n');
  const violations = c.rows.flatMap((r) => r.violations.map((v) => `<li><b>${esc(r.policy)}</b>: ${esc(v.rule)} ×${v.count} — ${esc(v.first)}</li>`));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>callplan dialer simulation: ${esc(c.campaign)}</title>
<style>${css}
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.ours { font-weight: 600; background: #fff3f3; }
td.bad { color: #b00; font-weight: 600; }
.chart { margin: 0 0 2em; }
</style>
</head>
<body>
<h1>Dialer simulation: campaign ${esc(c.campaign)}</h1>
<p>${s.agents} agents, ${s.hours} h × ${s.days} day(s); answer rate ${Math.round(100 * s.answerRate)} %, mean ring ${s.ringSeconds} s, talk ${s.talkSeconds} s, wrap-up ${s.wrapSeconds} s; AMD ${s.amd ? 'on' : 'off'}; ${s.contacts.toLocaleString('en')} contacts; seed ${s.seed}.
Profile <b>${esc(c.profile.id)}</b>: at most ${pct(c.profile.limit)} of live answers abandoned over ${esc(c.profile.window)} (or the campaign, if shorter).</p>
${table}
${violations.length > 0 ? `<h2>Violations</h2><ul>${violations.join('')}</ul>` : '<p>No policy broke a rule of the profile.</p>'}
<h2>Occupancy (talk time / logged-in time, per ${Math.round((rows[0]?.series?.stepSeconds ?? 300) / 60)} minutes)</h2><div id="occupancy" class="chart"></div>
<h2>Abandon rate of the regulated window ending then</h2><div id="abandon" class="chart"></div>
<h2>Dial level (calls in flight per working agent)</h2><div id="level" class="chart"></div>
<script>${js}</script>
<script>
const DATA = ${JSON.stringify(data).replace(/</g, '\\u003c')};
function chart(id, key, unit) {
  const el = document.getElementById(id);
  const series = [{ label: 'minutes' }].concat(DATA.policies.map((p) => ({ label: p.id, stroke: p.color, width: p.id === 'ours' || p.id === 'oracle' ? 2.5 : 1.2, value: (u, v) => (v == null ? '–' : v.toFixed(2) + unit) })));
  const values = [DATA.minutes].concat(DATA.policies.map((p) => p[key]));
  if (key === 'abandon') {
    series.push({ label: 'limit', stroke: '#b00', dash: [6, 4], width: 1 });
    values.push(DATA.minutes.map(() => DATA.limit));
  }
  new uPlot({ width: Math.min(1100, window.innerWidth - 60), height: 320, scales: { x: { time: false } }, axes: [{ label: 'minutes since the first login' }, { label: unit.trim() || 'calls per agent' }], series }, values, el);
}
chart('occupancy', 'occupancy', ' %');
chart('abandon', 'abandon', ' %');
chart('level', 'level', '');
</script>
</body>
</html>
`;
}
