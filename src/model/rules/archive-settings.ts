import { compileLayout, LayoutError } from '../../recordings/archive/layout.js';
import { parseDuration } from '../time.js';
import type { Rule } from './rule.js';

/** The archive settings `recordings archive` and its systemd timer would refuse or misuse. */
export const archiveSettings: Rule = {
  id: 'archive-settings',
  description: 'recording.archive is usable: a layout that names only known fields and ends with {file}, no password in the URL, a timer interval of at least a minute.',
  severity: 'error',
  check(ctx) {
    const a = ctx.raw.recording?.archive;
    if (!a) return;
    if (a.layout !== undefined) {
      try {
        compileLayout(a.layout);
      } catch (e) {
        if (!(e instanceof LayoutError)) throw e;
        ctx.report({ at: a, path: ['layout'] }, `recording.archive.${e.message}`, 'Write folders of fields and text, ending with the file name, e.g. {yyyy}/{mm}/{dd}/{queue}/{file}.');
      }
    }
    // The schema allows user@host; a password there would be a secret written inline.
    if (/^ftps?:\/\/[^/@\s]*:[^/@\s]*@/.test(a.url)) {
      ctx.report({ at: a, path: ['url'] }, 'recording.archive.url holds a password', 'Remove it from the URL and set password: "${env:NAME}" (the user may stay, or go to username).');
    }
    if (a.every !== undefined && parseDuration(a.every) < 60) {
      ctx.report({ at: a, path: ['every'] }, `recording.archive.every is ${a.every}: the archive timer runs at most once a minute`, 'Use 1m or more (e.g. 15m).');
    }
  },
};
