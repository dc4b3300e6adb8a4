import { Ajv2020 } from 'ajv/dist/2020.js';

/** One configuration for run-time compilation and the build-time standalone validator, so both judge alike. */
export function createAjv(extra: { code?: { source: boolean } } = {}): Ajv2020 {
  // strictRequired is off because `if/then` names properties declared beside it, which strict mode flags.
  return new Ajv2020({ allErrors: true, strict: true, strictRequired: false, verbose: true, ...extra });
}
