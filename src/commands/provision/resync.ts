import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/formatters/index.js';
import { checkProject } from '../../project/check.js';
import { AmiError, connectAmi } from '../../provision/ami.js';
import { formatResyncText, resync, resyncJson, ResyncUsageError, selectPhones } from '../../provision/resync.js';
import { secretResolver } from '../../secrets/resolve.js';
import { AMI_PROVISION_USER, pbxNode } from '../../targets/asterisk/names.js';

export default class ProvisionResync extends BaseCommand {
  static override summary = 'Make SNOM phones fetch their settings again, without a reboot.';
  static override description = `Asks Asterisk (its manager, as the ${AMI_PROVISION_USER} user callplan writes in manager.conf, with the secret derived from secrets.device_master) which of the chosen phones are registered, then has it send each of them a SIP NOTIFY with "Event: check-sync;reboot=false" (pjsip_notify.conf's check-sync): a SNOM phone then fetches its settings from the provisioning server and applies them without restarting. --reboot sends reboot=true instead: the phone restarts and provisions as at boot.

Choose the phones with --mac (repeatable), --site or --all. Run it on the Asterisk host after a deploy: the manager listens on 127.0.0.1 only. The report names each phone: sent, or not registered (off, unplugged, or registered elsewhere: it will fetch its settings at its next boot anyway).

Exit codes: 0 every chosen phone was notified (or would be, with --dry-run); 8 some were not registered or Asterisk refused some NOTIFYs (each is named), the others were notified; 9 Asterisk's manager could not be reached or refused the login, nothing was sent; 1 the project has errors or the master secret is not set; 2 usage error (no selection, an unknown MAC or site).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --mac 00:04:13:4a:1b:2c',
    '<%= config.bin %> <%= command.id %> . --site warsaw',
    '<%= config.bin %> <%= command.id %> --all --dry-run',
    '<%= config.bin %> <%= command.id %> --all --reboot --format json',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    mac: Flags.string({ description: "A phone's MAC (any usual form). Repeatable.", multiple: true }),
    site: Flags.string({ description: 'Every SNOM phone of this site.' }),
    all: Flags.boolean({ description: 'Every SNOM phone of the project.', default: false }),
    reboot: Flags.boolean({ description: 'Send check-sync;reboot=true: fetch the settings and restart.', default: false }),
    'dry-run': Flags.boolean({ description: 'Ask which phones are registered, send nothing.', default: false }),
    'ami-host': Flags.string({ description: "Asterisk manager's address.", default: '127.0.0.1' }),
    'ami-port': Flags.integer({ description: "Asterisk manager's port. Default: the Asterisk node's ami_port (5038).", min: 1, max: 65535 }),
    timeout: Flags.integer({ description: 'Milliseconds to wait for each answer from Asterisk.', default: 5000, min: 100 }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<object> {
    const { args, flags } = await this.parse(ProvisionResync);
    const { diagnostics, model, secrets: values } = checkProject(args.path, { env: process.env });
    if (hasErrors(diagnostics) || !model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    let phones;
    try {
      phones = selectPhones(model, { macs: flags.mac, site: flags.site, all: flags.all });
    } catch (e) {
      if (e instanceof ResyncUsageError) throw new UsageError(e.message);
      throw e;
    }
    const options = { reboot: flags.reboot, dryRun: flags['dry-run'] };
    if (phones.length === 0) {
      this.logToStderr('callplan: no SNOM phones chosen: nothing to do');
      return resyncJson([], options);
    }
    const { resolver, missing } = secretResolver(model, values);
    const secret = resolver.derived(`ami:${AMI_PROVISION_USER}`);
    if (missing().length > 0) {
      this.logToStderr(`callplan: cannot resync: ${missing().join(', ')} not set; the manager's secret is derived from it`);
      return this.exit(EXIT.invalid);
    }
    const port = flags['ami-port'] ?? pbxNode(model).amiPort;
    let outcomes;
    try {
      const ami = await connectAmi({ host: flags['ami-host'], port, username: AMI_PROVISION_USER, secret, timeoutMs: flags.timeout });
      try {
        outcomes = await resync(ami, phones, options);
      } finally {
        await ami.close();
      }
    } catch (e) {
      if (!(e instanceof AmiError)) throw e;
      this.logToStderr(`callplan: ${e.message}. Nothing was sent.`);
      this.logToStderr(`Run it on the Asterisk host with the build deployed (manager.conf has the ${AMI_PROVISION_USER} user in projects with SNOM phones).`);
      return this.exit(EXIT.resyncNotRun);
    }
    const report = resyncJson(outcomes, options);
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(formatResyncText(outcomes, options));
    if (outcomes.some((o) => o.result === 'not-registered' || o.result === 'failed')) return this.exit(EXIT.resyncIncomplete);
    return report;
  }
}
