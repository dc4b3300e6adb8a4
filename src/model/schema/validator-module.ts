import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv-options.js';
import { readSchemaText } from './schema-file.js';

/** Written by build-validator.ts beside the compiled code (dist/), never into src/. */
export const GENERATED_VALIDATOR = fileURLToPath(new URL('./schema-validator.generated.cjs', import.meta.url));

let validator: ValidateFunction | undefined;

/** The precompiled validator when the build made one, else the schema compiled now (tests run from src/). */
export function schemaValidator(): ValidateFunction {
  if (!validator) {
    validator = existsSync(GENERATED_VALIDATOR)
      ? (createRequire(import.meta.url)(GENERATED_VALIDATOR) as ValidateFunction)
      : createAjv().compile(JSON.parse(readSchemaText()));
  }
  return validator;
}
