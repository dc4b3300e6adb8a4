import { Volume, createFsFromVolume } from 'memfs';
import type * as nodeFs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILD_MARKER, OutputDirError, writeTree } from '../../../src/build/write-tree.js';

const tree = new Map([
  ['asterisk/pjsip.conf', '[1001-desk]\ntype = auth\npassword = s3cret-Value-1\n'],
  ['snom/000413000001.xml', '<user_pass idx="1">s3cret</user_pass>\n'],
  ['model.json', '{}\n'],
]);

function fresh() {
  const fs = createFsFromVolume(new Volume()) as unknown as typeof nodeFs;
  fs.mkdirSync('/work', { recursive: true });
  return fs;
}

describe('writing a build', () => {
  it('only its owner can read it: folders 0700, files 0600 (a build holds SIP and manager secrets)', () => {
    const fs = fresh();
    writeTree('/work/build', tree, fs);
    expect(fs.statSync('/work/build').mode & 0o777).toBe(0o700);
    expect(fs.statSync('/work/build/snom').mode & 0o777).toBe(0o700);
    for (const f of [...tree.keys(), BUILD_MARKER]) expect(fs.statSync(`/work/build/${f}`).mode & 0o777, f).toBe(0o600);
    expect(fs.readFileSync('/work/build/asterisk/pjsip.conf', 'utf8')).toBe(tree.get('asterisk/pjsip.conf'));
  });

  it('a rebuild replaces the whole folder; a folder callplan did not write is refused and left alone', () => {
    const fs = fresh();
    writeTree('/work/build', tree, fs);
    writeTree('/work/build', new Map([['model.json', '{"v":2}\n']]), fs);
    expect(fs.readdirSync('/work/build').sort()).toEqual([BUILD_MARKER, 'model.json']);
    fs.mkdirSync('/work/mine');
    fs.writeFileSync('/work/mine/notes.txt', 'keep');
    expect(() => writeTree('/work/mine', tree, fs)).toThrow(OutputDirError);
    expect(fs.readFileSync('/work/mine/notes.txt', 'utf8')).toBe('keep');
  });
});
