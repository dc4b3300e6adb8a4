import { planReloads as planBuildReloads, type FileChange } from '../plan/reloads/index.js';

/**
 * One node's share of plan's reload classification (src/plan/reloads/): the Asterisk CLI
 * commands to run after the switch, in order, and why a restart is needed, if it is. Paths are a
 * release's (`asterisk/…`, `snom/…`), which are the paths of a build without an edge.
 */
export interface ReloadChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

export interface ReloadPlan {
  /** Asterisk CLI commands, in order. */
  commands: string[];
  /** Why a restart is needed; empty when the reloads are enough. */
  restart: string[];
  /** systemd commands for the release's own units (the dialer daemon, the archive timer), after Asterisk's: run for the units installed on the host. */
  units: UnitCommand[];
  /** MACs of SNOM phones whose files changed. */
  phones: string[];
}

/** A systemctl command deploy runs after the switch (plan's `systemctl …` lines). */
export type UnitCommand = { action: 'daemon-reload' } | { action: 'restart'; unit: string };

const UNIT_FILE = /^(?:dialer|archive)\/([^/]+\.(?:service|timer))$/;

/** The systemd unit files a release holds (dialer/, archive/): the units deploy may restart, once installed on the host. */
export const releaseUnits = (paths: Iterable<string>): string[] => [...paths].flatMap((p) => UNIT_FILE.exec(p)?.[1] ?? []).sort();

function unitCommand(command: string): UnitCommand {
  if (command === 'systemctl daemon-reload') return { action: 'daemon-reload' };
  const unit = /^systemctl restart (\S+)$/.exec(command)?.[1];
  if (unit === undefined) throw new Error(`not a systemctl command deploy knows: ${command}`);
  return { action: 'restart', unit };
}

/** Files whose reload depends on which parts changed: their old and new contents must be given (otherwise the safe answer, a restart for pjsip.conf). */
export const READ_BY_PARTS = ['asterisk/pjsip.conf', 'asterisk/queues.conf', 'asterisk/extensions.conf'];

export function planReloads(changes: readonly ReloadChange[], after?: ReadonlyMap<string, string>): ReloadPlan {
  const node = 'node';
  const fileChanges: FileChange[] = changes.map((c) => ({ path: c.path, ...(c.before !== undefined && { before: c.before }), ...(c.after !== undefined && { after: c.after }) }));
  const plan = planBuildReloads(fileChanges, { singleNode: node, pbxHosts: [node], ...(after && { after }) });
  const mine = plan.nodes[node];
  return {
    commands: (mine?.reloads ?? []).filter((r) => r.service === 'asterisk').map((r) => r.command),
    restart: mine?.restart?.service === 'asterisk' ? mine.restart.why : [],
    units: (mine?.reloads ?? []).filter((r) => r.service === 'systemd').map((r) => unitCommand(r.command)),
    phones: plan.phones.map((p) => p.mac),
  };
}
