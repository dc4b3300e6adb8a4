/**
 * Build step (npm run build): compiles the JSON Schema once into a standalone validator module,
 * so no command pays ajv's ~100 ms schema compilation at start-up. It is CommonJS because
 * checkProject is synchronous and Node 20 cannot require an ES module.
 */
import standaloneCode from 'ajv/dist/standalone/index.js';
import { writeFileSync } from 'node:fs';
import { createAjv } from './ajv-options.js';
import { readSchemaText } from './schema-file.js';
import { GENERATED_VALIDATOR } from './validator-module.js';

const ajv = createAjv({ code: { source: true } });
const validate = ajv.compile(JSON.parse(readSchemaText()));
writeFileSync(GENERATED_VALIDATOR, standaloneCode.default(ajv, validate));
