/**
 * Secrets never live in the YAML: a secret field holds `${env:NAME}` (an environment variable)
 * or `${secret:NAME}` (a key of the secrets file named by secrets.file, kept out of git).
 */
export type SecretRef = { source: 'env' | 'secret'; name: string };

const REF = /^\$\{(env|secret):([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function parseSecretRef(text: string): SecretRef | undefined {
  const m = REF.exec(text);
  return m ? { source: m[1] as SecretRef['source'], name: m[2]! } : undefined;
}

/** Where secret values come from at validate or build time. Missing values are not an error for validate. */
export interface SecretValues {
  get(ref: SecretRef): string | undefined;
}

export function secretValues(env: Readonly<Record<string, string | undefined>>, file: Readonly<Record<string, unknown>> = {}): SecretValues {
  return {
    get(ref) {
      const value = ref.source === 'env' ? env[ref.name] : file[ref.name];
      // A number in the secrets file has lost its leading zeros: secrets-file refuses it, nothing uses it.
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
  };
}
