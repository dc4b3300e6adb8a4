import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { OutputDirError, writeTree } from '../build/write-tree.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { checkProject } from '../project/check.js';
import { asteriskSecurityDiagnostics } from '../targets/asterisk/security/check.js';
import { buildFiles } from '../project/build.js';
import { MissingSecretsError } from '../secrets/resolve.js';

export default class Build extends BaseCommand {
  static override summary = 'Validate a project and write the generated files.';
  static override description = `Validates first and writes nothing when the project has errors. The output directory is replaced as a whole, so it always holds one complete build. Building twice gives byte-identical files.

When nodes lists a Kamailio edge, the Asterisk files are one tree per Asterisk node, nodes/<node>/asterisk/, next to the edge's nodes/<edge>/kamailio/ (kamailio.cfg, dispatcher.list, address.list, db/subscriber with the phones' HA1s, tls.cfg): see docs/kamailio.md. Without an edge, asterisk/ is for the one Asterisk.

The build holds model.json (the normalized model), asterisk/ (pjsip.conf, pjsip_notify.conf, extensions.conf, queues.conf, queuerules.conf, voicemail.conf, confbridge.conf, musiconhold.conf, manager.conf) and, when the project names provisioning.url, snom/ (the files SNOM phones fetch: callplan provision serve serves them) and provisioning/ (DHCP host entries per site for ISC dhcpd and dnsmasq, an nginx snippet). When the project has recording.archive, archive/ holds a systemd service and timer that run callplan recordings archive on the PBX host (see docs/recordings.md). It needs every secret the project names: each \${env:NAME} set, each \${secret:NAME} in the secrets file; it lists the missing ones and writes nothing otherwise.`;
  static override examples = ['<%= config.bin %> <%= command.id %> examples/payment-center-by --out build', '<%= config.bin %> <%= command.id %> . --out /tmp/pbx --format json'];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'Output directory (replaced as a whole).', default: 'build' }),
    format: BaseCommand.formatFlag,
  };

  async run(): Promise<{ files: string[] }> {
    const { args, flags } = await this.parse(Build);
    const { diagnostics, model, secrets, rootFile } = checkProject(args.path, { env: process.env });
    if (diagnostics.length > 0) process.stderr.write(formatDiagnostics(diagnostics, flags.format));
    if (hasErrors(diagnostics) || !model) this.exit(EXIT.invalid);
    let files;
    try {
      files = buildFiles(model!, secrets);
    } catch (e) {
      if (!(e instanceof MissingSecretsError)) throw e;
      this.logToStderr(`callplan: cannot build: ${e.missing.length} secret${e.missing.length === 1 ? ' is' : 's are'} not set:`);
      for (const m of e.missing) this.logToStderr(`  ${m}`);
      this.logToStderr('Set each environment variable, or add the name to the secrets file. Nothing was written.');
      return this.exit(EXIT.invalid);
    }
    const security = asteriskSecurityDiagnostics(model!, rootFile!, files);
    if (security.length > 0) {
      process.stderr.write(formatDiagnostics(security, flags.format));
      return this.exit(EXIT.invalid);
    }
    try {
      writeTree(flags.out, files);
    } catch (e) {
      if (e instanceof OutputDirError) throw new UsageError(e.message);
      throw e;
    }
    this.log(`wrote ${files.size} file${files.size === 1 ? '' : 's'} to ${flags.out}`);
    return { files: [...files.keys()] };
  }
}
