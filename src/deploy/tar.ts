import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/**
 * A release as a gzipped tar: regular files only, mode 0640, no owner (the host unpacks it with
 * `tar -xzm --no-same-owner`), no time stamps, so the same release is the same bytes. The host
 * gives each file the time it unpacked it (-m): Asterisk tells a changed config file by its size
 * and mtime, and one mtime for every release would hide a change that kept the size.
 */
export async function tarGz(files: Iterable<[path: string, content: string | Buffer]>): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of tar) chunks.push(chunk as Buffer);
  })();
  for (const [path, content] of files) {
    tar.entry({ name: path, mode: 0o640, mtime: new Date(0), uid: 0, gid: 0 }, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  tar.finalize();
  await collected;
  return gzipSync(Buffer.concat(chunks), { level: 6 });
}
