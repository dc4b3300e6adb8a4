import { createHmac } from 'node:crypto';
import type { Model } from '../model/types.js';
import type { SecretRef, SecretValues } from './refs.js';

/** What a target may ask for while compiling. Values go into generated files only, never into messages. */
export interface SecretResolver {
  value(ref: SecretRef): string;
  /** A password derived from secrets.device_master for one purpose (a device, the AMI user ...). */
  derived(purpose: string): string;
  /** A numeric PIN derived the same way (initial voicemail PINs). */
  derivedPin(purpose: string, digits?: number): string;
}

export class MissingSecretsError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`secrets not set: ${missing.join(', ')}`);
  }
}

/** Stands in for a missing value so compilation can finish and report every missing secret at once. */
const MISSING = '<missing>';

/**
 * A resolver over the environment and secrets file. It records what is missing instead of
 * throwing, so `build` lists every missing secret in one run and then writes nothing.
 */
export function secretResolver(model: Model, values: SecretValues): { resolver: SecretResolver; missing: () => string[] } {
  const missing = new Set<string>();
  const get = (ref: SecretRef, label: string) => {
    const v = values.get(ref);
    if (v === undefined) missing.add(label);
    return v;
  };
  const master = () => {
    const ref = model.secrets.deviceMaster;
    if (!ref) {
      missing.add('secrets.device_master (declare it, e.g. "${env:CALLPLAN_DEVICE_MASTER}")');
      return undefined;
    }
    return get(ref, `\${${ref.source}:${ref.name}} (secrets.device_master)`);
  };
  const hmac = (purpose: string) => {
    const key = master();
    return key === undefined ? undefined : masterHmac(key, purpose);
  };
  return {
    resolver: {
      value: (ref) => get(ref, `\${${ref.source}:${ref.name}}`) ?? MISSING,
      derived: (purpose) => {
        const key = master();
        return key === undefined ? MISSING : derivedSecret(key, purpose);
      },
      derivedPin: (purpose, digits = 6) => {
        const bytes = hmac(purpose);
        return bytes === undefined ? MISSING : String(bytes.readUInt32BE(0) % 10 ** digits).padStart(digits, '0');
      },
    },
    missing: () => [...missing].sort(),
  };
}

const masterHmac = (master: string, purpose: string): Buffer => createHmac('sha256', master).update(`callplan:${purpose}`).digest();

/**
 * The password derived from the master secret for one purpose: what the targets write into
 * configuration and what a tool (the dialer's AMI login) derives again where it runs. 24
 * base64url characters: 144 bits, and safe in every config syntax (no quotes, ; or ,).
 */
export function derivedSecret(master: string, purpose: string): string {
  return masterHmac(master, purpose).toString('base64url').slice(0, 24);
}
