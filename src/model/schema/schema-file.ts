import { readFileSync } from 'node:fs';

/** schemas/ sits at the package root: three levels above src/model/schema and dist/model/schema alike. */
export const SCHEMA_URL = new URL('../../../schemas/callplan.schema.json', import.meta.url);

export function readSchemaText(): string {
  return readFileSync(SCHEMA_URL, 'utf8');
}
