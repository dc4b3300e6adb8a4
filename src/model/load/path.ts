/** A path into one YAML document, as JSON Pointer segments: ['users', 3, 'extension']. */
export type DocPath = readonly (string | number)[];

/** Parses an ajv `instancePath` (`/users/3/extension`) into segments; digits become indexes. */
export function pointerToPath(pointer: string): DocPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}
