import { mkdirSync } from 'node:fs';
import type { SiteState } from '../../../src/callflow/site-state.js';
import type { CallflowTest } from '../../../src/callflow/tests.js';
import { trace, type Trace } from '../../../src/callflow/trace.js';
import type { Model } from '../../../src/model/types.js';
import { gotoTarget } from '../../../src/targets/asterisk/names.js';
import { OVERRIDE_FAMILY } from '../../../src/targets/asterisk/dialplan/sites.js';
import { startAsterisk, type Asterisk, type ConfigFiles } from './asterisk.js';
import { problemsWithOurFiles } from './callplan-pbx.js';
import { asteriskConfigs, devices, forTestMachine, siteStates, steerSites, type Carriers, type ExampleProject } from './example-project.js';
import { callerView, LogTail, startPhoneBank, uacReplay, waitForContacts, type PhoneBank } from './replay.js';
import { uasReject } from './scenarios.js';
import { runSipp, startSippUas, type SippResult, type SippUas } from './sipp.js';

/**
 * One example project on a real Asterisk, for replaying its call-flow tests as SIP calls: every
 * trunk a SIPp carrier that refuses calls with 503 (so an outside call tries every trunk, in
 * order), every device registered by a bank of answering phones, and time of day steered through
 * the model: before each call, each site is made open, closed or on holiday now as it is at the
 * test's `at` (a dialplan reload when that changes).
 */

/** How a real call ended, as read from Asterisk's log and the caller's SIP messages. */
export type RealEnd =
  | { kind: 'answered'; by: string }
  | { kind: 'voicemail'; box: string }
  | { kind: 'conference'; room: string }
  /** Still waiting in a queue when the test hung up (nothing happened for QUIET_MS). */
  | { kind: 'waiting'; queue: string }
  /** Still ringing phones, none answering, when the test hung up. */
  | { kind: 'ringing' }
  /** Dialled out: the number and the trunks tried, in order (each carrier refuses). */
  | { kind: 'outbound'; number: string; trunks: string[] }
  /** Asterisk ended the call itself. */
  | { kind: 'hangup'; status?: number }
  /** Refused without being routed anywhere. */
  | { kind: 'refused'; status: number }
  | { kind: 'unclear'; why: string };

export interface Observed {
  end: RealEnd;
  /** Places (ivr:, queue:, announcement:, group:, site-router:, voicemail:, conference:) the caller's channel went through, repeats collapsed. */
  places: string[];
  /** Users whose phones rang, in the order they first rang. */
  rung: string[];
  /** INVITEs each carrier received during the call (the number dialled). */
  carriers: Record<string, string[]>;
  /** The dialplan steps of the call, for failure messages. */
  steps: string[];
  caller: SippResult;
}

export interface Replayed {
  /** trace of the model as written, at the test's time. */
  trace: Trace;
  /** trace of the steered model (the one Asterisk runs) now. */
  steeredTrace: Trace;
  states: Record<string, SiteState>;
  observed: Observed;
}

export interface ExampleOnAsterisk {
  ast: Asterisk;
  /** The model Asterisk runs before steering (test machine, short timers). */
  model: Model;
  replay(test: CallflowTest): Promise<Replayed>;
  stop(): Promise<void>;
}

/**
 * After this long without a new dialplan step, a call waiting in a queue without max_wait, or
 * ringing phones without a timeout, is taken to stay so (longer than any steered timer, and than
 * a stalled name lookup, see test/e2e/README.md).
 */
const QUIET_MS = 10_000;
/** Keys: the first once the menu waits (Answer, then 0.5 s, then the prompt), then one a second. */
const FIRST_KEY_MS = 1_500;
const KEY_GAP_MS = 1_000;

export async function startExampleOnAsterisk(example: ExampleProject, o: { name: string; network: number }): Promise<ExampleOnAsterisk> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    // Carriers on 127.<network>.0.2, .3 ...: their own addresses, never the phones' 127.0.0.1.
    const carriers: Carriers = {};
    const carrierUas: Record<string, SippUas> = {};
    for (const [i, trunk] of example.model.trunks.entries()) {
      const uas = await startSippUas({ scenario: uasReject(503, 'Service Unavailable'), localIp: `127.${o.network}.0.${i + 2}` });
      stops.push(() => uas.stop());
      carrierUas[trunk.name] = uas;
      carriers[trunk.name] = { ip: uas.ip, port: uas.port };
    }
    let model: Model | undefined;
    let configs: ConfigFiles = {};
    let files = new Map<string, string>();
    const boot = async (): Promise<Asterisk> => {
      const ast = await startAsterisk({
        name: o.name,
        requireModules: ['res_pjsip.so', 'pbx_config.so', 'app_queue.so', 'app_voicemail.so'],
        bootTimeoutMs: 60_000,
        configs: (ctx) => {
          mkdirSync(`${ctx.dir}/recordings`, { recursive: true });
          model = forTestMachine(example.model, { sip: ctx.ports.sip, ami: ctx.ports.ami, carriers, recordings: `${ctx.chrootDir}/recordings` });
          ({ configs, files } = asteriskConfigs(model));
          return configs;
        },
      });
      const problems = problemsWithOurFiles(ast.log());
      if (problems.length) {
        await ast.stop();
        throw new Error(`Asterisk reported problems with the generated files:\n${problems.join('\n')}`);
      }
      return ast;
    };
    const ast = await boot();
    stops.push(() => ast.stop());
    const testModel = model!;
    const registrar = `127.0.0.1:${ast.ports.sip}`;
    const allDevices = devices(files);
    const password = new Map(allDevices.map((d) => [d.name, d.password]));
    const bank = await startPhoneBank({ devices: allDevices, registrar, answer: { ringMs: 100 } });
    stops.push(() => bank.stop());
    await waitForContacts(ast, allDevices.map((d) => d.name), bank.address);

    const owner = new Map(testModel.users.flatMap((u) => u.devices.map((d) => [d.id, u.extension] as const)));
    const places = placesByContext(testModel);
    const tail = new LogTail(`${ast.dir}/log/full`);

    /** Rebuilds with the sites steered and reloads what changed (the dialplan). */
    const steer = async (states: Record<string, SiteState>, now: Date): Promise<Model> => {
      const steered = steerSites(testModel, states, now);
      const built = asteriskConfigs(steered).configs;
      const changed = Object.keys(built).filter((f) => built[f] !== configs[f]);
      if (changed.length) {
        tail.read();
        const from = tail.lines.length;
        await ast.reload(Object.fromEntries(changed.map((f) => [f, built[f]!])));
        tail.read();
        const problems = problemsWithOurFiles(tail.lines.slice(from).join('\n'));
        if (problems.length) throw new Error(`reload of ${changed.join(', ')} reported:\n${problems.join('\n')}`);
        configs = built;
      }
      return steered;
    };

    /** Devices of these users answer from a bank that never answers, until restored. */
    const silence = async (users: string[]): Promise<() => Promise<void>> => {
      const devs = testModel.users.filter((u) => users.includes(u.extension)).flatMap((u) => u.devices.map((d) => ({ name: d.id, password: password.get(d.id)! })));
      if (devs.length === 0) return async () => undefined;
      const silent = await startPhoneBank({ devices: devs, registrar, answer: 'never' });
      await waitForContacts(ast, devs.map((d) => d.name), silent.address).catch(async (e) => {
        await silent.stop();
        throw e;
      });
      return async () => {
        await silent.stop();
        const back: PhoneBank = await startPhoneBank({ devices: devs, registrar, answer: { ringMs: 100 } });
        stops.push(() => back.stop());
        await waitForContacts(ast, devs.map((d) => d.name), back.address);
      };
    };

    const replay = async (test: CallflowTest): Promise<Replayed> => {
      const call = test.call;
      const noAnswer = (call.no_answer ?? []).map((u) => u.replace(/^user:/, ''));
      const at = new Date(call.at);
      const traced = trace(example.model, { to: call.to, from: call.from, at, digits: call.digits, noAnswer, overrides: call.override });
      const states = siteStates(example.model, at);
      const now = new Date();
      const steered = await steer(states, now);
      const steeredTrace = trace(steered, { to: call.to, from: call.from, at: now, digits: call.digits, noAnswer, overrides: call.override });

      // Supervisors' overrides live in AstDB, where the site contexts read them.
      await ast.rx(`database deltree ${OVERRIDE_FAMILY}`);
      for (const [site, state] of Object.entries(call.override ?? {})) await ast.rx(`database put ${OVERRIDE_FAMILY} ${site} ${state}`);
      const restore = await silence(noAnswer);
      try {
        const observed = await placeCall(call, steered);
        return { trace: traced, steeredTrace, states, observed };
      } finally {
        await restore();
        await ast.rx(`database deltree ${OVERRIDE_FAMILY}`);
      }
    };

    /** Places the call, follows it in the log until it ends (or settles), hangs up, and says how it ended. */
    const placeCall = async (call: CallflowTest['call'], steered: Model): Promise<Observed> => {
      const caller = call.from === undefined ? undefined : steered.users.find((u) => u.extension === call.from);
      const device = caller?.devices[0]?.id;
      if (caller && !device) throw new Error(`user ${caller.extension} has no device to call from`);
      const route = steered.inbound.find((r) => r.dids.some((d) => d.replace(/^\+/, '') === call.to.replace(/^\+/, '')));
      const trunk = route?.trunk ?? steered.trunks[0]!.name;
      const invitesBefore = Object.fromEntries(Object.entries(carrierUas).map(([t, u]) => [t, invites(u).length]));
      tail.read();
      const from = tail.lines.length;
      const sipp = runSipp({
        scenario: uacReplay({ from: device ?? call.from ?? 'caller', auth: device !== undefined, digits: call.digits, firstKeyMs: FIRST_KEY_MS, gapMs: KEY_GAP_MS }),
        target: `127.0.0.1:${ast.ports.sip}`,
        service: call.to,
        ...(device ? { auth: { username: device, password: password.get(device)! } } : { localIp: carriers[trunk]!.ip }),
        recvTimeoutMs: 90_000,
        timeoutMs: 90_000,
      });
      let result: SippResult | undefined;
      void sipp.then((r) => (result = r));

      const state = new CallState(owner, places);
      let quietSince = Date.now();
      let settled: RealEnd | undefined;
      const deadline = Date.now() + 45_000;
      while (!settled) {
        await delay(100);
        tail.read();
        if (state.feed(tail.lines.slice(from + state.fed))) quietSince = Date.now();
        settled = state.terminal();
        if (settled) break;
        if (result) {
          // The caller's call is over: what Asterisk logged up to its end decides how.
          await delay(200);
          tail.read();
          state.feed(tail.lines.slice(from + state.fed));
          settled = state.terminal() ?? state.ended(callerView(result));
          break;
        }
        if (Date.now() - quietSince > QUIET_MS) settled = state.settledAs();
        if (Date.now() > deadline) settled = { kind: 'unclear', why: 'no end within 45 s' };
      }
      // The test hangs up through Asterisk: every leg ends, the caller takes Asterisk's BYE or final response.
      if (!result) await ast.rx('channel request hangup all');
      const callerResult = await sipp;
      await idle(ast);
      tail.read();
      state.feed(tail.lines.slice(from + state.fed));
      const received = Object.fromEntries(Object.entries(carrierUas).map(([t, u]) => [t, invites(u).slice(invitesBefore[t]).map(dialled)]));
      return { end: settled, places: state.places, rung: state.rung, carriers: received, steps: state.steps, caller: callerResult };
    };

    return { ast, model: testModel, replay, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

const invites = (u: SippUas) => u.received().filter((m) => m.method === 'INVITE');
const dialled = (m: { firstLine: string }) => /^INVITE sip:([^@;>]+)@/.exec(m.firstLine)?.[1] ?? m.firstLine;

/** Context name → place, for the kinds trace reports (ivr:main from ivr-main, as the target names them). */
function placesByContext(model: Model): Map<string, string> {
  const map = new Map<string, string>();
  const add = (kind: 'ivr' | 'queue' | 'announcement' | 'group' | 'site-router' | 'conference', id: string) => map.set(gotoTarget({ kind, id }).split(',')[0]!, `${kind}:${id}`);
  model.ivr.forEach((m) => add('ivr', m.name));
  model.queues.forEach((q) => add('queue', q.name));
  model.announcements.forEach((a) => add('announcement', a.name));
  model.groups.forEach((g) => add('group', g.name));
  model.siteRouters.forEach((r) => add('site-router', r.name));
  model.conferences.forEach((c) => add('conference', c.name));
  return map;
}

const EXECUTING = /\] VERBOSE\[\d+\](?:\[(C-[0-9a-f]+)\])? pbx\.c: Executing \[([^@\]]*)@([^:\]]+):\d+\] (\w+)\("([^"]*)", "(.*)"\) in new stack$/;
const CALLED = /\] VERBOSE\[\d+\](?:\[(C-[0-9a-f]+)\])? app_dial\.c: Called PJSIP\/([^@\s]+)$/;
const ANSWERED = /\] VERBOSE\[\d+\](?:\[(C-[0-9a-f]+)\])? app_dial\.c: PJSIP\/(\S+)-[0-9a-f]{8} answered /;

/** One call followed through the log: its call id (C-...) is taken from its first dialplan step. */
class CallState {
  fed = 0;
  callId?: string;
  channel?: string;
  readonly places: string[] = [];
  readonly rung: string[] = [];
  readonly steps: string[] = [];
  private readonly apps: { app: string; args: string; context: string }[] = [];
  private answeredBy?: string;
  private readonly dialOuts: { number: string; trunk: string }[] = [];

  constructor(
    private readonly owner: Map<string, string>,
    private readonly placeOf: Map<string, string>,
  ) {}

  /** Takes new log lines; true when the caller's channel ran a new step. */
  feed(lines: string[]): boolean {
    this.fed += lines.length;
    let progressed = false;
    for (const line of lines) {
      const x = EXECUTING.exec(line);
      if (x) {
        const [, id, exten, context, app, channel, args] = x as unknown as string[];
        if (!this.callId && !channel!.startsWith('Local/')) {
          this.callId = id;
          this.channel = channel;
        }
        if (id !== this.callId) continue;
        this.steps.push(`${channel} ${exten}@${context} ${app}(${args})`);
        if (channel !== this.channel) continue;
        progressed = true;
        this.apps.push({ app: app!, args: args!, context: context! });
        const place = context === 'voicemail' ? `voicemail:${exten}` : this.placeOf.get(context!);
        if (place && this.places.at(-1) !== place) this.places.push(place);
        const out = app === 'Dial' ? /^PJSIP\/([^@,]+)@trunk-([^,]+),/.exec(args!) : null;
        if (out) this.dialOuts.push({ number: out[1]!, trunk: out[2]! });
        continue;
      }
      const called = CALLED.exec(line);
      if (called && called[1] === this.callId) {
        const user = this.owner.get(called[2]!);
        if (user && !this.rung.includes(user)) this.rung.push(user);
        continue;
      }
      const answered = ANSWERED.exec(line);
      if (answered && answered[1] === this.callId && !this.answeredBy) this.answeredBy = this.owner.get(answered[2]!);
    }
    return progressed;
  }

  /** An end that needs no more waiting: a phone answered, voicemail or a conference took the call. */
  terminal(): RealEnd | undefined {
    if (this.answeredBy) return { kind: 'answered', by: this.answeredBy };
    const last = this.apps.at(-1);
    if (last?.app === 'VoiceMail') return { kind: 'voicemail', box: last.args.split('@')[0]! };
    if (last?.app === 'ConfBridge') return { kind: 'conference', room: (this.places.at(-1) ?? '').replace(/^conference:/, '') };
    return undefined;
  }

  /** The caller's call is over before any of those: Asterisk ended it, or dialled out, or refused it. */
  ended(caller: ReturnType<typeof callerView>): RealEnd {
    if (this.dialOuts.length) return { kind: 'outbound', number: this.dialOuts[0]!.number, trunks: this.dialOuts.map((d) => d.trunk) };
    const routed = this.apps.some((a) => a.app !== 'Hangup');
    if (!caller.answered && caller.failure !== undefined && !routed) return { kind: 'refused', status: caller.failure };
    return { kind: 'hangup', ...(caller.failure !== undefined ? { status: caller.failure } : {}) };
  }

  /**
   * Nothing happened for a while: where the caller waits, if that is for good (a queue without
   * max_wait, phones rung without a timeout). A step with a timeout ends by itself: undefined.
   */
  settledAs(): RealEnd | undefined {
    const last = this.apps.at(-1);
    const args = last?.args.split(',') ?? [];
    if (last?.app === 'Queue') return args[4] ? undefined : { kind: 'waiting', queue: args[0]! };
    if (last?.app === 'Dial') return args[1] ? undefined : { kind: 'ringing' };
    return { kind: 'unclear', why: `the call stays in ${last ? `${last.app}(${last.args}) in ${last.context}` : 'no dialplan step'}` };
  }
}

/** Waits until Asterisk has no channel left (the next call must find every phone free). */
async function idle(ast: Asterisk): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const out = await ast.rx('core show channels count');
    if (/^0 active channels?/m.test(out)) return;
    if (Date.now() > deadline) throw new Error(`channels left after the call:\n${await ast.rx('core show channels')}`);
    await delay(100);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
