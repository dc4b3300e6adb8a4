import { describe, expect, it } from 'vitest';
import { applyPatch, structuredPatch } from 'diff';
import { diffHunks, fileDiffs, sharedPrefix, sharedSuffix } from '../../../src/plan/files/diff.js';
import { MASK, maskLine } from '../../../src/plan/files/mask.js';
import { makePlan } from '../../../src/plan/plan.js';
import { renderMarkdown } from '../../../src/plan/render/markdown.js';

describe('maskLine', () => {
  it.each([
    ['asterisk/pjsip.conf', 'password = WoK2gUu6zT_P6zXsMEc6EtKu', `password = ${MASK}`],
    ['nodes/pbx-a/asterisk/manager.conf', 'secret = abcdefghijkl', `secret = ${MASK}`],
    ['asterisk/confbridge.conf', 'pin = 4711', `pin = ${MASK}`],
    ['asterisk/confbridge.conf', 'admin_pin = 9876', `admin_pin = ${MASK}`],
    ['asterisk/voicemail.conf', '2001 = 097946,Ирина Лукашевич,irina@kvantpay.by,,attach=yes', `2001 = ${MASK},Ирина Лукашевич,irina@kvantpay.by,,attach=yes`],
    ['nodes/edge/kamailio/db/subscriber', '1001-00041356324e:bb68478d9f92e283189a4bf99c57e371', `1001-00041356324e:${MASK}`],
    ['provisioning/nginx/snom.htpasswd', '0004135EBA7F:{SSHA}XJaE2j+b5EP9DuoQBz8xgM6Q4bpRLTExT3NQUw==', `0004135EBA7F:${MASK}`],
    ['snom/0004135EBA7F.xml', '    <user_pass idx="1" perm="R">WoK2gUu6zT_P6zXsMEc6EtKu</user_pass>', `    <user_pass idx="1" perm="R">${MASK}</user_pass>`],
    ['snom/0004135EBA7F.xml', '    <http_pass perm="R">Gx7!BBE0</http_pass>', `    <http_pass perm="R">${MASK}</http_pass>`],
    ['snom/0004135EBA7F.xml', '    <admin_mode_password perm="R">Gx7!BBE0</admin_mode_password>', `    <admin_mode_password perm="R">${MASK}</admin_mode_password>`],
    [
      'snom/snomD785-0004135EBA7F.htm',
      '  <file url="https://0004135EBA7F:Wqjj8tCmDdfWQio0On0xR1CZ@prov.kvantpay.by/snom/0004135EBA7F.xml"/>',
      `  <file url="https://0004135EBA7F:${MASK}@prov.kvantpay.by/snom/0004135EBA7F.xml"/>`,
    ],
    [
      'provisioning/dhcp/minsk.dhcpd.conf',
      '  option tftp-server-name "https://0004135EBA7F:Wqjj8tCmDdfWQio0On0xR1CZ@prov.kvantpay.by/snom/x.htm";',
      `  option tftp-server-name "https://0004135EBA7F:${MASK}@prov.kvantpay.by/snom/x.htm";`,
    ],
    ['dialer/campaigns.json', '    "api_token": "tok-123456",', `    "api_token": "${MASK}",`],
    ['archive/callplan-archive.service', 'Environment=ARCHIVE_PASSWORD=hunter2hunter2', `Environment=ARCHIVE_PASSWORD=${MASK}`],
  ])('%s: %s', (path, line, masked) => {
    expect(maskLine(path, line)).toBe(masked);
  });

  it('leaves lines that hold no secret alone', () => {
    for (const line of ['passwordlocation = spooldir', 'type = auth', 'auth_type = userpass', 'username = 2001-0004135eba7f', 'member = Local/2101@cp-queue-members/n,0,Анна,PJSIP/2101-softphone']) {
      expect(maskLine('asterisk/pjsip.conf', line)).toBe(line);
    }
    expect(maskLine('nodes/edge/kamailio/db/subscriber', 'username(str) ha1(str)')).toBe('username(str) ha1(str)');
    expect(maskLine('snom/0004135EBA7F.xml', '    <user_name idx="1" perm="R">2001-0004135eba7f</user_name>')).toBe('    <user_name idx="1" perm="R">2001-0004135eba7f</user_name>');
  });
});

describe('fileDiffs', () => {
  it('added, removed and changed files, sorted, with unified hunks and counts', () => {
    const before = new Map([
      ['b.conf', '[a]\nx = 1\ny = 2\n'],
      ['gone.conf', 'old\n'],
    ]);
    const after = new Map([
      ['b.conf', '[a]\nx = 1\ny = 3\n'],
      ['a.conf', 'new\n'],
    ]);
    const diffs = fileDiffs(before, after);
    expect(diffs.map((d) => [d.path, d.change, d.additions, d.deletions])).toEqual([
      ['a.conf', 'added', 1, 0],
      ['b.conf', 'changed', 1, 1],
      ['gone.conf', 'removed', 0, 1],
    ]);
    expect(diffs[0]!.patch.split('\n').slice(0, 2)).toEqual(['--- /dev/null', '+++ b/a.conf']);
    expect(diffs[1]!.patch).toBe(['--- a/b.conf', '+++ b/b.conf', '@@ -1,3 +1,3 @@', ' [a]', ' x = 1', '-y = 2', '+y = 3'].join('\n'));
    expect(diffs[2]!.patch.split('\n').slice(0, 2)).toEqual(['--- a/gone.conf', '+++ /dev/null']);
  });

  it('the same files: no diff', () => {
    const files = new Map([['a', 'x\n']]);
    expect(fileDiffs(files, new Map(files))).toEqual([]);
  });
});

describe('renderMarkdown', () => {
  it("escapes the model's text and fences a diff holding backticks", () => {
    const plan = makePlan({ before: new Map([['asterisk/extensions.conf', '[a]\n']]), after: new Map([['asterisk/extensions.conf', '[a]\n; ```` <b>|x|\n']]) });
    const md = renderMarkdown(plan, { project: 'p|<script>', against: 'main' });
    expect(md).toContain('`````diff');
    expect(md).not.toContain('<script>');
  });

  it('stops adding diffs before the comment grows too long, naming the files left out', () => {
    const after = new Map(Array.from({ length: 30 }, (_, i) => [`asterisk/f${String(i).padStart(2, '0')}.conf`, `${'x = 1\n'.repeat(200)}`] as [string, string]));
    const md = renderMarkdown(makePlan({ before: new Map(), after }), { project: 'p', against: 'main' }, 10_000);
    expect(md.length).toBeLessThan(12_000);
    expect(md).toMatch(/\d+ more files not shown \(the comment would be too long\): `asterisk\/f\d\d\.conf`/);
    expect(md).toContain('asterisk/f29.conf');
  });
});

describe('diffHunks: the shared start and end set aside', () => {
  /** A small deterministic generator, so a failure can be replayed. */
  function random(seed: number) {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
  }

  it('gives hunks that turn the old text into the new one, and (with its margin) the same hunks as a diff of the whole files', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = random(seed);
      // Short lines from a small alphabet: lines repeat, and one line's end is often another's.
      const base = Array.from({ length: 5 + Math.floor(r() * 60) }, (_, i) => (seed % 3 === 0 ? `${'ab'[Math.floor(r() * 2)]}${i % 4 === 0 ? '' : 'x'}\n` : `line ${i % 7 === 0 ? 'same' : i}\n`));
      const edited = [...base];
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const at = Math.floor(r() * (edited.length + 1));
        const what = r();
        if (what < 0.25) edited.splice(at, 0, `new ${seed}-${k}\n`);
        else if (what < 0.4 && at > 0) edited.splice(at - 1, 2, `${edited[at - 1]!.replace('\n', '')}${edited[at] ?? ''}`); // two lines joined
        else if (what < 0.66) edited.splice(at, 1);
        else edited.splice(at, 1, `changed ${seed}-${k}\n`);
      }
      let [old, now] = [base.join(''), edited.join('')];
      if (seed % 5 === 0) now = now.replace(/\n$/, ''); // no newline at the end of one side
      if (seed % 7 === 0) old = '';
      // With no margin or a small one, lines are really set aside: the hunks must still be right.
      for (const [context, margin] of [[0, 0], [1, 0], [3, 0], [3, 5]] as const) {
        const hunks = diffHunks(old, now, context, margin);
        expect(applyPatch(old, { oldFileName: 'a', newFileName: 'b', oldHeader: undefined, newHeader: undefined, hunks }), `seed ${seed}, context ${context}, margin ${margin}`).toBe(now);
      }
      expect(diffHunks(old, now), `seed ${seed}`).toEqual(structuredPatch('a', 'b', old, now, undefined, undefined, { context: 3 }).hunks);
    }
  });
});

describe('sharedPrefix and sharedSuffix', () => {
  const big = Array.from({ length: 5000 }, (_, i) => `line ${i} ünïcödé ${'x'.repeat(i % 17)}`).join('\n');

  it('count the characters two texts share at their start and end, across many blocks', () => {
    const at = 61_234;
    const changed = `${big.slice(0, at)}#${big.slice(at + 1)}`;
    expect(sharedPrefix(big, changed)).toBe(at);
    expect(sharedSuffix(big, changed)).toBe(big.length - at - 1);
    expect(sharedPrefix(big, big)).toBe(big.length);
    expect(sharedSuffix(big, `${big}!`)).toBe(0);
    expect(sharedPrefix(big, `${big}!`)).toBe(big.length);
  });

  it('agree with a character-by-character count, and the suffix stops at its limit', () => {
    const naivePrefix = (a: string, b: string) => {
      let n = 0;
      while (n < Math.min(a.length, b.length) && a[n] === b[n]) n++;
      return n;
    };
    for (const at of [0, 1, 4095, 4096, 4097, 12_288, big.length - 1]) {
      const other = `${big.slice(0, at)}${big.slice(at + 1)}`;
      expect(sharedPrefix(big, other)).toBe(naivePrefix(big, other));
      expect(sharedSuffix(big, other)).toBe(naivePrefix([...big].reverse().join(''), [...other].reverse().join('')));
    }
    expect(sharedSuffix(big, big, 10_000)).toBe(10_000);
    expect(sharedPrefix('', 'a')).toBe(0);
    expect(sharedSuffix('', '')).toBe(0);
  });
});
