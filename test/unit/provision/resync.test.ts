import { describe, expect, it } from 'vitest';
import type { Ami, AmiMessage } from '../../../src/provision/ami.js';
import { formatResyncText, resync, resyncJson, selectPhones } from '../../../src/provision/resync.js';
import { check } from '../../helpers/project.js';

const PROJECT = `version: 1
name: resync
sites:
  warsaw: { timezone: Europe/Warsaw }
  krakow: { timezone: Europe/Warsaw }
  gdansk: { timezone: Europe/Warsaw }
users:
  - { extension: "1001", name: Anna, site: warsaw, devices: [{ type: snom, model: D785, mac: "00:04:13:4a:1b:2c" }, { type: softphone, name: laptop }] }
  - { extension: "1002", name: Piotr, site: warsaw, devices: [{ type: snom, model: D385, mac: "00:04:13:4a:1b:2d" }] }
  - { extension: "2001", name: Ewa, site: krakow, devices: [{ type: snom, model: "760", mac: "00:04:13:4a:1b:2e" }] }
  - { extension: "3001", name: Jan, site: gdansk, devices: [{ type: softphone, name: desk }] }
`;
const model = check({ 'callplan.yaml': PROJECT }).model!;

describe('selectPhones', () => {
  it('by MAC in any usual form, by site, or all; SNOM phones only', () => {
    expect(selectPhones(model, { macs: ['00-04-13-4A-1B-2D', '0004134a1b2c', '00:04:13:4a:1b:2d'] }).map((p) => p.extension)).toEqual(['1002', '1001']);
    expect(selectPhones(model, { site: 'warsaw' }).map((p) => p.mac)).toEqual(['0004134A1B2C', '0004134A1B2D']);
    expect(selectPhones(model, { site: 'gdansk' })).toEqual([]);
    expect(selectPhones(model, { all: true }).map((p) => p.endpoint)).toEqual(['2001-0004134a1b2e', '1001-0004134a1b2c', '1002-0004134a1b2d']);
  });

  it('refuses no selection, two at once, an unknown MAC or site', () => {
    expect(() => selectPhones(model, {})).toThrow(/--mac MAC \(repeatable\), --site SITE or --all/);
    expect(() => selectPhones(model, { all: true, site: 'warsaw' })).toThrow(/--mac MAC/);
    expect(() => selectPhones(model, { macs: ['00:04:13:ff:ff:ff'] })).toThrow(/no SNOM phone of the project has this MAC/);
    expect(() => selectPhones(model, { macs: ['nope'] })).toThrow(/not a MAC address/);
    expect(() => selectPhones(model, { site: 'poznan' })).toThrow(/no such site \(sites: .*warsaw/);
  });
});

/** An Asterisk manager that knows which endpoints have contacts, and records the NOTIFYs asked of it. */
function fakeAmi(contacts: Record<string, number>, refuse: string[] = []): Ami & { sent: AmiMessage[] } {
  const sent: AmiMessage[] = [];
  const events = Object.entries(contacts).flatMap(([endpoint, n]) => Array.from({ length: n }, (_, i) => ({ Event: 'ContactList', ObjectName: `${endpoint};@${i}`, Endpoint: endpoint })));
  return {
    sent,
    list: async (f) => {
      expect(f.Action).toBe('PJSIPShowContacts');
      const response: AmiMessage = events.length ? { Response: 'Success', EventList: 'start' } : { Response: 'Error', Message: 'No Contacts found' };
      return { response, events };
    },
    action: async (f) => {
      sent.push(f);
      return refuse.includes(f.Endpoint!) ? { Response: 'Error', Message: 'Unable to retrieve endpoint' } : { Response: 'Success', Message: 'NOTIFY sent' };
    },
    close: async () => undefined,
  };
}

describe('resync', () => {
  const phones = selectPhones(model, { all: true });

  it('sends check-sync to the registered phones only, and names the others not registered', async () => {
    const ami = fakeAmi({ '1001-0004134a1b2c': 2, '2001-0004134a1b2e': 1, '1001-laptop': 1 });
    const outcomes = await resync(ami, phones);
    expect(outcomes.map((o) => [o.phone.extension, o.result, o.contacts])).toEqual([
      ['2001', 'sent', 1],
      ['1001', 'sent', 2],
      ['1002', 'not-registered', 0],
    ]);
    expect(ami.sent).toEqual([
      { Action: 'PJSIPNotify', Endpoint: '2001-0004134a1b2e', Option: 'check-sync' },
      { Action: 'PJSIPNotify', Endpoint: '1001-0004134a1b2c', Option: 'check-sync' },
    ]);
    const text = formatResyncText(outcomes);
    expect(text).toMatch(/^MAC +ext +model +site +endpoint +result\n0004134A1B2E +2001 +760 +krakow +2001-0004134a1b2e +sent\n/);
    expect(text).toMatch(/0004134A1B2D +1002 +D385 +warsaw +1002-0004134a1b2d +not registered\n/);
    expect(text).toMatch(/\n3 phones: 2 sent, 1 not registered \(check-sync;reboot=false\)\n$/);
  });

  it('--reboot asks for the reboot entry; --dry-run sends nothing', async () => {
    const ami = fakeAmi({ '1002-0004134a1b2d': 1 });
    await resync(ami, phones, { reboot: true });
    expect(ami.sent).toEqual([{ Action: 'PJSIPNotify', Endpoint: '1002-0004134a1b2d', Option: 'check-sync-reboot' }]);
    const dry = fakeAmi({ '1002-0004134a1b2d': 1 });
    const outcomes = await resync(dry, phones, { dryRun: true });
    expect(dry.sent).toEqual([]);
    expect(outcomes.map((o) => o.result)).toEqual(['not-registered', 'not-registered', 'would-send']);
    expect(resyncJson(outcomes, { dryRun: true })).toMatchObject({ event: 'check-sync;reboot=false', dryRun: true, phones: [{ mac: '0004134A1B2E', result: 'not-registered', contacts: 0 }, {}, { result: 'would-send', contacts: 1 }] });
  });

  it('reads "No Contacts found" as nobody registered, and reports a refused NOTIFY with its reason', async () => {
    expect((await resync(fakeAmi({}), phones)).map((o) => o.result)).toEqual(['not-registered', 'not-registered', 'not-registered']);
    const outcomes = await resync(fakeAmi({ '1001-0004134a1b2c': 1 }, ['1001-0004134a1b2c']), phones);
    expect(outcomes[1]).toMatchObject({ result: 'failed', message: 'Unable to retrieve endpoint' });
  });
});
