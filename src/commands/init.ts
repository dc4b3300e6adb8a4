import { Args, Flags } from '@oclif/core';
import * as fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { readSchemaText } from '../model/schema/schema-file.js';

const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/init/', import.meta.url));

/** Template file → file in the new project (dotfiles are stored without the dot so npm packs them). */
const RENAMES: Record<string, string> = { gitignore: '.gitignore' };

export default class Init extends BaseCommand {
  static override summary = 'Write a small, valid, commented starter project.';
  static override description = `Writes callplan.yaml, a users/ file, a .gitignore that keeps secrets.yaml and build/ out of git, and a copy of the JSON Schema in .callplan/ that editors pick up through the yaml-language-server modeline at the top of each file. Refuses to overwrite existing files.`;
  static override examples = ['<%= config.bin %> <%= command.id %> my-pbx', '<%= config.bin %> <%= command.id %>'];
  static override args = {
    dir: Args.string({ description: 'Directory for the new project (created if missing).', default: '.' }),
  };
  static override flags = {
    force: Flags.boolean({ description: 'Overwrite existing files.', default: false }),
  };

  async run(): Promise<{ files: string[] }> {
    const { args, flags } = await this.parse(Init);
    const files = new Map<string, string>();
    for (const rel of listTemplate(TEMPLATE_DIR)) {
      const target = RENAMES[rel] ?? rel;
      files.set(target, fs.readFileSync(path.join(TEMPLATE_DIR, rel), 'utf8'));
    }
    files.set('.callplan/callplan.schema.json', readSchemaText());
    files.set('.callplan/callflow-tests.schema.json', fs.readFileSync(new URL('../../schemas/callflow-tests.schema.json', import.meta.url), 'utf8'));
    const existing = [...files.keys()].filter((f) => fs.existsSync(path.join(args.dir, f)));
    if (existing.length > 0 && !flags.force) {
      throw new UsageError(`${args.dir} already has ${existing.join(', ')}; use --force to overwrite`);
    }
    for (const [rel, content] of files) {
      const target = path.join(args.dir, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    this.log(`created a callplan project in ${args.dir}:`);
    for (const rel of [...files.keys()].sort()) this.log(`  ${rel}`);
    this.log(`next: export CALLPLAN_DEVICE_MASTER=... CARRIER_SIP_PASSWORD=... and run: callplan validate ${args.dir}`);
    return { files: [...files.keys()].sort() };
  }
}

function listTemplate(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listTemplate(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}
