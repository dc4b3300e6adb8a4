import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignsFile } from '../../../src/dialer/campaigns-file.js';
import { DialerDaemon, outcomeFamily, type ManagerLink } from '../../../src/dialer/daemon/daemon.js';
import { pacingSettings, type SettingsInput } from '../../../src/dialer/pacing/index.js';
import { openDialerState, type DialerState } from '../../../src/dialer/runtime/open.js';
import type { AmiMessage } from '../../../src/provision/ami.js';

/**
 * The daemon against a scripted manager (what it sends, what it is told) over the real durable
 * runtime: originates what the core plans, with the contact's data; turns events into outcomes;
 * reconciles attempts a previous run left unfinished.
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-daemon-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;

const T0 = Date.parse('2026-03-02T10:00:00Z');
const ALL_DAY: SettingsInput = { profile: 'custom', window: { from: 0, to: 24 * 60, days: [true, true, true, true, true, true, true] }, timezone: 'UTC' };

function file(mode: 'progressive' | 'predictive'): CampaignsFile {
  return {
    version: 1,
    project: 'test',
    ami: { host: '127.0.0.1', port: 5038, username: 'callplan-dialer', masterSecret: '${env:M}', purpose: 'ami:callplan-dialer' },
    campaigns: [
      {
        name: 'collect',
        queue: 'collect',
        agents: ['1001', '1002', '1003'].map((extension) => ({ extension, tier: 'primary' as const, interface: `Local/${extension}@cp-queue-members/n` })),
        wrapupSeconds: 0,
        context: 'cp-dialer-collect',
        channel: 'Local/{number}@cp-dialer-collect-out/n',
        callerId: '+48221000099',
        fields: ['case'],
        settings: pacingSettings({ ...ALL_DAY, campaign: 'collect', mode, progressive: { readSeconds: 0 } }),
      },
    ],
  };
}

/** A manager that answers as Asterisk would, and remembers what it was asked. */
class ScriptedManager implements ManagerLink {
  connected = true;
  readonly sent: AmiMessage[] = [];
  paused = new Set<string>();
  up = new Set<string>();
  db = new Map<string, string>();
  refuse = false;
  /** Called with each Originate before its response is returned (an event that overtakes the response). */
  beforeResponse?: (fields: AmiMessage) => void;
  /** While set, Originate responses wait for it (a manager slow to answer). */
  gate?: Promise<void>;
  /** The ActionID each attempt's Originate was answered with (its OriginateResponse carries it). */
  readonly actionIds = new Map<string, string>();
  private id = 0;

  async action(fields: AmiMessage): Promise<AmiMessage> {
    this.sent.push(fields);
    const ActionID = fields.ActionID ?? String(++this.id);
    if (fields.Action === 'Originate' && this.refuse) return { Response: 'Error', ActionID, Message: 'Originate failed' };
    if (fields.Action === 'Originate') this.actionIds.set(variables(fields).CP_ATTEMPT!, ActionID);
    if (fields.Action === 'Originate') this.beforeResponse?.(fields);
    if (fields.Action === 'Originate' && this.gate) await this.gate;
    return { Response: 'Success', ActionID };
  }

  async list(fields: AmiMessage): Promise<{ response: AmiMessage; events: AmiMessage[] }> {
    this.sent.push(fields);
    const response = { Response: 'Success' };
    if (fields.Action === 'QueueStatus') {
      return { response, events: ['1001', '1002', '1003'].map((ext) => ({ Event: 'QueueMember', Queue: fields.Queue!, Interface: `Local/${ext}@cp-queue-members/n`, Status: '1', Paused: this.paused.has(ext) ? '1' : '0', PausedReason: this.paused.has(ext) ? 'break' : '', InCall: '0', LastCall: '0' })) };
    }
    if (fields.Action === 'Status') return { response, events: [...this.up].map((a) => ({ Event: 'Status', Variable: `CP_ATTEMPT=${a}` })) };
    if (fields.Action === 'DBGet') {
      const v = this.db.get(`${fields.Family}/${fields.Key}`);
      return v === undefined ? { response: { Response: 'Error', Message: 'Database entry not found' }, events: [] } : { response, events: [{ Event: 'DBGetResponse', Family: fields.Family!, Key: fields.Key!, Val: v }] };
    }
    return { response, events: [] };
  }

  originates(): AmiMessage[] {
    return this.sent.filter((m) => m.Action === 'Originate');
  }
}

function seeded(n: number, mode: 'progressive' | 'predictive' = 'progressive'): { dir: string; state: DialerState } {
  const dir = path.join(tmp, `d${++dirs}`);
  const state = openDialerState(dir, file(mode).campaigns.map((c) => c.settings), { clock: () => T0 });
  const rt = state.runtimes.get('collect')!;
  for (let i = 0; i < n; i++) rt.pushTask({ id: `C-${i}`, priority: 0, name: `Debtor ${i}`, numbers: [{ number: String(48_600_000_000 + i), type: 'mobile' }], fields: { case: `K-${i}` } });
  return { dir, state };
}

const user = (attempt: string, phase: string, extra: AmiMessage = {}): AmiMessage => ({ Event: 'UserEvent', UserEvent: 'CallplanDialer', Attempt: attempt, Phase: phase, ...extra });
const variables = (o: AmiMessage) => Object.fromEntries(o.Variable!.split(',').map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));

describe('the dialer daemon', () => {
  it('originates one call per ready agent in progressive mode, for that agent, with the contact\'s data', async () => {
    const { state } = seeded(5);
    const manager = new ScriptedManager();
    manager.paused.add('1003');
    const daemon = new DialerDaemon({ file: file('progressive'), runtimes: state.runtimes, manager, clock: () => T0 });
    await daemon.onConnect();
    await daemon.tick();
    const calls = manager.originates();
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => variables(c).CP_AGENT).sort()).toEqual(['1001', '1002']);
    const first = calls[0]!;
    expect(first).toMatchObject({ Channel: expect.stringMatching(/^Local\/486000000\d\d@cp-dialer-collect-out\/n$/), Context: 'cp-dialer-collect', Exten: 's', Async: 'true', CallerID: '+48221000099', Timeout: String(state.runtimes.get('collect')!.settings.predictive.ringTimeoutSeconds * 1000) });
    const v = variables(first);
    expect(v.CP_CONTACT_ID).toMatch(/^C-\d$/);
    expect(new URLSearchParams(v.CP_DATA).get('case')).toMatch(/^K-\d$/);
    // Nothing more while both calls are up and the third agent is paused.
    await daemon.tick();
    expect(manager.originates()).toHaveLength(2);
    state.close();
  });

  it('records what Asterisk reports: answered, connected, ended; a busy Originate; the agent\'s pace once ready again', async () => {
    const { state } = seeded(3);
    const manager = new ScriptedManager();
    let now = T0;
    const daemon = new DialerDaemon({ file: file('progressive'), runtimes: state.runtimes, manager, clock: () => now });
    await daemon.onConnect();
    await daemon.tick();
    const [a, b, c] = manager.originates().map((o) => variables(o).CP_ATTEMPT!);
    now += 8_000;
    daemon.onEvent(user(a!, 'answered'));
    daemon.onEvent(user(a!, 'waiting'));
    daemon.onEvent({ Event: 'QueueMemberStatus', Queue: 'collect', Interface: 'Local/1001@cp-queue-members/n', Status: '2', Paused: '0', InCall: '1', LastCall: '0' });
    daemon.onEvent(user(a!, 'connected', { Agent: '1001' }));
    now += 60_000;
    daemon.onEvent(user(a!, 'ended', { Outcome: 'connected', Agent: '1001' }));
    daemon.onEvent({ Event: 'OriginateResponse', ActionID: manager.actionIds.get(b!)!, Response: 'Failure', Reason: '5' });
    const row = (id: string) => state.store.db.prepare('SELECT outcome, talk_agent AS agent FROM attempts WHERE id = ?').get(id) as { outcome: string; agent: string | null };
    expect(row(a!)).toEqual({ outcome: 'connected', agent: '1001' });
    expect(row(b!).outcome).toBe('busy');
    expect(state.runtimes.get('collect')!.unfinished().map((x) => x.attemptId)).toEqual([c]);
    // The agent's wrap-up ends when the queue says the member is free again: the pace is learnt.
    now += 20_000;
    daemon.onEvent({ Event: 'QueueMemberStatus', Queue: 'collect', Interface: 'Local/1001@cp-queue-members/n', Status: '1', Paused: '0', InCall: '0', LastCall: String(Math.round(now / 1000)) });
    await daemon.tick();
    const pace = state.store.db.prepare("SELECT body FROM events WHERE type = 'agent-done'").all() as { body: string }[];
    expect(pace.map((p) => JSON.parse(p.body))).toEqual([expect.objectContaining({ agent: '1001', talkSeconds: 60, wrapSeconds: 20 })]);
    state.close();
  });

  it("gives an agent the queue's wrap-up after a call put straight through to them, as Asterisk does after a queue call", async () => {
    const { state } = seeded(4);
    const wrapped = { ...file('progressive'), campaigns: [{ ...file('progressive').campaigns[0]!, wrapupSeconds: 5 }] };
    const manager = new ScriptedManager();
    manager.paused.add('1002');
    manager.paused.add('1003');
    let now = T0;
    const daemon = new DialerDaemon({ file: wrapped, runtimes: state.runtimes, manager, clock: () => now });
    await daemon.onConnect();
    await daemon.tick();
    const [call] = manager.originates();
    const attempt = variables(call!).CP_ATTEMPT!;
    const member = (busy: boolean) => ({ Event: 'QueueMemberStatus', Queue: 'collect', Interface: 'Local/1001@cp-queue-members/n', Status: busy ? '2' : '1', Paused: '0', InCall: '0', LastCall: '0' });
    now += 1_000;
    daemon.onEvent(user(attempt, 'answered'));
    daemon.onEvent(member(true));
    daemon.onEvent(user(attempt, 'connected', { Agent: '1001' }));
    now += 30_000;
    daemon.onEvent(user(attempt, 'ended', { Outcome: 'connected', Agent: '1001' }));
    // The call went to the agent's phone, not through the queue: Asterisk's LastCall stays 0.
    daemon.onEvent(member(false));
    for (const after of [100, 4_000]) {
      now = T0 + 31_000 + after;
      await daemon.tick();
      expect(daemon.agents.status('collect', '1001', now)).toBe('wrapup');
      expect(manager.originates()).toHaveLength(1);
    }
    now = T0 + 31_000 + 5_100;
    await daemon.tick();
    expect(daemon.agents.status('collect', '1001', now)).toBe('ready');
    expect(manager.originates()).toHaveLength(2);
    const pace = state.store.db.prepare("SELECT body FROM events WHERE type = 'agent-done'").all() as { body: string }[];
    expect(JSON.parse(pace[0]!.body).wrapSeconds).toBeGreaterThanOrEqual(5);
    state.close();
  });

  it('matches an OriginateResponse that arrives before the response to the Originate itself', async () => {
    const { state } = seeded(1);
    const manager = new ScriptedManager();
    const daemon = new DialerDaemon({ file: file('progressive'), runtimes: state.runtimes, manager, clock: () => T0 });
    manager.beforeResponse = (o) => daemon.onEvent({ Event: 'OriginateResponse', ActionID: o.ActionID!, Response: 'Failure', Reason: '5' });
    await daemon.onConnect();
    await daemon.tick();
    expect(manager.originates()[0]!.ActionID).toBe(variables(manager.originates()[0]!).CP_ATTEMPT);
    expect(state.runtimes.get('collect')!.unfinished()).toEqual([]);
    expect((state.store.db.prepare('SELECT outcome FROM attempts').get() as { outcome: string }).outcome).toBe('busy');
    expect(daemon.calls.size).toBe(0);
    state.close();
  });

  it('sets an agent not ready with a reason and ready again by QueuePause in every queue; the view follows the pause events, whoever paused', async () => {
    const { state } = seeded(0);
    const manager = new ScriptedManager();
    const daemon = new DialerDaemon({ file: file('progressive'), runtimes: state.runtimes, manager, clock: () => T0 });
    await daemon.onConnect();
    expect(daemon.agentsLive().find((a) => a.id === '1002')).toMatchObject({ state: 'ready' });
    expect(await daemon.setAgentState('1002', { state: 'not-ready', reason: 'consultation' })).toEqual({ ok: true, queues: ['collect'] });
    const pause = manager.sent.filter((m) => m.Action === 'QueuePause');
    // No Queue: Asterisk pauses the member in every queue it sits in, as the phone's codes do.
    expect(pause).toEqual([{ Action: 'QueuePause', Interface: 'Local/1002@cp-queue-members/n', Paused: 'true', Reason: 'consultation' }]);
    // What Asterisk 22 sends for it (and for a QueuePause of any AMI client, or *94x from the phone):
    daemon.onEvent({ Event: 'QueueMemberPause', Queue: 'collect', MemberName: 'Local/1002@cp-queue-members/n', Interface: 'Local/1002@cp-queue-members/n', StateInterface: 'Local/1002@cp-queue-members/n', Membership: 'static', Penalty: '0', CallsTaken: '0', LastCall: '0', InCall: '0', Status: '1', Paused: '1', PausedReason: 'consultation' });
    expect(daemon.agentsLive().find((a) => a.id === '1002')).toMatchObject({ state: 'paused', reason: 'consultation' });
    // The pacing core sees the agent paused at once: a progressive tick dials for the two others only.
    expect(daemon.liveState(file('progressive').campaigns[0]!, T0).agents.filter((a) => a.status === 'ready').map((a) => a.id)).toEqual(['1001', '1003']);
    // An older Asterisk names the reason Reason: the same.
    daemon.onEvent({ Event: 'QueueMemberPause', Queue: 'collect', Interface: 'Local/1003@cp-queue-members/n', Paused: '1', Reason: 'break' });
    expect(daemon.agentsLive().find((a) => a.id === '1003')).toMatchObject({ state: 'paused', reason: 'break' });
    expect(await daemon.setAgentState('1002', { state: 'ready' })).toEqual({ ok: true, queues: ['collect'] });
    expect(manager.sent.filter((m) => m.Action === 'QueuePause').at(-1)).toEqual({ Action: 'QueuePause', Interface: 'Local/1002@cp-queue-members/n', Paused: 'false' });
    daemon.onEvent({ Event: 'QueueMemberPause', Queue: 'collect', Interface: 'Local/1002@cp-queue-members/n', Paused: '0', PausedReason: '' });
    expect(daemon.agentsLive().find((a) => a.id === '1002')).toMatchObject({ state: 'ready' });
    expect(daemon.agentsLive().find((a) => a.id === '1002')!.reason).toBeUndefined();
    // Refusals: an agent of no campaign, a reason the project does not have, no manager.
    expect(await daemon.setAgentState('2001', { state: 'ready' })).toMatchObject({ ok: false, reason: 'unknown-agent' });
    expect(await daemon.setAgentState('1001', { state: 'not-ready', reason: 'lunch' })).toEqual({ ok: false, reason: 'unknown-reason', detail: '"lunch" is not an agent status of the project (there are: break, consultation, email, wrap-up)' });
    manager.connected = false;
    expect(await daemon.setAgentState('1001', { state: 'not-ready', reason: 'break' })).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(manager.sent.filter((m) => m.Action === 'QueuePause')).toHaveLength(2);
    state.close();
  });

  it("takes the project's own agent statuses as the reasons, and reports Asterisk refusing the pause", async () => {
    const { state } = seeded(0);
    const manager = new ScriptedManager();
    const action = manager.action.bind(manager);
    manager.action = async (f) => (f.Action === 'QueuePause' ? { Response: 'Error', Message: 'Interface not found' } : action(f));
    const daemon = new DialerDaemon({ file: { ...file('progressive'), agentReasons: ['backoffice', 'lunch'] }, runtimes: state.runtimes, manager, clock: () => T0 });
    expect(daemon.agentReasons()).toEqual(['backoffice', 'lunch']);
    expect(await daemon.setAgentState('1001', { state: 'not-ready', reason: 'consultation' })).toMatchObject({ ok: false, reason: 'unknown-reason' });
    expect(await daemon.setAgentState('1001', { state: 'not-ready', reason: 'lunch' })).toEqual({ ok: false, reason: 'unavailable', detail: 'Asterisk refused the QueuePause of 1001: Interface not found' });
    state.close();
  });

  it('counts an agent two campaigns share once: each works for one campaign at a time, in turn', async () => {
    const base = file('progressive');
    const collect = base.campaigns[0]!;
    const remind = { ...collect, name: 'remind', queue: 'remind', context: 'cp-dialer-remind', channel: 'Local/{number}@cp-dialer-remind-out/n', agents: collect.agents.filter((a) => a.extension !== '1003'), settings: { ...collect.settings, campaign: 'remind' } };
    const two = { ...base, campaigns: [collect, remind] };
    const state = openDialerState(path.join(tmp, `d${++dirs}`), two.campaigns.map((c) => c.settings), { clock: () => T0 });
    for (const c of ['collect', 'remind']) for (let i = 0; i < 4; i++) state.runtimes.get(c)!.pushTask({ id: `${c}-${i}`, priority: 0, numbers: [{ number: String((c === 'collect' ? 48_600_000_000 : 48_700_000_000) + i), type: 'mobile' }], fields: {} });
    const manager = new ScriptedManager();
    let now = T0;
    const daemon = new DialerDaemon({ file: two, runtimes: state.runtimes, manager, clock: () => now });
    await daemon.onConnect();
    await daemon.tick();
    // Three agents are ready, so three calls: 1001 and 1002 work for one campaign (collect, first by name), 1003 is collect's alone.
    const first = manager.originates();
    expect(first.map((o) => `${o.Context} ${variables(o).CP_AGENT}`).sort()).toEqual(['cp-dialer-collect 1001', 'cp-dialer-collect 1002', 'cp-dialer-collect 1003']);
    expect(daemon.liveState(remind, now).agents.map((a) => a.status)).toEqual(['paused', 'paused']);
    // 1001 takes collect's call, talks, hangs up: ready again, they work for remind now (calls spread over the campaigns).
    const call = first.find((o) => variables(o).CP_AGENT === '1001')!;
    const attempt = variables(call).CP_ATTEMPT!;
    const member = (queue: string, busy: boolean) => ({ Event: 'QueueMemberStatus', Queue: queue, Interface: 'Local/1001@cp-queue-members/n', Status: busy ? '2' : '1', Paused: '0', InCall: busy ? '1' : '0', LastCall: busy ? '0' : String(Math.round(now / 1000)) });
    now += 5_000;
    daemon.onEvent(user(attempt, 'answered'));
    for (const q of ['collect', 'remind']) daemon.onEvent(member(q, true));
    daemon.onEvent(user(attempt, 'connected', { Agent: '1001' }));
    expect(daemon.allotment.owner('1001')).toBe('collect');
    now += 30_000;
    daemon.onEvent(user(attempt, 'ended', { Outcome: 'connected', Agent: '1001' }));
    for (const q of ['collect', 'remind']) daemon.onEvent(member(q, false));
    await daemon.tick();
    expect(daemon.allotment.owner('1001')).toBe('remind');
    const second = manager.originates().slice(first.length);
    expect(second.map((o) => `${o.Context} ${variables(o).CP_AGENT}`)).toEqual(['cp-dialer-remind 1001']);
    expect(daemon.liveState(collect, now).agents.find((a) => a.id === '1001')!.status).toBe('paused');
    state.close();
  });

  it('sends the originates of one decision together, not each after the previous one was answered', async () => {
    const { state } = seeded(5);
    const manager = new ScriptedManager();
    let answer!: () => void;
    manager.gate = new Promise((resolve) => (answer = resolve));
    const daemon = new DialerDaemon({ file: file('progressive'), runtimes: state.runtimes, manager, clock: () => T0 });
    await daemon.onConnect();
    const ticking = daemon.tick();
    await new Promise((resolve) => setImmediate(resolve));
    // Three ready agents, three calls on their way while Asterisk has answered none of them.
    expect(manager.originates().map((o) => variables(o).CP_AGENT).sort()).toEqual(['1001', '1002', '1003']);
    answer();
    await ticking;
    expect(state.runtimes.get('collect')!.unfinished()).toHaveLength(3);
    expect(daemon.calls.size).toBe(3);
    state.close();
  });

  it('ends an attempt as failed when Asterisk refuses its Originate', async () => {
    const { state } = seeded(1);
    const manager = new ScriptedManager();
    manager.refuse = true;
    const logs: string[] = [];
    const daemon = new DialerDaemon({ file: file('progressive'), runtimes: state.runtimes, manager, clock: () => T0, log: (l) => logs.push(l) });
    await daemon.onConnect();
    await daemon.tick();
    expect(manager.originates()).toHaveLength(1);
    expect(state.runtimes.get('collect')!.unfinished()).toEqual([]);
    expect((state.store.db.prepare('SELECT outcome FROM attempts').get() as { outcome: string }).outcome).toBe('failed');
    expect(logs.join('\n')).toMatch(/Asterisk refused the Originate of attempt .*: Originate failed/);
    state.close();
  });

  it('after a restart, follows attempts still up, takes the recorded outcome of answered ones, and ends the rest as failed', async () => {
    const { dir, state } = seeded(3);
    const planned = state.runtimes.get('collect')!.plan({ agents: ['1001', '1002', '1003'].map((id) => ({ id, status: 'ready' as const, since: T0 - 1_000 })), calls: [] }, T0).attempts;
    expect(planned).toHaveLength(3);
    state.close(); // the crash: planned and written, never originated or ended

    const again = openDialerState(dir, file('progressive').campaigns.map((c) => c.settings), { clock: () => T0 + 5_000 });
    const [up, answered, lost] = planned.map((a) => a.attemptId) as [string, string, string];
    const manager = new ScriptedManager();
    manager.up.add(up);
    manager.db.set(`${outcomeFamily(T0 + 5_000)}/${answered}`, 'connected/1002/1772445600');
    const daemon = new DialerDaemon({ file: file('progressive'), runtimes: again.runtimes, manager, clock: () => T0 + 5_000 });
    await daemon.onConnect();
    const rt = again.runtimes.get('collect')!;
    expect(rt.unfinished().map((a) => a.attemptId)).toEqual([up]);
    expect(daemon.calls.has(up)).toBe(true);
    const row = (id: string) => again.store.db.prepare('SELECT outcome, talk_agent AS agent FROM attempts WHERE id = ?').get(id) as { outcome: string; agent: string | null };
    expect(row(answered)).toEqual({ outcome: 'connected', agent: '1002' });
    expect(row(lost).outcome).toBe('failed');
    // The call still up ends later, live.
    daemon.onEvent(user(up, 'ended', { Outcome: 'abandoned' }));
    expect(row(up).outcome).toBe('abandoned');
    expect(rt.unfinished()).toEqual([]);
    again.close();
  });
});
