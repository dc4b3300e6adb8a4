import { Args, Flags } from '@oclif/core';
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { applyImport } from '../import/apply.js';
import { mapFromObject, parseMapSpec, type ColumnSpec } from '../import/columns.js';
import { CsvSyntaxError, delimiterFlag } from '../import/csv.js';
import { ImportUsageError } from '../import/errors.js';
import { planProjectImport, ProjectHasErrors, ResultHasErrors, type ImportResult } from '../import/import.js';
import { formatImportText, importJson } from '../import/report.js';

export default class Import extends BaseCommand {
  static override summary = 'Import users and their phones from a CSV export into the project.';
  static override description = `Reads a CSV export of an existing fleet (a PBX's bulk export, an HR list, a spreadsheet) and writes one YAML file of users per site, users/imported-<site>.yaml, that the project's include picks up (callplan adds users/imported*.yaml to include when nothing covers it). A row with a MAC becomes a user with a SNOM phone, a row without one a user with a softphone. Passwords are never imported: each phone's SIP password is derived from secrets.device_master.

Columns are found by their header (Extension/Ext, Name/Full name or First name + Last name, E-mail, MAC, Model, Site/Office, Group/Team, in English, Polish or Russian; case and punctuation ignored), or named with --map or --map-file. The delimiter (, ; tab |) is detected from the header line, a byte-order mark decides UTF-8 or UTF-16; Excel's plain "CSV" needs --encoding windows-1250 (or -1251, -1252).

A row is skipped, with its line and every reason, for: an invalid, missing or duplicate extension (against earlier rows and the project's users, queues and conference rooms), a missing or invalid name or e-mail, an unknown site or group, an invalid, duplicate or non-SNOM MAC, an unknown model, a MAC without a model or a SNOM model without a MAC. Before anything is written, the project with the new files is validated in memory.

Exit codes: 0 every row imported; 5 some rows skipped, the others imported; 1 nothing imported (the project or the CSV has errors, or every row was skipped); 2 usage error, or a file to write exists and --force is not given. --dry-run writes nothing and exits the same way.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> people.csv --dry-run',
    '<%= config.bin %> <%= command.id %> export.csv my-pbx --map extension=Ext,name="Full name",mac="MAC address"',
    '<%= config.bin %> <%= command.id %> staff.csv . --encoding windows-1250 --site warsaw --split group',
    '<%= config.bin %> <%= command.id %> people.csv --force --format json',
  ];
  static override args = {
    csv: Args.string({ description: 'The CSV file (- for standard input).', required: true }),
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    map: Flags.string({ description: 'Which column holds which field: extension=Ext,name="Full name",mac=#5 (a header, or a column number); field= for none. Repeatable.', multiple: true, multipleNonGreedy: true }),
    'map-file': Flags.string({ description: 'A YAML file of field: Header lines; --map overrides it.' }),
    delimiter: Flags.string({ description: 'Field delimiter: , ; | or tab. Default: detected from the header line (or an Excel sep= line).', default: 'auto' }),
    encoding: Flags.string({ description: 'Text encoding: utf-8, utf-16le, windows-1250, windows-1251, windows-1252 ... Default: from the byte-order mark, else UTF-8.', default: 'auto' }),
    site: Flags.string({ description: "Site for rows whose site cell is empty (default: the group's site, or the project's only site)." }),
    group: Flags.string({ description: 'Group for rows whose group cell is empty.' }),
    model: Flags.string({ description: 'SNOM model for rows with a MAC and no model.' }),
    dir: Flags.string({ description: 'Folder for the new files, inside the project.', default: 'users' }),
    split: Flags.option({ options: ['site', 'group', 'none'] as const, default: 'site' as const, description: 'One file per site (imported-<site>.yaml), per group (imported-<group>.yaml), or one imported.yaml.' })(),
    'dry-run': Flags.boolean({ description: 'Print the report, write nothing.', default: false }),
    force: Flags.boolean({ description: 'Replace files an earlier import wrote.', default: false }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<object> {
    const { args, flags } = await this.parse(Import);
    const map: ColumnSpec = {};
    let result: ImportResult;
    try {
      if (flags['map-file'] !== undefined) Object.assign(map, mapFromObject(readMapFile(flags['map-file']), flags['map-file']));
      for (const spec of flags.map ?? []) Object.assign(map, parseMapSpec(spec));
      result = planProjectImport({
        csv: { bytes: readCsvBytes(args.csv), name: args.csv === '-' ? 'stdin' : args.csv },
        project: args.path,
        cwd: process.cwd(),
        map,
        encoding: flags.encoding,
        delimiter: delimiterFlag(flags.delimiter),
        site: flags.site,
        group: flags.group,
        model: flags.model,
        dir: flags.dir,
        split: flags.split,
        force: flags.force,
      });
    } catch (e) {
      if (e instanceof ImportUsageError) throw new UsageError(e.message);
      if (e instanceof CsvSyntaxError) {
        this.logToStderr(`${args.csv === '-' ? 'stdin' : args.csv}:${e.line}: error: ${e.message}\n    hint: ${e.hint}\nnothing was imported`);
        return this.exit(EXIT.invalid);
      }
      if (e instanceof ProjectHasErrors || e instanceof ResultHasErrors) {
        process.stderr.write(formatDiagnostics(e.diagnostics, 'text'));
        this.logToStderr(`callplan: ${e.message}${e instanceof ProjectHasErrors ? ' (see callplan validate)' : ''}`);
        return this.exit(EXIT.invalid);
      }
      throw e;
    }
    if (!flags['dry-run'] && result.files.length > 0) applyImport(result);
    const report = importJson(result, flags['dry-run']);
    if (flags.format === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(formatImportText(result, flags['dry-run']));
    if (result.imported.length === 0) return this.exit(EXIT.invalid);
    if (result.skipped.length > 0) return this.exit(EXIT.importSkipped);
    return report;
  }
}

function readCsvBytes(file: string): Uint8Array {
  if (file === '-') return fs.readFileSync(0);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ImportUsageError(`${file}: no such file`);
  return fs.readFileSync(file);
}

function readMapFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new ImportUsageError(`--map-file ${file}: no such file`);
  try {
    return parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ImportUsageError(`--map-file ${file}: not YAML (${(e as Error).message.split('\n')[0]})`);
  }
}
