import { randomBytes } from 'node:crypto';
import type { PbxNode } from '../model/types.js';
import { HostError, LockedError, type Delta, type Drift, type HistoryEntry, type HostState, type NodeHost } from './node-host.js';
import { DELTA_AWK } from './delta.js';
import { manifestText, parseManifest, sha256, sha256sums, type Manifest } from './release.js';
import type { UnitCommand } from './reloads.js';
import { sh, type Remote } from './remote.js';
import { tarGz } from './tar.js';

const RELEASE = /^[0-9a-f]{16}$/;
const TEMP = /^\.tmp-[0-9a-f]{16}-[0-9a-f]{8}$/;

/**
 * NodeHost as POSIX shell commands over a Remote (SSH): coreutils, tar, sha256sum and flock(1)
 * on the host, nothing to install. Every path is quoted; release names are checked to be hashes
 * before they reach a command.
 */
export function shellHost(remote: Remote, node: PbxNode): NodeHost {
  const root = node.deploy.root;
  const R = sh(root);
  const asterisk = node.deploy.asterisk.map(sh).join(' ');
  const log = sh(node.deploy.log);
  const systemctl = node.deploy.systemctl.map(sh).join(' ');
  const kamcmd = (node.deploy.kamcmd ?? ['kamcmd']).map(sh).join(' ');
  const name = node.name;

  const run = async (command: string, o: { stdin?: Buffer | string; timeoutMs?: number; what: string }) => {
    const r = await remote.run(command, { ...(o.stdin !== undefined && { stdin: o.stdin }), timeoutMs: o.timeoutMs ?? 120_000 });
    if (r.code !== 0) throw new HostError(`${name}: ${o.what} failed (exit code ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('; ')}`);
    return r.stdout;
  };
  const release = (r: string) => {
    if (!RELEASE.test(r)) throw new HostError(`${name}: ${JSON.stringify(r)} is not a release name`);
    return r;
  };

  return {
    name,
    get bytesSent() {
      return remote.bytesSent;
    },

    async lock({ timeoutMs, owner }) {
      const secs = Math.max(0, Math.ceil(timeoutMs / 1000));
      // flock holds the lock while `cat` waits for input that never comes: when our connection
      // ends (done, or this process killed), sshd closes its stdin, cat and flock exit, the lock goes.
      const cmd = `mkdir -p ${R} && cd ${R} && exec flock -w ${secs} .lock sh -c ${sh(`printf '%s\\n' ${sh(owner)} > .lock.owner && echo locked && exec cat >/dev/null`)}`;
      const started = Date.now();
      try {
        const held = await remote.hold(cmd, { timeoutMs });
        if (held.firstLine.trim() !== 'locked') throw new HostError(`${name}: taking the lock answered ${JSON.stringify(held.firstLine)}`);
        return { release: held.release };
      } catch (e) {
        if (e instanceof HostError) throw e;
        if ((e as { code?: number }).code === 1) {
          const holder = await remote.run(`cat ${R}/.lock.owner 2>/dev/null`).then((r) => r.stdout.trim() || undefined, () => undefined);
          throw new LockedError(name, holder, Date.now() - started);
        }
        throw e;
      }
    },

    async state(): Promise<HostState> {
      const out = await run(
        `cd ${R} 2>/dev/null || exit 0; echo "current=$(readlink current 2>/dev/null)"; echo '--releases'; ls -1 releases 2>/dev/null; echo '--history'; tail -n 200 history.jsonl 2>/dev/null; true`,
        { what: 'reading the release root' },
      );
      const [head = '', rest = ''] = out.split('\n--releases\n');
      const [rels = '', hist = ''] = rest.split('--history\n');
      const cur = /^current=(?:releases\/)?([0-9a-f]{16})\/?$/m.exec(head)?.[1];
      const history: HistoryEntry[] = [];
      for (const line of hist.split('\n')) {
        if (!line.trim()) continue;
        try {
          history.push(JSON.parse(line) as HistoryEntry);
        } catch {
          // a line cut short by a crash: skipped
        }
      }
      return { ...(cur && { current: cur }), releases: rels.split('\n').filter((r) => RELEASE.test(r)), history };
    },

    async manifest(r) {
      const out = await remote.run(`cat ${R}/releases/${release(r)}/manifest.json 2>/dev/null`);
      return out.code === 0 ? parseManifest(out.stdout) : undefined;
    },

    async readFile(r, path) {
      const out = await remote.run(`cat ${sh(`${root}/releases/${release(r)}/${path}`)} 2>/dev/null`);
      return out.code === 0 ? out.stdout : undefined;
    },

    async readFiles(r, paths) {
      const out = new Map<string, string>();
      if (paths.length === 0) return out;
      // Each file after a NUL, its name and a NUL: configuration files hold no NUL.
      const res = await run(`cd ${sh(`${root}/releases/${release(r)}`)} && for f in ${paths.map(sh).join(' ')}; do [ -f "$f" ] && printf '\\0%s\\0' "$f" && cat -- "$f"; done; true`, { what: `reading files of release ${r}` });
      const parts = res.split('\0');
      for (let i = 1; i + 1 < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!);
      return out;
    },

    async drift(r): Promise<Drift> {
      const dir = sh(`${root}/releases/${release(r)}`);
      // sha256sum names each bad file ("path: FAILED" or "…: FAILED open or read"); find lists every file.
      const out = await run(
        `cd ${dir} && { sha256sum -c --quiet SHA256SUMS 2>/dev/null; true; }; echo '--files'; find . -type f ! -name manifest.json ! -name SHA256SUMS | sed 's|^\\./||'`,
        { what: `checking release ${r}` },
      );
      const [check = '', files = ''] = out.split('--files\n');
      const changed: string[] = [];
      const missing: string[] = [];
      for (const line of check.split('\n')) {
        const m = /^(.*): FAILED( open or read)?$/.exec(line);
        if (m) (m[2] ? missing : changed).push(m[1]!);
      }
      const manifest = await this.manifest(r);
      const listed = new Set(Object.keys(manifest?.files ?? {}));
      const extra = files.split('\n').filter((f) => f && !listed.has(f));
      return { changed: changed.sort(), missing: missing.sort(), extra: extra.sort() };
    },

    async upload({ manifest, upload, base, deltas = new Map() }) {
      const tmp = `.tmp-${release(manifest.release)}-${randomBytes(4).toString('hex')}`;
      const T = sh(`${root}/releases/${tmp}`);
      const own = { 'manifest.json': manifestText(manifest), SHA256SUMS: sha256sums(manifest) } as Record<string, string>;
      const use = base ? deltas : new Map<string, Delta>();
      // What each file patched on the host must come out as (SHA256SUMS has the release's files, but may itself be patched).
      const sums = [...use].map(([p, d]) => `${sha256(d.content)}  ${p}\n`).join('');
      const archive = await tarGz([
        ...upload,
        ...Object.entries(own).filter(([p]) => !use.has(p)),
        ...[...use].map(([p, d]) => [`.callplan-delta/${p}`, d.script] as [string, string]),
        ...(use.size ? [['.callplan-delta.sums', sums] as [string, string]] : []),
      ]);
      const keep = ['manifest.json', 'SHA256SUMS'].filter((p) => !use.has(p));
      const copy = base ? `cp -a ${sh(`${root}/releases/${release(base)}`)}/. ${T}/ && rm -f ${keep.map((p) => `${T}/${p}`).join(' ')} && ` : '';
      const patch = use.size
        ? ` && cd ${T} && ${[...use.keys()].map((p) => `awk -v base=${sh(p)} ${sh(DELTA_AWK)} ${sh(`.callplan-delta/${p}`)} > .callplan-delta.out && mv .callplan-delta.out ${sh(p)}`).join(' && ')} && { sha256sum -c --quiet --strict .callplan-delta.sums || { echo 'callplan: a delta did not apply'; exit 1; }; } && rm -rf .callplan-delta .callplan-delta.sums`
        : '';
      // Files the new manifest does not list (left from the base) are removed; empty folders too.
      const prune = `cd ${T} && find . -type f ! -name manifest.json ! -name SHA256SUMS | sed 's|^\\./||' | awk 'NR==FNR { keep[substr($0, 67)] = 1; next } !($0 in keep)' SHA256SUMS - | while IFS= read -r f; do rm -f -- "$f"; done && find . -mindepth 1 -type d -empty -delete`;
      // -m: an uploaded file gets the time it was unpacked, not the archive's (0, see tar.ts). Asterisk
      // reads a config file again on reload only when its size or mtime changed (main/config.c,
      // CONFIG_FLAG_FILEUNCHANGED): a change that kept the size (a renamed user, a new password of
      // the same length) would be skipped, Asterisk still running the old objects. The files copied
      // from the base are unchanged and keep theirs (cp -a), so Asterisk skips those, rightly; a
      // file patched from its delta is written anew.
      const r = await remote.run(`umask 027 && mkdir -p ${R}/releases && rm -rf ${T} && mkdir ${T} && ${copy}tar -xzmf - -C ${T} --no-same-owner${patch} && ${prune}`, { stdin: archive, timeoutMs: 600_000 });
      if (r.code === 0) return tmp;
      // The base was not what deploy took it for (edited by hand, written by another version): send those files whole.
      if (use.size && /callplan: a delta did not apply/.test(r.stdout + r.stderr)) return this.upload({ manifest, upload: new Map([...upload, ...[...use].filter(([p]) => !(p in own)).map(([p, d]) => [p, d.content] as [string, string])]), base });
      throw new HostError(`${name}: uploading the release failed (exit code ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('; ')}`);
    },

    async commit(tmp, r, o = {}) {
      if (!TEMP.test(tmp)) throw new HostError(`${name}: ${tmp} is not a temporary release`);
      const T = sh(`${root}/releases/${tmp}`);
      const D = sh(`${root}/releases/${release(r)}`);
      const old = sh(`${root}/releases/${tmp.replace('.tmp-', '.old-')}`);
      const move = o.replace ? `mv -T ${D} ${old} && mv -T ${T} ${D} && rm -rf ${old}` : `mv -T ${T} ${D}`;
      const out = await remote.run(`cd ${T} && sha256sum -c --quiet --strict SHA256SUMS && sync -f . && cd / && ${move}`, { timeoutMs: 600_000 });
      if (out.code !== 0) throw new HostError(`${name}: the uploaded release ${r} does not match its manifest: ${(out.stdout + out.stderr).trim().split('\n').slice(0, 5).join('; ')}`);
    },

    async activate(r, then) {
      const asteriskReloads = then.asterisk ?? [];
      const rpcs = then.kamailio ?? [];
      // setsid -w and output to a file: neither a hang-up nor a closed channel stops it half-way.
      const script = [
        `ln -sfn releases/${release(r)} current.tmp`,
        'mv -T current.tmp current',
        'sync -f .',
        ...(asteriskReloads.length ? [reloadFunctions(asterisk), `${asterisk} -rx 'core waitfullybooted' >/dev/null`, ...asteriskReloads.map((c) => `reload ${sh(c)}`)] : []),
        ...(then.restartKamailio ? [(node.deploy.restart ?? ['systemctl', 'restart', 'kamailio']).map(sh).join(' ')] : rpcs.length ? [rpcFunction(kamcmd), ...rpcs.map((m) => `rpc ${sh(m)}`)] : []),
        ...(then.systemd ? unitScript(systemctl, then.systemd.commands, then.systemd.units) : []),
      ].join(' && ');
      // The script bounds its own waits (reloadFunctions); this only catches a host that hangs.
      const out = await remote.run(`cd ${R} && setsid -w sh -c ${sh(script)} > .activate.out 2>&1 < /dev/null; rc=$?; cat .activate.out; exit $rc`, { timeoutMs: 3_600_000 });
      if (out.code !== 0) throw new HostError(`${name}: switching to release ${r} and reloading failed (exit code ${out.code}): ${(out.stdout + out.stderr).trim().split('\n').slice(-5).join('; ')}`);
      const notInstalled = [...out.stdout.matchAll(/^callplan: unit (\S+) is not installed$/gm)].map((m) => m[1]!);
      return { notInstalled: [...new Set(notInstalled)] };
    },

    async record(entry) {
      await run(`cd ${R} && printf '%s\\n' ${sh(JSON.stringify(entry))} >> history.jsonl`, { what: 'recording the deploy' });
    },

    async prune({ keep, protect }) {
      const state = await this.state();
      const order = [...new Set(state.history.map((h) => h.release).reverse())];
      const ranked = [...order, ...state.releases.filter((r) => !order.includes(r))];
      const keepSet = new Set([...ranked.filter((r) => state.releases.includes(r)).slice(0, keep), ...protect, ...(state.current ? [state.current] : [])]);
      const drop = state.releases.filter((r) => !keepSet.has(r)).map((r) => sh(`releases/${release(r)}`));
      await run(`cd ${R} && rm -rf releases/.tmp-* releases/.old-* ${drop.join(' ')}`, { what: 'removing old releases' });
    },

    async asterisk(command) {
      // Listings of a 10,000-user node take seconds to tens of seconds (`dialplan show`: bench/results/deploy.md).
      const r = await remote.run(`${asterisk} -rx ${sh(command)}`, { timeoutMs: 300_000 });
      if (r.code !== 0 || /Unable to connect to remote asterisk/i.test(r.stdout + r.stderr)) {
        throw new HostError(`${name}: Asterisk did not run ${JSON.stringify(command)}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join('; ') || `exit code ${r.code}`}`);
      }
      return r.stdout;
    },

    async logSize() {
      const out = await run(`stat -c %s ${log} 2>/dev/null || echo 0`, { what: "reading the size of Asterisk's log" });
      return Number(out.trim()) || 0;
    },

    async logErrors(from, to) {
      // A log smaller than `from` was rotated meanwhile: read it whole.
      const part = `tail -c +${from + 1} "$f"${to === undefined ? '' : ` | head -c ${Math.max(0, to - from)}`}`;
      return run(`f=${log}; s=$(stat -c %s "$f" 2>/dev/null || echo 0); { if [ "$s" -lt ${from} ]; then cat "$f"; else ${part}; fi; } 2>/dev/null | grep -a 'ERROR\\[[0-9]*]'; true`, { what: "reading Asterisk's log" });
    },

    close: () => remote.close(),
  };
}

export type { Manifest };

/** How long a reload may keep Asterisk busy, and how long another's may keep ours waiting, in seconds. */
export const RELOAD_LIMIT_S = 1800;

/**
 * Shell functions for running Asterisk's reloads one after another and only once each has
 * finished. `asterisk -rx` gives up after 60 s without output while Asterisk goes on (main/
 * asterisk.c polls the console for 60 s): the dialplan of a 10,000-user project takes longer
 * than that on a busy host, and a check or a next reload would then run against a half-reloaded
 * node. Every `module reload` runs under Asterisk's reload lock, which Asterisk only tries to
 * take: a `module reload` of a module that does not exist answers "already in progress" while a
 * reload runs and "No such module" once it is over, changing nothing. `reload` retries a command
 * Asterisk turned away because another reload ran, fails on a reload Asterisk reports failed,
 * and then waits for the lock to be free (`settle`).
 */
export function reloadFunctions(asterisk: string, limit = RELOAD_LIMIT_S): string {
  return [
    `settle() { n=0; while ${asterisk} -rx 'module reload callplan-reload-probe' 2>&1 | grep -q 'already in progress'; do n=$((n+1)); [ $n -lt ${limit} ] || { echo "callplan: Asterisk was still reloading ${limit} s after $1"; return 1; }; sleep 1; done; }`,
    `reload() { n=0; while :; do out=$(${asterisk} -rx "$1" 2>&1) || { printf '%s\\n' "$out"; return 1; }; printf '%s\\n' "$out"; case $out in`,
    `*'already in progress'*) n=$((n+1)); [ $n -lt ${limit} ] || { echo "callplan: another reload kept Asterisk busy for ${limit} s: $1 was not run"; return 1; }; sleep 1;;`,
    `*'Unable to connect'*|*'No such command'*|*'reported a reload failure'*|*'No such module'*|*'not properly initialized'*|*'does not support reloads'*) echo "callplan: Asterisk did not run $1"; return 1;;`,
    `*) break;; esac; done; settle "$1"; }`,
  ].join('\n');
}

/**
 * A shell function running one Kamailio RPC: kamcmd exits 0 even when the RPC failed and says so
 * in its output (`error: 500 - …`), so the output is read too (edge-host.ts rpcFailure). A list
 * module refuses a reload within its reload_delta of the last one (`ongoing reload`, 5 s by
 * default for permissions): that one is run again, for up to a minute.
 */
export function rpcFunction(kamcmd: string): string {
  return [
    `rpc() { n=0; while :; do out=$(${kamcmd} "$1" 2>&1); rc=$?; printf '%s\\n' "$out"; case $out in *'ongoing reload'*) n=$((n+1)); [ $n -lt 60 ] || break; sleep 1;; *) break;; esac; done`,
    `if [ $rc -ne 0 ] || printf '%s\\n' "$out" | grep -qi '^error:'; then echo "callplan: Kamailio did not run $1"; return 1; fi; }`,
  ].join('\n');
}

/**
 * The systemd part of an activation, as shell commands: a unit's commands run only when the unit
 * is installed on the host (`systemctl cat` knows it, e.g. linked from current/), so a host that
 * runs no dialer or archive is not an error; daemon-reload runs when any of the release's units is.
 */
export function unitScript(systemctl: string, commands: readonly UnitCommand[], units: readonly string[]): string[] {
  const known = (u: string) => `${systemctl} cat ${sh(u)} >/dev/null 2>&1`;
  return commands.map((c) => {
    if (c.action === 'daemon-reload') return units.length ? `{ if ${units.map(known).join(' || ')}; then ${systemctl} daemon-reload; fi; }` : 'true';
    return `{ if ${known(c.unit)}; then ${systemctl} restart ${sh(c.unit)}; else echo ${sh(`callplan: unit ${c.unit} is not installed`)}; fi; }`;
  });
}
