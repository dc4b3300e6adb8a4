/**
 * Build step (npm run build): writes oclif.manifest.json, the list of commands with their flags
 * and help. With it oclif answers --version and --help without importing any command, so a
 * start-up never loads the YAML, schema and rule modules it does not need.
 */
import { Plugin } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
await plugin.load();
writeFileSync(new URL('oclif.manifest.json', `file://${root}`), JSON.stringify(plugin.manifest, null, 2) + '\n');
