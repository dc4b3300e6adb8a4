import path from 'node:path';
import { loadCallflowTests, type LoadedTest } from '../../../src/callflow/load-tests.js';
import { siteState, localTime, type SiteState } from '../../../src/callflow/site-state.js';
import type { Model, Queue, Site } from '../../../src/model/types.js';
import { realFs } from '../../../src/model/load/project-fs.js';
import { buildFiles } from '../../../src/project/build.js';
import { checkProject } from '../../../src/project/check.js';
import type { SecretValues } from '../../../src/secrets/refs.js';
import { asteriskTarget } from '../../../src/targets/asterisk/index.js';
import { WEEKDAYS } from '../../../src/model/time.js';
import type { ConfigFiles } from './asterisk.js';
import { E2E_ENV } from './callplan-build.js';

/**
 * A project from examples/ (or anywhere) made to run on the test machine without changing where
 * its calls go: the Asterisk node listens on the test instance's loopback ports, every trunk is a
 * SIPp carrier on its own 127.x address (authenticated by that address), device passwords derive
 * from a test master secret, recordings go into the instance folder, and the timers are shortened
 * with their order kept. Time of day is steered through the model (`steerSites`), never the clock.
 */

export interface ExampleProject {
  /** The model as written, for `trace` at the tests' own times. */
  model: Model;
  tests: LoadedTest[];
  rootDir: string;
}

/** Loads and checks a project and its tests/*.yaml; throws on any error. */
export function loadExample(dir: string): ExampleProject {
  const { model, diagnostics, rootDir } = checkProject(dir, { env: E2E_ENV });
  if (!model) throw new Error(`${dir} is invalid:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message} [${d.rule}]`).join('\n')}`);
  const loaded = loadCallflowTests(realFs, rootDir!, path.dirname(rootDir!));
  if (loaded.diagnostics.length) throw new Error(`${dir}/tests is invalid:\n${loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`);
  return { model, tests: loaded.tests, rootDir: rootDir! };
}

/** Where each trunk's carrier is: its SIPp answers on ip:port, and calls from ip are that trunk's. */
export type Carriers = Record<string, { ip: string; port: number }>;

/** Shortened timers (seconds): every user, group and menu waits this long. */
export const STEERED = { ring: 2, menu: 2 } as const;

export interface TestEnvironment {
  sip: number;
  ami: number;
  carriers: Carriers;
  /** The recordings folder as Asterisk sees it (inside its chroot). */
  recordings: string;
}

/**
 * The model rewritten for the test machine. Routing is untouched: DIDs, sites and their order,
 * menus and options, queue members and tiers, no-answer steps, routes and trunk order (listed,
 * priority and prices kept) are as written. What changes:
 *
 *  - the (first) Asterisk node: 127.0.0.1 and the instance's ports, no public address; it is the
 *    only node left (no Kamailio edge), so the build is the single-node asterisk/ tree that phones
 *    and carriers reach directly (the edge has its own test, kamailio-edge.e2e.test.ts);
 *  - trunks: IP-authenticated carriers at the given addresses (a registration trunk's credentials
 *    and transport are the carrier's business, not the call's path);
 *  - secrets: device passwords derived from E2E_ENV's master secret, other secrets a test value;
 *  - the recording folder;
 *  - timers: a user's or group's ring time and a menu's timeout become STEERED; a queue keeps the
 *    order of its ring_timeout, backup_after and max_wait (see steerQueue), and has no wrap-up
 *    time, so each replayed call finds the agents as trace assumes: free.
 */
export function forTestMachine(original: Model, env: TestEnvironment): Model {
  const model = structuredClone(original);
  const node = model.nodes.find((n) => n.role === 'asterisk');
  if (!node) throw new Error(`${model.name}: no asterisk node`);
  Object.assign(node, { address: '127.0.0.1', sipPort: env.sip, amiPort: env.ami, publicAddress: undefined });
  model.nodes = [node];
  for (const trunk of model.trunks) {
    const carrier = env.carriers[trunk.name];
    if (!carrier) throw new Error(`no carrier for trunk ${trunk.name}`);
    Object.assign(trunk, { auth: 'ip', host: carrier.ip, port: carrier.port, transport: 'udp', addresses: [carrier.ip], username: undefined, password: undefined, fromDomain: undefined });
  }
  model.secrets = { deviceMaster: { source: 'env', name: 'CALLPLAN_DEVICE_MASTER' } };
  model.recording.directory = env.recordings;
  for (const user of model.users) if (user.noAnswer) user.noAnswer.after = STEERED.ring;
  for (const group of model.groups) group.ringTimeout = STEERED.ring;
  for (const menu of model.ivr) menu.timeout = STEERED.menu;
  for (const queue of model.queues) steerQueue(queue);
  return model;
}

/** Asterisk's pause between ring attempts (queues.conf retry, as the target writes it). */
const QUEUE_RETRY = 2;

/**
 * A queue's timers made short with the same outcome, in trace and in Asterisk: a member rings 1 s
 * per attempt, attempts start every 1 + retry s, and backups (let in by the penalty rule between
 * attempts) join at the first attempt at or after backup_after. The short backup_after is 2 s when
 * ring_timeout was shorter than it (backups join at the second attempt, 3 s), else 1 s; max_wait
 * is 5 s when the backups had their attempt before it, else as long as backup_after. Throws when
 * trace and Asterisk already disagree on the written timers (backups ring in Asterisk only at an
 * attempt after max_wait although backup_after is shorter), which steering cannot keep.
 */
function steerQueue(q: Queue): void {
  const attempt = q.ringTimeout + QUEUE_RETRY;
  const backupsJoinAt = q.backupAfter <= 0 ? 0 : Math.ceil(q.backupAfter / attempt) * attempt;
  const backups = q.members.some((m) => m.tier === 'backup');
  if (backups && q.maxWait !== undefined && q.backupAfter < q.maxWait && backupsJoinAt >= q.maxWait) {
    throw new Error(`queue ${q.name}: backup_after ${q.backupAfter} s < max_wait ${q.maxWait} s, but Asterisk lets backups ring only at the attempt at ${backupsJoinAt} s`);
  }
  const backupAfter = q.ringTimeout < q.backupAfter ? 2 : 1;
  q.maxWait = q.maxWait === undefined ? undefined : q.backupAfter < q.maxWait ? 5 : backupAfter;
  q.backupAfter = backupAfter;
  q.ringTimeout = 1;
  q.wrapup = 0;
}

/** Every site's state at an instant (without overrides: those are set as the supervisors do, in AstDB). */
export function siteStates(model: Model, at: Date): Record<string, SiteState> {
  return Object.fromEntries(model.sites.map((s) => [s.name, siteState(s, at).state]));
}

/**
 * The model with each site in the given state at any time around `now`: open is open all day
 * every day, closed has no hours, holiday has no hours and a dated holiday from yesterday to
 * tomorrow in the site's zone (so a call near midnight stays on the holiday).
 */
export function steerSites(model: Model, states: Record<string, SiteState>, now: Date): Model {
  const steered = structuredClone(model);
  for (const site of steered.sites) {
    const state = states[site.name];
    if (!state) throw new Error(`no state for site ${site.name}`);
    site.hours = Object.fromEntries(WEEKDAYS.map((d) => [d, state === 'open' ? [{ start: 0, end: 24 * 60 }] : []])) as Site['hours'];
    site.holidays = state === 'holiday' ? [{ name: 'steered', from: dayIn(site, now, -1), to: dayIn(site, now, 1), hours: [] }] : [];
  }
  return steered;
}

function dayIn(site: Site, now: Date, days: number): { year: number; month: number; day: number } {
  const t = localTime(new Date(now.getTime() + days * 86_400_000), site.timezone);
  return { year: t.year, month: t.month, day: t.day };
}

/** Test values for the secrets a build needs besides the device master (conference PINs ...). */
const TEST_SECRETS: SecretValues = {
  get: (ref) => (ref.source === 'env' && ref.name === 'CALLPLAN_DEVICE_MASTER' ? E2E_ENV.CALLPLAN_DEVICE_MASTER : '8642'),
};

/** What `callplan build` writes into asterisk/, as the config files the harness hands to Asterisk. */
export function asteriskConfigs(model: Model): { configs: ConfigFiles; files: Map<string, string> } {
  const files = buildFiles(model, TEST_SECRETS, [asteriskTarget]);
  const configs: ConfigFiles = {};
  for (const [file, content] of files) if (file.startsWith('asterisk/')) configs[file.slice('asterisk/'.length)] = content;
  return { configs, files };
}

/** Every device with its SIP password, as the build provisioned it. */
export function devices(files: Map<string, string>): { name: string; password: string }[] {
  const pjsip = files.get('asterisk/pjsip.conf')!;
  return [...pjsip.matchAll(/^\[(\S+)-auth\]\ntype = auth\nauth_type = userpass\nusername = \1\npassword = (\S+)$/gm)]
    .filter((m) => !m[1]!.startsWith('trunk-'))
    .map((m) => ({ name: m[1]!, password: m[2]! }));
}
