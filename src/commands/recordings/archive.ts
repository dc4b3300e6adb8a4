import { Args, Flags } from '@oclif/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BaseCommand, UsageError } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/formatters/index.js';
import type { Recording } from '../../model/types.js';
import { checkProject } from '../../project/check.js';
import { secretValues, type SecretValues } from '../../secrets/refs.js';
import { LAYOUT_FIELDS } from '../../recordings/archive/layout.js';
import { formatBytes, formatSummary, PlainReporter, QuietReporter, summaryJson, TtyReporter } from '../../recordings/archive/report.js';
import { runArchive } from '../../recordings/archive/run.js';
import { DEFAULT_PARALLEL, MAX_PARALLEL, resolvePassword, resolveSettings, SettingsError, type ArchiveSettings } from '../../recordings/archive/settings.js';

export default class RecordingsArchive extends BaseCommand {
  static override summary = 'Move call recordings to the FTP/FTPS archive, verified, resumable, losing nothing.';
  static override description = `Uploads the recordings Asterisk wrote (YYYYMMDD-HHMMSS_queue_agent_callid.wav and its .json sidecar) to the archive server, into the folders the layout names (default {yyyy}/{mm}/{dd}/{queue}/{file}; fields: ${Object.keys(LAYOUT_FIELDS).map((f) => `{${f}}`).join(' ')}). Each file is uploaded under a temporary name, checked on the server (size; with --verify hash also its SHA-256, by the server's HASH/XSHA256 command or by reading it back), then renamed into place; only then is the local file deleted (unless --keep-local).

Never touched: files modified less than --older-than ago (default: the model's, else 2h), files modified in the last minute and files a process holds open for writing. A journal next to the recordings (.callplan-archive.journal) records what was uploaded and verified, so a run cut short (a crash, a killed server, a lost network) is simply run again: nothing verified is uploaded twice and a partial remote file is replaced.

The destination comes from the project's recording.archive (PATH, default the current folder when it holds callplan.yaml), or from --url, --user and --password, which win over the project. The password is never given on the command line: --password names where it is, "\${env:NAME}" or "\${secret:NAME}".

Exit codes: 0 every selected recording archived and verified (or nothing due); 6 some were not (each is named with why and what to do; run again); 7 the archive could not run (server unreachable, login refused, TLS failure, or another run holds the folder's lock): nothing was touched; 1 the project has errors; 2 usage error.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/payment-center-by --dry-run',
    '<%= config.bin %> <%= command.id %> . --source /var/spool/asterisk/monitor --older-than 1h',
    "<%= config.bin %> <%= command.id %> --source /var/spool/asterisk/monitor --url ftps://archive.example.com/recordings --user recorder --password '${env:ARCHIVE_PASSWORD}' --ca /etc/ssl/private-ca.pem",
    '<%= config.bin %> <%= command.id %> . --verify hash --parallel 8 --format json',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file. Default: the current folder, when it holds callplan.yaml.' }),
  };
  static override flags = {
    source: Flags.string({ description: "The recordings folder. Default: the project's recording.directory." }),
    url: Flags.string({ description: 'Destination, ftp://host[:port]/folder or ftps://host[:port]/folder (explicit TLS). Default: recording.archive.url.' }),
    user: Flags.string({ description: 'User name on the server. Default: recording.archive.username.' }),
    password: Flags.string({ description: 'Where the password is: "${env:NAME}" or "${secret:NAME}" (never the password itself). Default: recording.archive.password.' }),
    'secrets-file': Flags.string({ description: 'The YAML file of NAME: value that ${secret:NAME} reads (default: the project\'s secrets.file).' }),
    layout: Flags.string({ description: 'Remote path template. Default: recording.archive.layout, else {yyyy}/{mm}/{dd}/{queue}/{file}.' }),
    'older-than': Flags.string({ description: 'Only files last modified at least this long ago: 90s, 30m, 2h, 2d. Default: recording.archive.older_than, else 2h.' }),
    verify: Flags.option({ options: ['size', 'hash'] as const, description: 'size: the remote size must equal the local size; hash: also the SHA-256. Default: recording.archive.verify, else size.' })(),
    'keep-local': Flags.boolean({ allowNo: true, description: 'Keep the local files after verification (--no-keep-local deletes them). Default: recording.archive.keep_local, else delete.' }),
    'atomic-rename': Flags.boolean({ description: 'Upload under NAME.callplan-partial and rename into place once verified, so that no reader of the archive ever sees a partial file under the real name (two more round trips a file).', default: false }),
    parallel: Flags.integer({ description: `Connections to the server (1–${MAX_PARALLEL}).`, default: DEFAULT_PARALLEL }),
    'dry-run': Flags.boolean({ description: 'Show what would be archived and where; connect to nothing, delete nothing.', default: false }),
    ca: Flags.string({ description: "A PEM file of the CA that signed the server's certificate (a private CA), for ftps://." }),
    insecure: Flags.boolean({ description: "ftps:// without checking the server's certificate. For tests only: anyone in between could read the recordings and the password.", default: false }),
    journal: Flags.string({ description: 'The journal file. Default: SOURCE/.callplan-archive.journal.' }),
    timeout: Flags.string({ description: 'How long to wait for the server on any one step before giving up on it.', default: '30s' }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people (a progress display on a terminal, log lines otherwise), json for tools.' })(),
  };

  async run(): Promise<object> {
    const { args, flags } = await this.parse(RecordingsArchive);
    const cwd = process.cwd();
    let recording: Recording | undefined;
    let secrets: SecretValues = secretValues(process.env);
    const projectPath = args.path ?? (existsSync(path.join(cwd, 'callplan.yaml')) ? '.' : undefined);
    if (projectPath !== undefined) {
      const checked = checkProject(projectPath, { env: process.env, cwd });
      if (hasErrors(checked.diagnostics) || !checked.model) {
        process.stderr.write(formatDiagnostics(checked.diagnostics, 'text'));
        this.logToStderr('callplan: the project has errors (see callplan validate); nothing was archived');
        return this.exit(EXIT.invalid);
      }
      recording = checked.model.recording;
      secrets = checked.secrets;
    }
    if (flags['secrets-file'] !== undefined) secrets = secretValues(process.env, readSecretsFile(flags['secrets-file']));

    let settings: ArchiveSettings;
    let password: string | undefined;
    try {
      settings = resolveSettings(
        {
          source: flags.source,
          url: flags.url,
          user: flags.user,
          password: flags.password,
          layout: flags.layout,
          olderThan: flags['older-than'],
          verify: flags.verify,
          keepLocal: flags['keep-local'],
          atomicRename: flags['atomic-rename'],
          parallel: flags.parallel,
          dryRun: flags['dry-run'],
          ca: flags.ca,
          insecure: flags.insecure,
          journal: flags.journal,
          timeout: flags.timeout,
        },
        recording,
        cwd,
      );
      if (!existsSync(settings.source) || !statSync(settings.source).isDirectory()) throw new SettingsError(`the recordings folder ${settings.source} does not exist (give --source DIR)`);
      if (settings.ca !== undefined && !existsSync(settings.ca)) throw new SettingsError(`--ca ${settings.ca}: no such file`);
      if (!settings.dryRun) password = resolvePassword(settings, secrets);
    } catch (e) {
      if (e instanceof SettingsError) throw new UsageError(e.message);
      throw e;
    }

    if (settings.insecure) {
      this.logToStderr("WARNING: --insecure: the server's TLS certificate is NOT checked. Anyone between this host and the server can read the recordings and the password. For tests only; for a private CA give --ca FILE instead.");
    } else if (!settings.secure && !isLoopback(settings.host)) {
      this.logToStderr('warning: ftp:// sends the password and the recordings unencrypted; use ftps:// unless the network in between is trusted.');
    }

    const out = (line: string) => process.stdout.write(`${line}\n`);
    const err = (line: string) => process.stderr.write(`${line}\n`);
    const reporter = flags.format === 'json' ? new QuietReporter(err) : process.stdout.isTTY ? new TtyReporter(settings, out, err) : new PlainReporter(settings, out, err);
    const result = await runArchive(settings, password, reporter);
    await reporter.end();

    const code = result.aborted ? EXIT.archiveNotRun : result.failed.length > 0 ? EXIT.archiveIncomplete : EXIT.ok;
    const json = summaryJson(result, settings, code);
    if (flags.format === 'json') out(JSON.stringify(json, null, 2));
    else for (const line of formatSummary(result, settings)) out(line);
    if (result.aborted) {
      if (flags.format === 'text') {
        err(`callplan: archive did not run: ${result.aborted.message}\n    hint: ${result.aborted.hint}`);
        const p = result.plan;
        if (p.units > 0) err(`    ${p.units} recording${p.units === 1 ? '' : 's'} (${formatBytes(p.bytes)}) wait in ${settings.source}, none touched`);
      }
      return this.exit(code);
    }
    if (code !== EXIT.ok) return this.exit(code);
    return json;
  }
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** A secrets file for ${secret:NAME}: a YAML mapping of NAME: value (never quoted back). */
function readSecretsFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new UsageError(`--secrets-file ${file}: no such file`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    throw new UsageError(`--secrets-file ${file}: not YAML (write one NAME: value per line)`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`--secrets-file ${file}: not a mapping of NAME: value`);
  return data as Record<string, unknown>;
}
