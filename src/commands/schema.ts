import { Flags } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { BaseCommand } from '../cli/base-command.js';
import { readSchemaText } from '../model/schema/schema-file.js';

export default class Schema extends BaseCommand {
  static override summary = 'Print the JSON Schema of callplan projects.';
  static override description = `The schema (JSON Schema draft 2020-12) that validate applies first. Editors use it through the yaml-language-server modeline that init writes; refresh the project's copy after upgrading callplan.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --out .callplan/callplan.schema.json'];
  static override flags = {
    out: Flags.string({ description: 'Write to this file instead of standard output.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Schema);
    const text = readSchemaText();
    if (flags.out) writeFileSync(flags.out, text);
    else process.stdout.write(text);
  }
}
