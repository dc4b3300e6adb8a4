import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/formatters/index.js';
import { checkProject } from '../../project/check.js';
import { secretResolver } from '../../secrets/resolve.js';
import { exposedInClear, serverOptions, ServeUsageError } from '../../provision/serve.js';
import { startProvisioningServer } from '../../provision/server.js';

export default class ProvisionServe extends BaseCommand {
  static override summary = 'Serve the built SNOM files to the phones, each phone only its own.';
  static override description = `An HTTP(S) provisioning server for the snom/ files of a build (callplan build writes them). A phone proves who it is with HTTP Basic credentials: user name its MAC (000413A1B2C3), password derived from secrets.device_master, so nothing is stored; the DHCP host entries the build writes (provisioning/dhcp/) hand each phone a setting URL carrying its own credentials. It gets its settings file, its own file list and the list of its phone type, and nothing else.

Any request without credentials that prove a MAC of the project gets 401, whether the password is wrong or the MAC unknown, by the same path and with the same body; a proven phone asking for another file gets 404, decided from the path alone. More than --burst requests at once from one address get 429 (refilled at --rate-limit per minute). Every request is logged on standard output, one line each (time, client address, path, status, result, MAC and model): never a password.

Binds 127.0.0.1 unless --host says otherwise. HTTPS with --cert and --key (PEM); plain HTTP on another address than loopback sends the credentials readable on the network, and says so. Behind a reverse proxy, list it with --trusted-proxy: only then is its X-Forwarded-For believed (rate limits and the log then see the phones' addresses). The files are read at every request: rebuild and the phones get the new ones; restart after changing the project's phones or secrets.

Exit codes: 0 stopped (Ctrl-C or SIGTERM); 1 the project has errors or a secret is not set; 2 usage error (no snom/ in the build, unreadable certificate, address in use).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --build build',
    '<%= config.bin %> <%= command.id %> . --host 10.20.0.5 --cert /etc/callplan/prov.crt --key /etc/callplan/prov.key',
    '<%= config.bin %> <%= command.id %> --port 8080 --trusted-proxy 127.0.0.1 --log-format json',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    build: Flags.string({ description: 'The build directory (callplan build --out); its snom/ is served.', default: 'build' }),
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'Port to listen on (0: any free one). Default 8080, or 8443 with --cert.', min: 0, max: 65535 }),
    cert: Flags.string({ description: 'TLS certificate (PEM, with its chain): serve HTTPS. Needs --key.' }),
    key: Flags.string({ description: 'TLS private key (PEM). Needs --cert.' }),
    prefix: Flags.string({ description: "URL path the files are under. Default: the path of provisioning.url (/snom/), where the phones' URLs point." }),
    'trusted-proxy': Flags.string({ description: 'A reverse proxy (address or CIDR range) whose X-Forwarded-For is believed. Repeatable. Default: none.', multiple: true }),
    'rate-limit': Flags.integer({ description: 'Requests per minute one address may make, after its burst.', default: 60, min: 1 }),
    burst: Flags.integer({ description: 'Requests one address may make at once.', default: 20, min: 1 }),
    'log-format': Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'Fetch log lines: text for people, json for tools.' })(),
  };

  async run(): Promise<{ url: string; phones: number }> {
    const { args, flags } = await this.parse(ProvisionServe);
    const { diagnostics, model, secrets: values } = checkProject(args.path, { env: process.env });
    if (hasErrors(diagnostics) || !model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    const { resolver, missing } = secretResolver(model, values);
    let options;
    try {
      options = serverOptions(model, resolver, {
        buildDir: flags.build,
        host: flags.host,
        port: flags.port,
        cert: flags.cert,
        key: flags.key,
        prefix: flags.prefix,
        trustedProxies: flags['trusted-proxy'] ?? [],
        perMinute: flags['rate-limit'],
        burst: flags.burst,
        logFormat: flags['log-format'],
        log: (line) => process.stdout.write(`${line}\n`),
      });
    } catch (e) {
      if (e instanceof ServeUsageError) throw new UsageError(e.message);
      throw e;
    }
    // The passwords are derived from the master secret: without it no phone could ever be let in.
    options.policy.passwordOf(options.phones[0]!.mac);
    if (missing().length > 0) {
      this.logToStderr(`callplan: cannot serve: ${missing().join(', ')} not set; the phones' provisioning passwords are derived from it`);
      return this.exit(EXIT.invalid);
    }
    let server;
    try {
      server = await startProvisioningServer(options);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${flags.host}:${options.port}: ${err.code === 'EADDRINUSE' ? 'address in use' : err.code === 'EACCES' ? 'permission denied' : 'no such local address'}`);
      throw e;
    }
    if (exposedInClear(flags.host, options.tls !== undefined)) {
      this.logToStderr(`callplan: warning: plain HTTP on ${flags.host}: the phones' credentials cross the network readable; use --cert/--key, or a TLS proxy in front`);
    }
    this.logToStderr(`callplan: serving ${options.phones.length} SNOM phone${options.phones.length === 1 ? '' : 's'} from ${options.snomDir} at ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    this.logToStderr('callplan: provisioning server stopped');
    return { url: server.url, phones: options.phones.length };
  }
}
