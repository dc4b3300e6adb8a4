import { expectations } from '../../src/deploy/health.js';
import { applyDelta } from '../../src/deploy/delta.js';
import { HostError, LockedError, type Activation, type Delta, type Drift, type HistoryEntry, type HostState, type NodeHost } from '../../src/deploy/node-host.js';
import { sha256, type Manifest } from '../../src/deploy/release.js';

/**
 * A node in memory for deploy's unit tests: releases as maps, `current`, the history, a lock,
 * and an Asterisk that reads the files of `current` when told to reload them and answers the
 * health check's commands from what it loaded. A release file containing `REJECT` makes its
 * reload log an ERROR (as a real Asterisk refusing an object does).
 */
export class FakeHost implements NodeHost {
  readonly name: string;
  bytesSent = 0;
  releases = new Map<string, { manifest: Manifest; files: Map<string, string> }>();
  temps = new Map<string, { manifest: Manifest; files: Map<string, string> }>();
  current: string | undefined;
  history: HistoryEntry[] = [];
  locked: string | undefined;
  /** What Asterisk loaded, per config file. */
  loaded = new Map<string, string>();
  log = '';
  commands: string[] = [];
  /** Every call, in order: "lock", "upload", "switch <r>" … */
  calls: string[] = [];
  asteriskDown = false;
  uptime = 1000;
  /** Contexts the whole listing leaves out (as one taken mid-reload can), shown when asked for alone. */
  unlisted = new Set<string>();
  /** Logged as an ERROR at every reload, whatever the release (a host's own noise). */
  noise: string | undefined;
  /** Called before each method: throw from it to simulate a failure there. */
  beforeEach?: (method: string) => void;
  /** Set to a method name: deploy dies there (activate: once the host has done it); every later call fails. */
  dieAt?: string;
  dead = false;
  /** systemd units installed on the host (linked from current/), whether a restart on a release fails, and what systemctl was asked. */
  installedUnits = new Set<string>();
  unitFails: (unit: string, release: string) => boolean = () => false;
  systemctl: string[] = [];

  constructor(name = 'pbx') {
    this.name = name;
  }

  private enter(method: string): void {
    if (this.dead) throw new Error('deploy process gone');
    this.calls.push(method);
    if (this.dieAt !== undefined && method.split(' ')[0] === this.dieAt && this.dieAt !== 'activate') {
      this.dead = true;
      throw new Error('deploy process gone');
    }
    this.beforeEach?.(method);
  }

  async lock({ owner }: { timeoutMs: number; owner: string }) {
    this.enter('lock');
    if (this.locked !== undefined) throw new LockedError(this.name, this.locked, 0);
    this.locked = owner;
    return { release: async () => void (this.locked = undefined) };
  }

  async state(): Promise<HostState> {
    this.enter('state');
    return { ...(this.current !== undefined && { current: this.current }), releases: [...this.releases.keys()].sort(), history: this.history.map((h) => ({ ...h })) };
  }

  async manifest(r: string) {
    return this.releases.get(r)?.manifest;
  }

  async readFile(r: string, path: string) {
    return this.releases.get(r)?.files.get(path);
  }

  async readFiles(r: string, paths: readonly string[]) {
    const files = this.releases.get(r)?.files ?? new Map<string, string>();
    return new Map(paths.filter((p) => files.has(p)).map((p) => [p, files.get(p)!] as [string, string]));
  }

  async drift(r: string): Promise<Drift> {
    this.enter(`drift ${r}`);
    const rel = this.releases.get(r);
    if (!rel) throw new HostError(`no release ${r}`);
    const changed: string[] = [];
    const missing: string[] = [];
    for (const [p, sum] of Object.entries(rel.manifest.files)) {
      const f = rel.files.get(p);
      if (f === undefined) missing.push(p);
      else if (sha256(f) !== sum) changed.push(p);
    }
    const extra = [...rel.files.keys()].filter((p) => !(p in rel.manifest.files));
    return { changed, missing, extra };
  }

  /** What each upload sent: files whole (paths), and files as their edits (delta.ts scripts, by path). */
  uploads: string[][] = [];
  deltas: Array<Map<string, string>> = [];

  async upload({ manifest, upload, base, deltas = new Map() }: { manifest: Manifest; upload: ReadonlyMap<string, string>; base?: string; deltas?: ReadonlyMap<string, Delta> }) {
    this.enter('upload');
    const files = new Map(base ? this.releases.get(base)!.files : []);
    for (const [p, c] of upload) {
      files.set(p, c);
      this.bytesSent += c.length;
    }
    // As the host does: each script applied to the base's copy (the manifest files are kept apart here).
    this.uploads.push([...upload.keys()]);
    this.deltas.push(new Map([...deltas].map(([p, d]) => [p, d.script])));
    for (const [p, d] of deltas) {
      this.bytesSent += d.script.length;
      if (p !== 'manifest.json' && p !== 'SHA256SUMS') files.set(p, applyDelta(files.get(p) ?? '', d.script));
    }
    for (const p of [...files.keys()]) if (!(p in manifest.files)) files.delete(p);
    const tmp = `.tmp-${manifest.release}-${this.temps.size.toString(16).padStart(8, '0')}`;
    this.temps.set(tmp, { manifest, files });
    return tmp;
  }

  async commit(tmp: string, r: string) {
    this.enter('commit');
    const t = this.temps.get(tmp)!;
    for (const [p, sum] of Object.entries(t.manifest.files)) if (sha256(t.files.get(p) ?? '') !== sum) throw new HostError(`${p} does not match`);
    this.temps.delete(tmp);
    this.releases.set(r, t);
  }

  async activate(r: string, then: Activation) {
    this.enter(`activate ${r}`);
    if (!this.releases.has(r)) throw new HostError(`no release ${r}`);
    this.current = r;
    for (const c of then.asterisk ?? []) await this.asterisk(c);
    const systemd = then.systemd;
    const notInstalled: string[] = [];
    for (const c of systemd?.commands ?? []) {
      if (c.action === 'daemon-reload') {
        if (systemd!.units.some((u) => this.installedUnits.has(u))) this.systemctl.push('daemon-reload');
      } else if (!this.installedUnits.has(c.unit)) notInstalled.push(c.unit);
      else if (this.unitFails(c.unit, r)) throw new HostError(`systemctl restart ${c.unit} failed`);
      else this.systemctl.push(`restart ${c.unit} (${r})`);
    }
    if (this.dieAt === 'activate') {
      this.dead = true;
      throw new Error('deploy process gone');
    }
    return { notInstalled };
  }

  async record(entry: HistoryEntry) {
    this.enter('record');
    this.history.push(entry);
  }

  async prune({ keep, protect }: { keep: number; protect: string[] }) {
    this.enter('prune');
    this.temps.clear();
    const order = [...new Set(this.history.map((h) => h.release).reverse())];
    const keepSet = new Set([...order.slice(0, keep), ...protect, ...(this.current ? [this.current] : [])]);
    for (const r of [...this.releases.keys()]) if (!keepSet.has(r)) this.releases.delete(r);
  }

  async asterisk(command: string) {
    this.enter(`asterisk ${command}`);
    if (this.asteriskDown) throw new HostError(`${this.name}: Asterisk did not run ${command}`);
    this.commands.push(command);
    const files = this.current ? this.releases.get(this.current)!.files : new Map<string, string>();
    const reload = (file: string) => {
      if (this.noise) this.log += `[2026-11-25 18:00:0${this.log.length % 10}.000] ERROR[${this.log.length}] ${this.noise}\n`;
      const text = files.get(`asterisk/${file}`) ?? '';
      if (text.includes('REJECT')) {
        this.log += `[2026-11-25 18:00:00.000] ERROR[123] config_options.c: Could not find option suitable for category in ${file}\n`;
        return; // the old objects stay (a half-applied reload)
      }
      this.loaded.set(file, text);
    };
    if (command === 'module reload pbx_config.so') reload('extensions.conf');
    else if (command === 'module reload res_pjsip.so') reload('pjsip.conf');
    else if (command.startsWith('queue reload')) reload('queues.conf');
    const e = expectations(new Map([...this.loaded].map(([f, t]) => [`asterisk/${f}`, t])));
    if (command === 'core show uptime seconds') return `System uptime: ${this.uptime}\n`;
    if (command === 'core waitfullybooted') return 'Asterisk has fully booted.\n';
    if (command === 'core restart when convenient') {
      this.uptime = 0;
      for (const f of ['extensions.conf', 'pjsip.conf', 'queues.conf']) reload(f);
      return '';
    }
    if (command === 'pjsip list endpoints') return e.endpoints.map((n) => ` Endpoint:  ${n}/${n}   Unavailable   0 of inf\n`).join('');
    if (command === 'queue show') return e.queues.map((q) => `${q} has 0 calls (max unlimited) in 'ringall' strategy\n`).join('');
    if (command === 'dialplan show') return e.contexts.filter((c) => !this.unlisted.has(c)).map((c) => `[ Context '${c}' created by 'pbx_config' ]\n`).join('');
    if (command.startsWith('dialplan show ')) return e.contexts.filter((c) => c === command.slice('dialplan show '.length)).map((c) => `[ Context '${c}' created by 'pbx_config' ]\n`).join('');
    if (command === 'pjsip show registrations') return e.registrations.map((r) => ` ${r}/sip:x   auth   Registered\n`).join('');
    return '';
  }

  async logSize() {
    return this.log.length;
  }

  async logErrors(from: number, to?: number) {
    const part = this.log.length < from ? this.log : this.log.slice(from, to);
    return part.split('\n').filter((l) => /\bERROR\[\d+\]/.test(l)).map((l) => `${l}\n`).join('');
  }

  async close() {}
}
