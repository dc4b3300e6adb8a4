import { Args, Flags } from '@oclif/core';
import * as fs from 'node:fs';
import path from 'node:path';
import { BaseCommand, UsageError } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import { formatDiagnostics } from '../../diagnostics/formatters/index.js';
import { applyLoad } from '../../dialer/load/apply.js';
import { parseLoadMap, resolveLoadColumns, type LoadMap } from '../../dialer/load/columns.js';
import { planDoNotCall } from '../../dialer/load/do-not-call.js';
import { countryOfTimezone, isCountry } from '../../dialer/load/numbers.js';
import { planLoad } from '../../dialer/load/plan.js';
import { formatLoadText, loadReport, type LoadReport } from '../../dialer/load/report.js';
import { openStateDatabase, stateDir, STATE_FILE } from '../../dialer/state/database.js';
import { contactFromRow } from '../../dialer/state/rows.js';
import { DialerStore } from '../../dialer/state/store.js';
import { CsvSyntaxError, delimiterFlag, readCsv } from '../../import/csv.js';
import { ImportUsageError } from '../../import/errors.js';
import { checkProject } from '../../project/check.js';


export default class DialerLoadCommand extends BaseCommand {
  static override summary = "Load a CSV list of contacts into a campaign's dialer state.";
  static override description = `Reads a contact list (CSV) into the dialer's database for the campaign: up to 4 phone numbers per contact in dialling order, the contact's own id, name, case number, priority, time zone or region, and custom fields that travel with the call to the agent's screen.

Columns come from the campaign's contacts section in the project (numbers in order, number_types, timezone_field, priority_field, fields), then from headers recognised by name (id, name, case, priority, timezone, region, phone1..phone4 ...), and --map overrides both: --map number1=Mobile or --map Mobile=number1. Columns read into no field are custom fields (only those the campaign lists in contacts.fields, when it lists any).

Numbers are normalised to E.164: +48 601 234 567 and 0048601234567 are the same number; a national number needs --country (default: the country of the campaign's time zone). A row is skipped, with its line and every reason, for a number that cannot be one, no number at all, an unknown time zone or region, a priority that is not a whole number, an empty or repeated id. Good rows are kept.

The campaign's do-not-call lists (contacts.do_not_call: CSV files of numbers, relative to the project) are loaded with it: their numbers are never called, in any campaign.

Loading the same file again changes nothing: contacts are known by their id column, or by their numbers, name and case number when there is none; a contact already in the campaign is never changed by a load.

The database is the daemon's (--state, default $CALLPLAN_DIALER_STATE or /var/lib/callplan-dialer); a running daemon picks the new contacts up within a second.

Exit codes: 0 every row loaded (or already there); 12 some rows skipped, the others loaded; 1 nothing loaded because every row was bad, or the project has errors; 2 usage error. --dry-run writes nothing and exits the same way.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --campaign mid-arrears debtors.csv --dry-run',
    '<%= config.bin %> <%= command.id %> --campaign mid-arrears debtors.csv my-pbx --map number1=Mobile --map number2=Home --map id="Client no"',
    '<%= config.bin %> <%= command.id %> --campaign renewals leads.csv --country TR --state /srv/dialer --format json',
  ];
  static override args = {
    csv: Args.string({ description: 'The CSV file (- for standard input).', required: true }),
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file: where the campaign is described.', default: '.' }),
  };
  static override flags = {
    campaign: Flags.string({ description: 'The campaign to load into.', required: true }),
    map: Flags.string({ description: 'Which column holds which field: number1=Mobile,id="Client no" (or Mobile=number1); fields: id, name, case, priority, timezone, region, number1..number4. Repeatable.', multiple: true, multipleNonGreedy: true }),
    country: Flags.string({ description: "ISO country of national numbers (no + or 00), e.g. PL, TR. Default: the country of the campaign's time zone." }),
    state: Flags.string({ description: 'The dialer state directory (default: $CALLPLAN_DIALER_STATE, else /var/lib/callplan-dialer).' }),
    delimiter: Flags.string({ description: 'Field delimiter: , ; | or tab. Default: detected from the header line.', default: 'auto' }),
    encoding: Flags.string({ description: 'Text encoding: utf-8, utf-16le, windows-1250 ... Default: from the byte-order mark, else UTF-8.', default: 'auto' }),
    'dry-run': Flags.boolean({ description: 'Print the report, write nothing.', default: false }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<LoadReport> {
    const { args, flags } = await this.parse(DialerLoadCommand);
    const { diagnostics, model } = checkProject(args.path, { env: process.env });
    if (!model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      this.logToStderr('callplan: the project has errors (see callplan validate); nothing was loaded');
      return this.exit(EXIT.invalid);
    }
    const campaign = model.campaigns.find((c) => c.name === flags.campaign);
    if (!campaign) throw new UsageError(`--campaign ${flags.campaign}: no such campaign (there are: ${model.campaigns.map((c) => c.name).join(', ') || 'none'})`);
    const timezone = campaign.contacts.timezone ?? model.sites[0]?.timezone;
    const country = flags.country?.toUpperCase() ?? countryOfTimezone(timezone);
    if (flags.country !== undefined && !isCountry(flags.country)) throw new UsageError(`--country ${flags.country}: not a country callplan knows the numbering of; give numbers with + or 00`);
    const file = args.csv === '-' ? 'stdin' : args.csv;
    let report: LoadReport;
    try {
      const map: LoadMap = {};
      for (const spec of flags.map ?? []) Object.assign(map, parseLoadMap(spec));
      const table = readCsv(readBytes(args.csv), { encoding: flags.encoding, delimiter: delimiterFlag(flags.delimiter) });
      const columns = resolveLoadColumns(table.headers, campaign.contacts, map);
      const dir = stateDir(flags.state);
      const dryRun = flags['dry-run'];
      // A dry run reads the database if there is one, and never creates it.
      const exists = fs.existsSync(path.join(dir, STATE_FILE));
      const db = dryRun ? (exists ? openStateDatabase(dir, { readonly: true }) : openStateDatabase(':memory:')) : openDatabase(dir);
      try {
        const store = dryRun && exists ? undefined : new DialerStore(db);
        const lookup = store
          ? (id: string) => store.contactById(campaign.name, id)
          : readonlyLookup(db, campaign.name);
        const plan = planLoad(table, columns, { campaign: campaign.name, ...(country !== undefined && { country }), ...(timezone !== undefined && { timezone }) }, lookup);
        const loaded = dryRun ? plan.add.length : applyLoad(store!, plan, Date.now());
        report = loadReport(plan, file, loaded, dryRun);
        // The campaign's do-not-call lists go in with its contacts (numbers are never called in any campaign).
        const has = store ? (n: string) => store.onDoNotCall(n) : (n: string) => db.prepare('SELECT 1 FROM do_not_call WHERE number = ?').get(n) !== undefined;
        for (const rel of campaign.contacts.doNotCall) {
          const f = path.join(projectDir(args.path), rel);
          if (!fs.existsSync(f)) throw new ImportUsageError(`${rel}: the do-not-call list of campaign ${campaign.name} does not exist (contacts.do_not_call, relative to the project)`);
          const dnc = planDoNotCall(readCsv(fs.readFileSync(f), { encoding: flags.encoding }), country);
          const fresh = dnc.numbers.filter((n) => !has(n));
          if (!dryRun) store!.transaction(() => fresh.forEach((n) => store!.addDoNotCall(n, `file:${rel}`, Date.now())));
          report.doNotCall.push({ file: rel, numbers: dnc.numbers.length, added: fresh.length, skipped: dnc.skipped });
        }
      } finally {
        db.close();
        if (!dryRun) keepDaemonOwnership(dir);
      }
    } catch (e) {
      if (e instanceof ImportUsageError) throw new UsageError(e.message);
      if (e instanceof CsvSyntaxError) {
        this.logToStderr(`${file}:${e.line}: error: ${e.message}\n    hint: ${e.hint}\nnothing was loaded`);
        return this.exit(EXIT.invalid);
      }
      throw e;
    }
    if (flags.format === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(formatLoadText(report));
    if (report.skipped.length > 0 && report.loaded + report.alreadyThere + report.keptAsBefore.length === 0) return this.exit(EXIT.invalid);
    if (report.skipped.length > 0 || report.doNotCall.some((d) => d.skipped.length > 0)) return this.exit(EXIT.loadSkipped);
    return report;
  }
}

/**
 * Run as root (sudo callplan dialer load ...), SQLite would leave the database files root's, and
 * the daemon, running as its own user, could no longer write them: they are given back to the
 * owner of the state directory.
 */
function keepDaemonOwnership(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const owner = fs.statSync(dir);
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(STATE_FILE)) continue;
    const f = path.join(dir, name);
    const st = fs.statSync(f);
    if (st.uid !== owner.uid || st.gid !== owner.gid) fs.chownSync(f, owner.uid, owner.gid);
  }
}

function projectDir(p: string): string {
  return fs.existsSync(p) && fs.statSync(p).isDirectory() ? p : path.dirname(p);
}

function readBytes(file: string): Uint8Array {
  if (file === '-') return fs.readFileSync(0);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ImportUsageError(`${file}: no such file`);
  return fs.readFileSync(file);
}

function openDatabase(dir: string) {
  try {
    return openStateDatabase(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
      throw new ImportUsageError(`--state ${dir}: cannot open the dialer database there (${(e as Error).message}); run as the dialer's user, or give --state`);
    }
    throw e;
  }
}

/** Looks contacts up in a database opened read-only (a dry run must not migrate or create anything). */
function readonlyLookup(db: ReturnType<typeof openStateDatabase>, campaign: string) {
  const st = db.prepare('SELECT * FROM contacts WHERE campaign = ? AND id = ?');
  return (id: string) => {
    const r = st.get(campaign, id) as Parameters<typeof contactFromRow>[0] | undefined;
    return r && contactFromRow(r);
  };
}
