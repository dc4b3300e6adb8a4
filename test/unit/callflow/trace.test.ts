import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { overrideProblems, trace, type Call } from '../../../src/callflow/trace.js';
import { siteState } from '../../../src/callflow/site-state.js';
import type { Model } from '../../../src/model/types.js';
import { checkProject } from '../../../src/project/check.js';
import { BASE, check } from '../../helpers/project.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const models = new Map<string, Model>();
function example(name: string): Model {
  if (!models.has(name)) models.set(name, checkProject(path.join(REPO, 'examples', name)).model!);
  return models.get(name)!;
}
const at = (iso: string) => new Date(iso);

describe('trace over the examples', () => {
  it.each<[string, string, Omit<Call, 'at'> & { at: string }, { reaches: string[]; outcome: string }]>([
    // Payment centre, Minsk: IVR 1/2 in business hours, out-of-hours message otherwise.
    ['payment-center-by', 'IVR 1 reaches payments', { to: '+375173880000', at: '2026-11-25T10:00+03:00', digits: '1' }, { reaches: ['ivr:greeting', 'queue:payments'], outcome: 'answered' }],
    ['payment-center-by', 'IVR 2 reaches identification', { to: '+375173880000', at: '2026-11-25T10:00+03:00', digits: '2' }, { reaches: ['ivr:greeting', 'queue:identification'], outcome: 'answered' }],
    ['payment-center-by', 'after 21:00 the out-of-hours message', { to: '+375173880000', at: '2026-11-25T21:30+03:00' }, { reaches: ['announcement:out-of-hours'], outcome: 'voicemail' }],
    ['payment-center-by', 'Sunday is closed', { to: '+375173880000', at: '2026-11-29T11:00+03:00' }, { reaches: ['announcement:out-of-hours'], outcome: 'voicemail' }],
    // Sales across Russia: the federal line follows the sun.
    ['sales-ru-follow-the-sun', 'noon in Moscow: Moscow', { to: '+78003014560', at: '2026-11-25T12:00+03:00' }, { reaches: ['site-router:federal-sales', 'queue:sales-moscow'], outcome: 'answered' }],
    ['sales-ru-follow-the-sun', '07:30 in Moscow: Yekaterinburg is open', { to: '+78003014560', at: '2026-11-25T07:30+03:00' }, { reaches: ['queue:sales-yekaterinburg'], outcome: 'answered' }],
    ['sales-ru-follow-the-sun', '01:30 in Moscow: only Sakhalin', { to: '+78003014560', at: '2026-11-25T01:30+03:00' }, { reaches: ['queue:sales-sakhalin'], outcome: 'answered' }],
    ['sales-ru-follow-the-sun', '20:00 in Moscow: every office closed', { to: '+78003014560', at: '2026-11-25T20:00+03:00' }, { reaches: ['announcement:closed'], outcome: 'voicemail' }],
    ['sales-ru-follow-the-sun', 'New Year holidays (yearly range)', { to: '+78003014560', at: '2027-01-05T12:00+03:00' }, { reaches: ['announcement:holiday'], outcome: 'hangup' }],
    // Debt collection: outbound permissions.
    ['debt-collection-pl', 'an office user may not dial premium 70x', { from: '1001', to: '0701234567', at: '2026-11-25T10:00+01:00' }, { reaches: [], outcome: 'refused' }],
    ['debt-collection-pl', 'emergency from anyone', { from: '1001', to: '112', at: '2026-11-25T10:00+01:00' }, { reaches: ['route:emergency'], outcome: 'outbound' }],
    ['debt-collection-pl', 'a carrier dialling a number that is not ours', { to: '+48221234999', at: '2026-11-25T10:00+01:00' }, { reaches: [], outcome: 'refused' }],
  ])('%s: %s', (name, _what, call, expected) => {
    const result = trace(example(name), { ...call, at: at(call.at) });
    for (const ref of expected.reaches) expect(result.reached, result.steps.join('\n')).toContain(ref);
    expect(result.outcome.kind, result.steps.join('\n')).toBe(expected.outcome);
  });

  it('a national call goes out through the route, least-cost first, with the number rewritten', () => {
    const model = example('debt-collection-pl');
    const result = trace(model, { from: '1001', to: '0221234567', at: at('2026-11-25T10:00+01:00') });
    expect(result.outcome).toMatchObject({ kind: 'outbound', route: 'national', number: '+48221234567' });
    const trunks = (result.outcome as { trunks: string[] }).trunks;
    const price = (t: string) => model.trunks.find((x) => x.name === t)!.prices.find((p) => '48221234567'.startsWith(p.prefix.replace(/^\+/, '')))?.perMinute ?? Infinity;
    expect(trunks.map(price)).toEqual([...trunks.map(price)].sort((a, b) => a - b));
  });

  it('30 s no-answer forwarding goes to a colleague of the group', () => {
    const model = example('sales-ru-follow-the-sun');
    const user = model.users.find((u) => u.noAnswer?.after === 30 && u.noAnswer.then[0]?.kind === 'group' && u.devices.length > 0)!;
    const caller = model.users.find((u) => u.extension !== user.extension)!;
    const result = trace(model, { from: caller.extension, to: user.extension, at: at('2026-11-25T12:00+03:00'), noAnswer: [user.extension] });
    expect(result.steps).toContain(`ring user ${user.extension} (${user.name}) for 30 s`);
    expect(result.steps).toContain('no answer: group');
    expect(result.outcome.kind).toBe('answered');
    const by = (result.outcome as { by: string }).by;
    expect(by).not.toBe(user.extension);
    expect(model.users.find((u) => u.extension === by)!.group).toBe(user.group);
  });
});

describe('trace semantics on small projects', () => {
  // BASE's users get a softphone each: only a user with a device can answer.
  const model = (yaml: string) => check({ 'callplan.yaml': yaml.replace(/(name: \w+, site: hq, group: team) \}/g, '$1, devices: [{ type: softphone, name: desk }] }') }).model!;

  it('IVR: no digit replays the menu retries+1 times, then takes on_timeout; an invalid digit counts too', () => {
    const m = model(BASE.replace('    options: { "1": queue:support }', '    options: { "1": queue:support }\n    retries: 1\n    on_timeout: voicemail:1001\n    on_invalid: hangup'));
    const silent = trace(m, { to: '+48221234567', at: at('2026-11-25T10:00+01:00') });
    expect(silent.steps.filter((s) => s.startsWith('IVR menu main'))).toHaveLength(2);
    expect(silent.outcome).toEqual({ kind: 'voicemail', box: '1001' });
    const wrong = trace(m, { to: '+48221234567', at: at('2026-11-25T10:00+01:00'), digits: '97' });
    expect(wrong.outcome.kind).toBe('hangup');
    const corrected = trace(m, { to: '+48221234567', at: at('2026-11-25T10:00+01:00'), digits: '91' });
    expect(corrected.reached).toContain('queue:support');
  });

  it('queues: primary first; backups only if the caller still waits at backup_after; then overflow', () => {
    const yaml = BASE.replace('    members: { primary: [group:team] }', '    members: { primary: [user:1001], backup: [user:1002] }\n    backup_after: 30\n    max_wait: 60\n    overflow: voicemail:1003');
    const at10 = at('2026-11-25T10:00+01:00');
    expect(trace(model(yaml), { from: '1003', to: '600', at: at10 }).outcome).toEqual({ kind: 'answered', by: '1001' });
    expect(trace(model(yaml), { from: '1003', to: '600', at: at10, noAnswer: ['1001'] }).outcome).toEqual({ kind: 'answered', by: '1002' });
    expect(trace(model(yaml), { from: '1003', to: '600', at: at10, noAnswer: ['1001', '1002'] }).outcome).toEqual({ kind: 'voicemail', box: '1003' });
    const late = yaml.replace('backup_after: 30', 'backup_after: 90');
    expect(trace(model(late), { from: '1003', to: '600', at: at10, noAnswer: ['1001'] }).outcome).toEqual({ kind: 'voicemail', box: '1003' });
  });

  it('a supervisor override beats the hours, on a site that has one', () => {
    const m = model(BASE.replace('    timezone: Europe/Warsaw\n', '    timezone: Europe/Warsaw\n    override: true\n'));
    expect(trace(m, { to: '+48221234567', at: at('2026-11-25T10:00+01:00'), overrides: { hq: 'closed' } }).outcome.kind).toBe('hangup');
    expect(overrideProblems(m, { hq: 'closed' })).toEqual([]);
  });

  it('ignores an override the dialplan would not read, and says why', () => {
    const m = model(BASE);
    expect(trace(m, { to: '+48221234567', at: at('2026-11-25T10:00+01:00'), overrides: { hq: 'closed' } }).reached).toContain('ivr:main');
    expect(overrideProblems(m, { hq: 'closed', nowhere: 'open' })).toEqual([
      'override of hq: the site has no supervisor override (add override: true to site hq)',
      'override of nowhere: there is no site nowhere',
    ]);
  });
});

describe('site state in the site\'s own time zone', () => {
  const site = (tz: string, holidays: Model['sites'][number]['holidays'] = []): Model['sites'][number] => ({
    name: 's',
    timezone: tz,
    language: 'en',
    hours: { mon: [{ start: 480, end: 1020 }], tue: [{ start: 480, end: 1020 }], wed: [{ start: 480, end: 1020 }], thu: [{ start: 480, end: 1020 }], fri: [{ start: 480, end: 1020 }], sat: [], sun: [] },
    holidays,
    override: false,
  });

  it.each([
    ['Europe/Warsaw', '2026-11-25T07:59+01:00', 'closed'],
    ['Europe/Warsaw', '2026-11-25T08:00+01:00', 'open'],
    ['Europe/Warsaw', '2026-11-25T16:59+01:00', 'open'],
    ['Europe/Warsaw', '2026-11-25T17:00+01:00', 'closed'],
    // DST: 2026-03-29 02:00 → 03:00 in Warsaw; Monday 30th 08:00 local is 06:00 UTC.
    ['Europe/Warsaw', '2026-03-30T06:00Z', 'open'],
    ['Europe/Warsaw', '2026-03-27T06:00Z', 'closed'],
    ['Europe/Moscow', '2026-11-25T08:30+03:00', 'open'],
    ['Asia/Sakhalin', '2026-11-25T08:30+03:00', 'open'], // 16:30 in Sakhalin
    ['Asia/Sakhalin', '2026-11-25T10:30+03:00', 'closed'], // 18:30 in Sakhalin
    ['Asia/Yekaterinburg', '2026-11-25T05:59+03:00', 'closed'], // 07:59 in Yekaterinburg
    ['Asia/Yekaterinburg', '2026-11-25T06:00+03:00', 'open'], // 08:00 in Yekaterinburg
    ['Europe/Minsk', '2026-11-28T12:00+03:00', 'closed'], // Saturday
  ])('%s at %s is %s', (tz, iso, expected) => {
    expect(siteState(site(tz), new Date(iso)).state).toBe(expected);
  });

  it('a holiday in the site\'s zone, even when it is still the day before in UTC', () => {
    const s = site('Asia/Sakhalin', [{ from: { month: 12, day: 31 }, to: { month: 1, day: 2 }, hours: [] }]);
    expect(siteState(s, new Date('2026-12-30T23:30Z')).state).toBe('holiday'); // 10:30 on the 31st in Sakhalin
    expect(siteState(s, new Date('2027-01-02T10:00+11:00')).state).toBe('holiday');
    expect(siteState(s, new Date('2027-01-04T10:00+11:00')).state).toBe('open');
  });
});
