import path from 'node:path';
import { Document, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { RawUser } from '../model/input.js';

export interface FileHeader {
  /** The CSV's name as the report shows it (its base name: no home directories in a committed file). */
  source: string;
  /** First hex digits of the CSV's SHA-256, so a file can be traced to the export it came from. */
  sha256: string;
  /** The `$schema` reference of the project's root file, already made relative to this file. */
  schema?: string;
}

/** Strings YAML 1.1 readers (older editors and tools) take for booleans or null: quoted, though callplan reads YAML 1.2. */
const YAML11_WORDS = /^(y|yes|n|no|on|off|true|false|null|~)$/i;

/**
 * One users file, laid out like the hand-written ones: a comment saying where it came from,
 * one block per user, each device a one-line flow mapping, extensions and MACs quoted.
 * Written with the `yaml` library, never by string concatenation, so any name is escaped right.
 */
export function renderUsersFile(users: readonly RawUser[], header: FileHeader): string {
  const doc = new Document({ users });
  const lines = [
    ...(header.schema ? [` yaml-language-server: $schema=${header.schema}`] : []),
    ` Imported by \`callplan import\` from ${header.source} (sha256 ${header.sha256}): ${users.length} user${users.length === 1 ? '' : 's'}.`,
    ' Edit freely: a later import replaces this file only when run with --force.',
    " No passwords here: each phone's SIP password is derived from secrets.device_master.",
  ];
  doc.commentBefore = lines.join('\n');
  const seq = doc.get('users');
  if (isSeq(seq)) {
    seq.items.forEach((item, i) => {
      if (!isMap(item)) return;
      if (i > 0) item.spaceBefore = true;
      for (const pair of item.items) {
        if (isScalar(pair.value) && typeof pair.value.value === 'string') {
          const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
          if (key === 'extension' || YAML11_WORDS.test(pair.value.value)) pair.value.type = Scalar.QUOTE_DOUBLE;
        }
      }
      const devices = item.get('devices');
      if (!isSeq(devices)) return;
      for (const device of devices.items) {
        if (!isMap(device)) continue;
        device.flow = true;
        const mac = device.get('mac', true);
        if (isScalar(mac)) mac.type = Scalar.QUOTE_DOUBLE;
      }
    });
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * The root file's `# yaml-language-server: $schema=...` reference, seen from a file in another
 * folder (so editors keep completing the new file), or undefined when the root has none.
 */
export function schemaRefFor(rootText: string, rootDir: string, fileDir: string): string | undefined {
  const m = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(rootText.split('\n', 5).join('\n'));
  if (!m) return undefined;
  const ref = m[1]!;
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || path.isAbsolute(ref)) return ref;
  const rel = path.relative(fileDir, path.resolve(rootDir, ref)).split(path.sep).join('/');
  return rel === '' ? ref : rel;
}
