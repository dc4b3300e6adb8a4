import { describe, expect, it } from 'vitest';
import { BASE, check, findings } from '../../helpers/project.js';

const TWO_SITES = BASE.replace('trunks:', `  night:
    timezone: Asia/Sakhalin
    hours:
      mon-fri: "08:00-17:00"
trunks:`);

const ROUTER = `site_routers:
  sun:
    open:
      - { site: hq, to: queue:support }
      - { site: night, to: voicemail:1001 }
    closed: hangup
`;

describe('site routers: follow the sun as a target', () => {
  it('normalize: resolves the sites in order, holiday defaulting to closed', () => {
    const result = check({ 'callplan.yaml': TWO_SITES + ROUTER });
    expect(result.diagnostics).toEqual([]);
    expect(result.model!.siteRouters).toEqual([
      {
        name: 'sun',
        open: [
          { site: 'hq', to: { kind: 'queue', id: 'support' } },
          { site: 'night', to: { kind: 'voicemail', id: '1001' } },
        ],
        closed: { kind: 'hangup' },
        holiday: { kind: 'hangup' },
      },
    ]);
  });

  it('can be the target of a queue overflow and an IVR option', () => {
    const yaml = (TWO_SITES + ROUTER)
      .replace('    members: { primary: [group:team] }', '    members: { primary: [group:team] }\n    overflow: site-router:sun')
      .replace('options: { "1": queue:support }', 'options: { "1": queue:support, "2": site-router:sun }');
    const result = check({ 'callplan.yaml': yaml });
    expect(result.diagnostics.map((d) => d.rule)).toEqual(['overflow-cycle']);
    expect(result.diagnostics[0]!.message).toMatch(/queue:support → site-router:sun → queue:support|site-router:sun → queue:support → site-router:sun/);
  });

  it('reports unknown sites and routers', () => {
    const yaml = (TWO_SITES + ROUTER).replace('{ site: night, to: voicemail:1001 }', '{ site: nite, to: voicemail:1001 }').replace('to: ivr:main }]', 'to: site-router:sunny }]');
    const found = findings({ 'callplan.yaml': yaml }, 'unknown-reference');
    // In file order: the inbound route comes before the router.
    expect(found.map((d) => d.message)).toEqual(['site-router:sunny refers to an unknown site router "sunny"', 'unknown site "nite"']);
    expect(found[0]!.hint).toBe('Did you mean site-router:sun?');
  });

  it('makes menus behind it reachable', () => {
    const yaml = (TWO_SITES + ROUTER.replace('to: queue:support }', 'to: ivr:main }')).replace('open: [{ site: hq, to: ivr:main }]', 'open: [{ site: hq, to: site-router:sun }]');
    expect(check({ 'callplan.yaml': yaml }).diagnostics).toEqual([]);
  });
});

describe('music-on-hold classes', () => {
  it('are defined once and named by queues and conference rooms; default needs no definition', () => {
    const yaml = BASE.replace('    members: { primary: [group:team] }', '    members: { primary: [group:team] }\n    music: calm') + 'music:\n  calm: { directory: /var/lib/asterisk/moh/calm, order: random }\nconferences:\n  board: { extension: "800", music: default }\n';
    const result = check({ 'callplan.yaml': yaml });
    expect(result.diagnostics).toEqual([]);
    expect(result.model!.music).toEqual([{ name: 'calm', directory: '/var/lib/asterisk/moh/calm', order: 'random' }]);
  });

  it('an unknown class is an error at its use', () => {
    const found = findings({ 'callplan.yaml': BASE.replace('    members: { primary: [group:team] }', '    members: { primary: [group:team] }\n    music: jazz') }, 'unknown-reference');
    expect(found).toMatchObject([{ line: 26, column: 12, message: 'unknown music class "jazz"' }]);
  });
});

describe('recording by group and campaign calendars', () => {
  it('a recording policy may select groups; a campaign keeps a site\'s holidays', () => {
    const yaml = `${BASE}recording:
  policies:
    - { name: team, groups: [group:team] }
campaigns:
  c1:
    mode: progressive
    queue: queue:support
    holidays_of: hq
    contacts: { source: api }
    window: { from: "09:00", to: "20:00" }
`;
    const result = check({ 'callplan.yaml': yaml });
    expect(result.diagnostics).toEqual([]);
    expect(result.model!.recording.policies[0]!.groups).toEqual(['team']);
    expect(result.model!.campaigns[0]!.holidaysOf).toBe('hq');
    const bad = findings({ 'callplan.yaml': yaml.replace('groups: [group:team]', 'groups: [group:tem]').replace('holidays_of: hq', 'holidays_of: hqq') }, 'unknown-reference');
    expect(bad.map((d) => d.message)).toEqual(['group:tem refers to an unknown group "tem"', 'unknown site "hqq"']);
  });
});
