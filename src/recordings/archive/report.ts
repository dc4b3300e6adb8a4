import { Listr } from 'listr2';
import type { Failure } from './errors.js';
import type { ArchiveReporter, ArchiveResult, Plan } from './run.js';
import type { ArchiveUnit } from './select.js';
import type { ArchiveSettings } from './settings.js';
import type { ArchivedUnit } from './transfer.js';

export const formatBytes = (n: number): string =>
  n < 1000 ? `${n} B` : n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : n < 1e9 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e9).toFixed(2)} GB`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const formatSeconds = (s: number): string => (s < 60 ? `${Math.max(0, Math.round(s))} s` : s < 3600 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`);

/** The run's first line: what, from where, to where, how. */
export function planLine(plan: Plan, settings: ArchiveSettings): string {
  const what = `${plural(plan.units, 'recording')} (${plural(plan.files, 'file')}, ${formatBytes(plan.bytes)})`;
  if (settings.dryRun) return `dry run: would archive ${what} from ${settings.source} to ${settings.destination}; nothing is sent or deleted`;
  const local = settings.keepLocal ? 'local copies kept' : 'local copies deleted once verified';
  return `archiving ${what} from ${settings.source} to ${settings.destination}: ${plural(plan.connections, 'connection')}, verify ${settings.verify}, ${local}`;
}

const archivedLine = (u: ArchivedUnit): string => {
  const [main, ...rest] = u.files;
  const notes = [formatBytes(u.files.reduce((a, f) => a + f.bytes, 0)), `verified: ${main!.verified}`];
  for (const f of u.files) {
    if (f.how === 'replaced') notes.push(`replaced a partial ${f.file === main!.file ? '' : 'sidecar '}copy of ${formatBytes(f.replacedBytes ?? 0)}`);
    if (f.how === 'present') notes.push(`${f.file === main!.file ? '' : 'sidecar '}already on the server, not uploaded again`);
  }
  if (u.deletedLocal) notes.push('local deleted');
  return `archived ${main!.file}${rest.length ? ' + sidecar' : ''} → ${main!.remote} (${notes.join(', ')})`;
};

const failureLines = (file: string, f: { message: string; hint: string }): string[] => [`FAILED ${file}: ${f.message.startsWith(`${file}:`) ? f.message.slice(file.length + 2) : f.message}`, `    hint: ${f.hint}`];

const abandonedLines = (units: ArchiveUnit[], f: Failure): string[] => [
  `FAILED ${units.length === 1 ? units[0]!.name : `${units.length} recordings`} not archived: ${f.message}`,
  `    hint: ${f.hint}`,
];

/** Log lines, one per event: for CI, systemd's journal and anything that is not a terminal. */
export class PlainReporter implements ArchiveReporter {
  private sent = 0;
  private total = 0;
  private doneUnits = 0;
  private units = 0;
  private lastProgress = Date.now();
  private readonly t0 = Date.now();

  constructor(
    private readonly settings: ArchiveSettings,
    private readonly out: (line: string) => void,
    private readonly err: (line: string) => void,
    private readonly progressEveryMs = 10_000,
  ) {}

  planned(plan: Plan): void {
    this.total = plan.bytes;
    this.units = plan.units;
    this.out(planLine(plan, this.settings));
    for (const s of plan.skipped) this.out(`skipped ${s.file}: ${s.reason}`);
    for (const d of plan.dryRun ?? []) this.out(`would archive ${d.file} → ${d.remote} (${formatBytes(d.bytes)})`);
  }

  bytes(n: number): void {
    this.sent += n;
  }

  started(): void {}

  archived(u: ArchivedUnit): void {
    this.doneUnits++;
    this.out(archivedLine(u));
    this.maybeProgress();
  }

  failed(unit: ArchiveUnit, f: Failure, retrying: boolean): void {
    this.doneUnits += retrying ? 0 : 1;
    if (retrying) this.out(`retrying ${unit.name} on a new connection: ${f.message}`);
    else for (const l of failureLines(unit.name, f)) this.err(l);
  }

  abandoned(units: ArchiveUnit[], f: Failure): void {
    this.doneUnits += units.length;
    for (const l of abandonedLines(units, f)) this.err(l);
  }

  warn(message: string): void {
    this.err(`warning: ${message}`);
  }

  private maybeProgress(): void {
    const now = Date.now();
    if (now - this.lastProgress < this.progressEveryMs) return;
    this.lastProgress = now;
    this.out(`progress: ${progressText(this.doneUnits, this.units, this.sent, this.total, (now - this.t0) / 1000)}`);
  }

  async end(): Promise<void> {}
}

function progressText(done: number, units: number, sent: number, total: number, seconds: number): string {
  const rate = seconds > 0 ? sent / seconds : 0;
  const eta = rate > 0 && total > sent ? ` · about ${formatSeconds((total - sent) / rate)} left` : '';
  return `${done}/${units} recordings · ${formatBytes(sent)} of ${formatBytes(total)} · ${formatBytes(rate)}/s${eta}`;
}

/** --format json: nothing while running (warnings go to stderr), the summary at the end. */
export class QuietReporter implements ArchiveReporter {
  constructor(private readonly err: (line: string) => void) {}
  planned(): void {}
  bytes(): void {}
  started(): void {}
  archived(): void {}
  failed(): void {}
  abandoned(): void {}
  warn(message: string): void {
    this.err(`warning: ${message}`);
  }
  async end(): Promise<void> {}
}

/**
 * On a terminal: a listr2 display of files, bytes, rate and time left, and what each connection
 * is sending. Failures and warnings are collected and printed after the display ends.
 */
export class TtyReporter implements ArchiveReporter {
  private sent = 0;
  private total = 0;
  private units = 0;
  private done = 0;
  private failedCount = 0;
  private readonly current = new Map<number, string>();
  private readonly later: string[] = [];
  private readonly t0 = Date.now();
  private finish: (() => void) | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly settings: ArchiveSettings,
    private readonly out: (line: string) => void,
    private readonly err: (line: string) => void,
  ) {}

  planned(plan: Plan): void {
    this.total = plan.bytes;
    this.units = plan.units;
    this.out(planLine(plan, this.settings));
    for (const s of plan.skipped.slice(0, 20)) this.out(`skipped ${s.file}: ${s.reason}`);
    if (plan.skipped.length > 20) this.out(`... and ${plan.skipped.length - 20} more skipped`);
    for (const d of plan.dryRun ?? []) this.out(`would archive ${d.file} → ${d.remote} (${formatBytes(d.bytes)})`);
    if (this.settings.dryRun || plan.units === 0) return;
    const finished = new Promise<void>((resolve) => (this.finish = resolve));
    const listr = new Listr(
      [
        {
          title: this.title(),
          task: async (_ctx, task) => {
            const timer = setInterval(() => {
              task.title = this.title();
              task.output = [...this.current.entries()].sort(([a], [b]) => a - b).map(([id, name]) => `connection ${id}: ${name}`).join('\n');
            }, 200);
            try {
              await finished;
            } finally {
              clearInterval(timer);
            }
            task.output = '';
            task.title = `${this.done} of ${plural(this.units, 'recording')} archived${this.failedCount ? `, ${this.failedCount} failed` : ''} (${formatBytes(this.sent)} sent)`;
          },
          rendererOptions: { outputBar: Math.max(1, plan.connections) },
        },
      ],
      { exitOnError: false },
    );
    this.running = listr.run().catch(() => undefined);
  }

  private title(): string {
    return `Archiving: ${progressText(this.done + this.failedCount, this.units, this.sent, this.total, (Date.now() - this.t0) / 1000)}`;
  }

  bytes(n: number): void {
    this.sent += n;
  }

  started(unit: ArchiveUnit, connection: number): void {
    this.current.set(connection, unit.name);
  }

  archived(): void {
    this.done++;
  }

  failed(unit: ArchiveUnit, f: Failure, retrying: boolean): void {
    if (retrying) return;
    this.failedCount++;
    this.later.push(...failureLines(unit.name, f));
  }

  abandoned(units: ArchiveUnit[], f: Failure): void {
    this.failedCount += units.length;
    this.later.push(...abandonedLines(units, f));
  }

  warn(message: string): void {
    if (this.running) this.later.push(`warning: ${message}`);
    else this.err(`warning: ${message}`);
  }

  async end(): Promise<void> {
    this.finish?.();
    await this.running;
    for (const l of this.later) this.err(l);
  }
}

/** The closing lines of a text run. */
export function formatSummary(r: ArchiveResult, settings: ArchiveSettings): string[] {
  if (r.aborted) return [];
  if (settings.dryRun) {
    return [`dry run: ${plural(r.plan.units, 'recording')} would be archived; ${r.plan.skipped.length} skipped, ${r.plan.notDue} not due yet${r.plan.alreadyArchived ? `, ${r.plan.alreadyArchived} already archived (kept locally)` : ''}`];
  }
  const rate = r.seconds > 0 ? ` (${formatBytes(r.sentBytes / r.seconds)}/s)` : '';
  const parts = [
    `${r.archived.length} of ${plural(r.plan.units, 'recording')} archived and verified (${formatBytes(r.bytes)}, ${formatBytes(r.sentBytes)} sent in ${r.seconds.toFixed(1)} s${rate})`,
    `${r.failed.length} failed`,
    `${r.plan.skipped.length} skipped`,
    `${r.plan.notDue} not due yet`,
  ];
  if (r.plan.alreadyArchived) parts.push(`${r.plan.alreadyArchived} already archived earlier (kept locally)`);
  const lines = [`summary: ${parts.join('; ')}`];
  if (r.failed.length > 0) {
    lines.push(`not archived (their local files are kept; run again to retry):`);
    for (const f of r.failed.slice(0, 20)) lines.push(`  ${f.file}: ${f.kind}`);
    if (r.failed.length > 20) lines.push(`  ... and ${r.failed.length - 20} more`);
  }
  return lines;
}

/** --format json: the whole result, for tools. No credentials in it. */
export function summaryJson(r: ArchiveResult, settings: ArchiveSettings, exitCode: number): object {
  return {
    source: settings.source,
    destination: settings.destination,
    dryRun: settings.dryRun,
    verify: settings.verify,
    keepLocal: settings.keepLocal,
    exitCode,
    ...(r.aborted && { error: r.aborted }),
    selected: r.plan.units,
    archived: r.archived,
    failed: r.failed,
    skipped: r.plan.skipped,
    notDue: r.plan.notDue,
    alreadyArchived: r.plan.alreadyArchived,
    ...(r.plan.dryRun && { wouldArchive: r.plan.dryRun }),
    bytes: r.bytes,
    sentBytes: r.sentBytes,
    seconds: Math.round(r.seconds * 1000) / 1000,
  };
}
