import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { changedFiles, makeManifest, nodeFiles, sha256sums } from '../../../src/deploy/release.js';
import { tarGz } from '../../../src/deploy/tar.js';

const dir = mkdtempSync(`${tmpdir()}/callplan-release-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = new Date('2026-11-25T18:00:00Z');

describe('releases', () => {
  it('are named by their content: the same files give the same name, any change another', () => {
    const a = makeManifest(new Map([['asterisk/a.conf', 'x'], ['asterisk/b.conf', 'y']]), { node: 'pbx', createdAt: at });
    const b = makeManifest(new Map([['asterisk/b.conf', 'y'], ['asterisk/a.conf', 'x']]), { node: 'pbx', revision: 'r2', createdAt: new Date() });
    const c = makeManifest(new Map([['asterisk/a.conf', 'x'], ['asterisk/b.conf', 'z']]), { node: 'pbx', createdAt: at });
    expect(a.release).toMatch(/^[0-9a-f]{16}$/);
    expect(b.release).toBe(a.release);
    expect(c.release).not.toBe(a.release);
    expect(changedFiles(a, c)).toEqual([{ path: 'asterisk/b.conf', kind: 'changed' }]);
    expect(changedFiles(undefined, a).map((x) => x.kind)).toEqual(['added', 'added']);
  });

  it("give each node its own tree and the shared parts, without the other nodes' trees", () => {
    const build = new Map([
      ['nodes/pbx-1/asterisk/pjsip.conf', '1'],
      ['nodes/pbx-2/asterisk/pjsip.conf', '2'],
      ['nodes/edge/kamailio/kamailio.cfg', 'k'],
      ['snom/000413000001.xml', 's'],
      ['model.json', '{}'],
    ]);
    expect([...nodeFiles(build, 'pbx-2')]).toEqual([['asterisk/pjsip.conf', '2'], ['model.json', '{}'], ['snom/000413000001.xml', 's']]);
    expect([...nodeFiles(new Map([['asterisk/pjsip.conf', 'x'], ['snom/a.xml', 'y']]), 'pbx')].map(([p]) => p)).toEqual(['asterisk/pjsip.conf', 'snom/a.xml']);
  });

  it('unpack with tar and check with sha256sum, long paths included', async () => {
    const long = `snom/${'d'.repeat(120)}/${'f'.repeat(90)}.xml`;
    const files = new Map([['asterisk/pjsip.conf', '[x]\ntype = endpoint\n'], [long, 'ż'.repeat(700)], ['empty', '']]);
    const m = makeManifest(files, { node: 'pbx', createdAt: at });
    writeFileSync(`${dir}/r.tgz`, await tarGz([...files, ['SHA256SUMS', sha256sums(m)]]));
    execFileSync('tar', ['-xzf', `${dir}/r.tgz`, '-C', dir]);
    expect(readFileSync(`${dir}/${long}`, 'utf8')).toBe(files.get(long));
    expect(execFileSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toContain('asterisk/pjsip.conf: OK');
  });
});
