import type { Effect } from './effect.js';

/** The dialer daemon's systemd unit (the dialer target writes dialer/<unit>). */
export const DIALER_UNIT = 'callplan-dialer.service';

/**
 * The dialer daemon's files: a graceful restart. Its state is durable (an attempt is written
 * before it is dialled), so on SIGTERM it stops placing calls, leaves the calls it placed to
 * Asterisk, and the new process reconciles them from Asterisk when it starts.
 */
export function dialerEffects(file: string, path: string): Effect[] {
  const effects: Effect[] = [];
  if (/\.(service|timer|socket)$/.test(file)) effects.push(daemonReload(path));
  effects.push({
    kind: 'reload',
    service: 'systemd',
    command: `systemctl restart ${DIALER_UNIT}`,
    why: `${path}: changed; the dialer restarts gracefully (stops placing calls, its placed calls go on in Asterisk, it resumes from its durable state)`,
  });
  return effects;
}

/** archive/: the recordings archive's service and timer. A new service applies at its next run; a new timer must be restarted. */
export function archiveEffects(file: string, path: string): Effect[] {
  const effects: Effect[] = [daemonReload(path)];
  if (file.endsWith('.timer')) {
    effects.push({ kind: 'reload', service: 'systemd', command: `systemctl restart ${file}`, why: `${path}: the schedule changed` });
  }
  return effects;
}

function daemonReload(path: string): Effect {
  return { kind: 'reload', service: 'systemd', command: 'systemctl daemon-reload', why: `${path}: systemd reads unit files again only when told` };
}

/** daemon-reload before any restart of a unit it read. */
export function systemdRank(command: string): number {
  return command === 'systemctl daemon-reload' ? 0 : 1;
}
