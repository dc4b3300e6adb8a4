import type { RawProject } from './input.js';
import type { Where } from './project.js';
import { entries } from './rules/rule.js';

/** What a secret protects decides how strong it must be. */
export type SecretKind = 'password' | 'master' | 'pin';

export interface SecretField extends Where {
  value: unknown;
  kind: SecretKind;
  label: string;
  /** Values the secret must not contain (the account name, the extension). */
  avoid: string[];
}

/** Every field of a project that holds a secret. One list, shared by the inline-secret and weak-secret rules. */
export function secretFields(raw: RawProject): SecretField[] {
  const out: SecretField[] = [];
  const add = (at: object | undefined, key: string, kind: SecretKind, label: string, avoid: (string | undefined)[] = []) => {
    if (at && key in at) {
      out.push({ at, path: [key], value: (at as Record<string, unknown>)[key], kind, label, avoid: avoid.filter((a): a is string => !!a) });
    }
  };
  add(raw.secrets, 'device_master', 'master', 'secrets.device_master');
  add(raw.secrets, 'external_dialer', 'password', 'secrets.external_dialer', ['callplan-external-dialer']);
  add(raw.provisioning, 'admin_password', 'password', 'provisioning.admin_password', ['admin']);
  add(raw.recording?.archive, 'password', 'password', 'recording.archive.password', [raw.recording?.archive?.username]);
  for (const [name, trunk] of entries(raw.trunks)) add(trunk, 'password', 'password', `trunk ${name} password`, [trunk.username]);
  for (const [name, conf] of entries(raw.conferences)) {
    add(conf, 'pin', 'pin', `conference ${name} pin`, [conf.extension]);
    add(conf, 'admin_pin', 'pin', `conference ${name} admin_pin`, [conf.extension]);
  }
  for (const user of raw.users ?? []) {
    for (const device of user.devices ?? []) add(device, 'password', 'password', `device password of user ${user.extension}`, [user.extension]);
  }
  return out;
}
