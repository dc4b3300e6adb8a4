import { startAsterisk, type Asterisk, type AsteriskContext, type ConfigFiles } from './asterisk.js';
import { buildAsterisk, devicePassword } from './callplan-build.js';
import { startPhone, type Phone } from './phone.js';
import type { UasAnswerOptions } from './scenarios.js';
import type { SippUas } from './sipp.js';

/**
 * A real Asterisk running what callplan builds from a project, with a registered SIPp phone for
 * some users' `desk` softphones. For tests of generated dialplan behaviour.
 */
export interface CallplanPbx {
  ast: Asterisk;
  /** Everything the last build wrote (asterisk/… and the rest). */
  files: Map<string, string>;
  /** Phones by user extension. */
  phones: Record<string, Phone>;
  /**
   * Builds another version of the project (given the same context), writes the asterisk/ files
   * that changed and reloads them as the harness does for each (`dialplan reload`, `module
   * reload app_queue.so` ...). Returns the changed files, the commands' output and the log's
   * length before the reload, to read what it logged.
   */
  reloadProject(project: (ctx: AsteriskContext) => string): Promise<{ changed: string[]; output: string; logFrom: number }>;
  stop(): Promise<void>;
}

export async function startCallplanPbx(o: {
  name: string;
  /** The project's callplan.yaml, given Asterisk's ports and folders. */
  project: (ctx: AsteriskContext) => string;
  /** Users (extension → how their phone answers) whose `<ext>-desk` device registers a phone. */
  phones: Record<string, UasAnswerOptions>;
  requireModules?: string[];
  /** The environment secrets are read from (default: E2E_ENV, the device master only). */
  env?: Record<string, string>;
}): Promise<CallplanPbx> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let files = new Map<string, string>();
    let configs: ConfigFiles = {};
    const ast = await startAsterisk({
      name: o.name,
      requireModules: ['res_pjsip.so', 'pbx_config.so', ...(o.requireModules ?? [])],
      configs: (ctx) => {
        ({ files, configs } = buildAsterisk(o.project(ctx), o.env));
        return configs;
      },
    });
    stops.push(() => ast.stop());
    const registrar = `127.0.0.1:${ast.ports.sip}`;
    const phones: Record<string, Phone> = {};
    for (const [ext, answer] of Object.entries(o.phones)) {
      const device = `${ext}-desk`;
      const phone = await startPhone({ device, password: devicePassword(files, device), registrar, answer });
      stops.push(() => phone.stop());
      phones[ext] = phone;
    }
    await waitForContacts(ast, Object.values(phones).map((p) => p.device));
    const pbx: CallplanPbx = {
      ast,
      files,
      phones,
      async reloadProject(project) {
        const built = buildAsterisk(project({ ports: ast.ports, dir: ast.dir, chrootDir: ast.chrootDir }), o.env);
        const changed = Object.keys(built.configs).filter((f) => built.configs[f] !== configs[f]);
        const logFrom = ast.log().length;
        const output = changed.length ? await ast.reload(Object.fromEntries(changed.map((f) => [f, built.configs[f]!]))) : '';
        ({ files, configs } = built);
        pbx.files = files;
        return { changed, output, logFrom };
      },
      stop,
    };
    return pbx;
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitForContacts(ast: Asterisk, devices: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const out = await ast.rx('pjsip show contacts');
    if (devices.every((d) => out.includes(`${d}/sip:${d}@`))) return;
    if (Date.now() > deadline) throw new Error(`phones did not register:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** INVITEs a phone or SIPp UAS has received so far. */
export const invitesTo = (p: SippUas): number => p.received().filter((m) => m.method === 'INVITE').length;

/**
 * Errors and warnings of the modules that read what callplan writes (not the chroot's missing
 * hold music or config files callplan does not write).
 */
export function problemsWithOurFiles(log: string): string[] {
  const ours = /\] (ERROR|WARNING)\[\d+\] (pbx_config|config|res_pjsip[\w/]*|config_\w+|app_queue|app_voicemail\w*|app_confbridge|res_musiconhold|manager|pbx)\.c:/;
  const environment = /pjsip_wizard\.conf|pjsip_notify\.conf|\/moh: No such file|No music on hold classes configured|'acl\.conf'|'udptl\.conf'|'features\.conf'|'cdr\.conf'|'cel\.conf'|'res_parking\.conf'|'agents\.conf'/;
  return log.split('\n').filter((line) => ours.test(line) && !environment.test(line));
}

/** The dialplan steps Asterisk ran, as "exten@context:priority App" lines (from the verbose log). */
export function executed(log: string): string[] {
  return [...log.matchAll(/Executing \[([^\]]+)\] (\w+)\("[^"]*", "(.*)"\) in new stack/g)].map((m) => `${m[1]} ${m[2]}(${m[3]})`);
}
