import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/dialer/state/migrations.js';
import { migrate, openStateDatabase, SchemaTooNewError, stateDir, DEFAULT_STATE_DIR } from '../../../src/dialer/state/database.js';
import { attemptRow, contactFromRow, contactHistory, contactToRow, coreContactInput, plannedAttempt, screenData, type ContactRow, type NewContact } from '../../../src/dialer/state/rows.js';
import { DialerStore } from '../../../src/dialer/state/store.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-state-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ANNA: NewContact = {
  campaign: 'collect',
  id: 'C-17',
  priority: 2,
  name: 'Anna Nowak',
  caseNumber: 'K/2026/17',
  timezone: 'Europe/Warsaw',
  numbers: [
    { number: '48601234567', type: 'mobile' },
    { number: '48221234567', type: 'landline', timezone: 'Europe/Berlin' },
  ],
  fields: { balance: '1200.50', creditor: 'Bank A' },
  source: 'load',
  notBefore: 1_700_000_000_000,
};

describe('dialer database', () => {
  it('is created in WAL mode with full sync and every migration applied; reopening applies none again', () => {
    const dir = path.join(tmp, 'fresh');
    const db = openStateDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const instance = new DialerStore(db).instance;
    db.close();
    const again = openStateDatabase(dir);
    // Same instance id: the first migration did not run twice.
    expect(new DialerStore(again).instance).toBe(instance);
    expect(migrate(again)).toBe(MIGRATIONS.length);
    again.close();
  });

  it('migrates a database of an older schema in order, keeping its rows', () => {
    const dir = path.join(tmp, 'older');
    mkdirSync(dir, { recursive: true });
    const old = new Database(path.join(dir, 'dialer.sqlite'));
    old.exec(MIGRATIONS[0]!);
    old.prepare("INSERT INTO meta (key, value) VALUES ('instance', 'abcd0123')").run();
    old.pragma('user_version = 1');
    new DialerStore(old).insertContact(ANNA, 1);
    old.close();
    const db = openStateDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(new DialerStore(db).contactById('collect', 'C-17')).toMatchObject({ name: 'Anna Nowak' });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'attempts_ended'").get()).toEqual({ name: 'attempts_ended' });
    db.close();
  });

  it('refuses a database whose schema is newer than this callplan', () => {
    const dir = path.join(tmp, 'newer');
    const db = openStateDatabase(dir);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openStateDatabase(dir)).toThrow(SchemaTooNewError);
  });

  it('takes its directory from the flag, then CALLPLAN_DIALER_STATE, then /var/lib/callplan-dialer', () => {
    expect(stateDir('/srv/d', { CALLPLAN_DIALER_STATE: '/x' })).toBe('/srv/d');
    expect(stateDir(undefined, { CALLPLAN_DIALER_STATE: '/x' })).toBe('/x');
    expect(stateDir(undefined, {})).toBe(DEFAULT_STATE_DIR);
  });

  it('keeps a contact whole: numbers in order with type and zone, fields, case number; a second insert of the same id changes nothing', () => {
    const store = new DialerStore(openStateDatabase(':memory:'));
    const seq = store.insertContact(ANNA, 5);
    expect(seq).toBeGreaterThan(0);
    expect(store.insertContact({ ...ANNA, name: 'Someone else' }, 6)).toBeUndefined();
    expect(store.contactById('collect', 'C-17')).toEqual({ ...ANNA, seq });
    // The same id in another campaign is another contact.
    expect(store.insertContact({ ...ANNA, campaign: 'sales' }, 7)).toBeGreaterThan(seq!);
  });

  it('refuses rows the schema forbids: no numbers, more than four, an attempt ended without an outcome', () => {
    const store = new DialerStore(openStateDatabase(':memory:'));
    expect(() => store.insertContact({ ...ANNA, numbers: [] }, 1)).toThrow(/1 to 4 numbers/);
    const five = Array.from({ length: 5 }, (_, i) => ({ number: `4860000000${i}`, type: 'mobile' as const }));
    expect(() => store.insertContact({ ...ANNA, numbers: five }, 1)).toThrow(/1 to 4 numbers/);
    const seq = store.insertContact(ANNA, 1)!;
    store.insertAttempt(attemptRow('x-1', 'collect', seq, { contact: 0, numberIndex: 0, number: 48601234567, numberType: 'mobile', kind: 'predictive', ringTimeoutSeconds: 25 }, 10));
    expect(() => store.db.prepare('UPDATE attempts SET ended_at = 20 WHERE id = ?').run('x-1')).toThrow(/CHECK/);
  });
});

describe('rows ↔ core', () => {
  const row: ContactRow = { seq: 9, ...contactToRow(ANNA, 1) };

  it('maps a contact row to the stored contact and back', () => {
    const c = contactFromRow(row);
    expect(c).toEqual({ ...ANNA, seq: 9 });
    const { seq: _, ...written } = row;
    expect(contactToRow(c, 1)).toEqual(written);
  });

  it("gives the core digits as numbers and each number's zone (its own, else the contact's)", () => {
    const zones: (string | undefined)[] = [];
    const input = coreContactInput(row, (tz) => zones.push(tz) - 1);
    expect(input).toEqual({
      id: 'C-17',
      priority: 2,
      notBefore: 1_700_000_000_000,
      numbers: [
        { number: 48601234567, type: 'mobile', zone: 0 },
        { number: 48221234567, type: 'landline', zone: 1 },
      ],
    });
    expect(zones).toEqual(['Europe/Warsaw', 'Europe/Berlin']);
  });

  it('puts the contact id, case number, name and custom fields into the screen-pop data', () => {
    expect(screenData(contactFromRow(row))).toEqual({ contactId: 'C-17', caseNumber: 'K/2026/17', name: 'Anna Nowak', balance: '1200.50', creditor: 'Bank A' });
  });

  it('turns a written-ahead attempt into what the daemon originates', () => {
    const a = attemptRow('ab12cd34-7', 'collect', 9, { contact: 3, numberIndex: 1, number: 48221234567, numberType: 'landline', kind: 'callback', agent: '1001', ringTimeoutSeconds: 25 }, 100);
    expect(plannedAttempt(a, 3, contactFromRow(row))).toEqual({
      attemptId: 'ab12cd34-7',
      campaign: 'collect',
      contact: 3,
      contactId: 'C-17',
      number: '48221234567',
      numberIndex: 1,
      numberType: 'landline',
      kind: 'callback',
      agent: '1001',
      ringTimeoutSeconds: 25,
      data: { contactId: 'C-17', caseNumber: 'K/2026/17', name: 'Anna Nowak', balance: '1200.50', creditor: 'Bank A' },
    });
  });

  it("reads a contact's history from its journal: ends with their number and callback, API callbacks, removals; nothing else", () => {
    const ended = { type: 'ended', at: 50, call: 'a', contact: 3, number: 1, numberType: 'mobile', outcome: 'connected', reserved: false, callback: { at: 900, agent: '1001' } };
    const entries = [
      { type: 'ended', body: JSON.stringify({ ...ended, outcome: 'busy', number: 0, callback: undefined }) },
      { type: 'answered', body: '{}' },
      { type: 'ended', body: JSON.stringify(ended) },
      { type: 'callback', body: JSON.stringify({ type: 'callback', at: 60, callbackAt: 1200 }) },
      { type: 'removed', body: JSON.stringify({ type: 'removed', at: 70 }) },
    ];
    expect(contactHistory(entries)).toEqual([
      { type: 'ended', at: 50, numberIndex: 0, outcome: 'busy' },
      { type: 'ended', at: 50, numberIndex: 1, outcome: 'connected', callback: { at: 900, agent: '1001' } },
      { type: 'callback', at: 1200 },
      { type: 'removed' },
    ]);
  });
});
