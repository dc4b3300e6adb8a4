import { gzipSync } from 'node:zlib';

/**
 * A minimal ustar writer, enough for a release: regular files only, paths up to 255 bytes (split
 * into prefix and name), mode 0640 and no owner, gzipped. The host unpacks it with `tar -xz`.
 */
export function tarGz(files: Iterable<[path: string, content: string | Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of files) {
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    parts.push(header(path, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts), { level: 6 });
}

function splitPath(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new Error(`path too long for a release archive: ${path}`);
}

function header(path: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  const [prefix, name] = splitPath(path);
  h.write(name, 0, 100, 'utf8');
  h.write('0000640\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}
