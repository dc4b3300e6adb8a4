import type { Model } from '../../model/types.js';
import { header } from './conf/header.js';
import { renderConf } from './conf/ini.js';

/** Asterisk's own default class plus every class the project defines. */
export function musiconholdConf(model: Model): string {
  return renderConf(header('musiconhold.conf', model), [
    { name: 'default', entries: [['mode', 'files'], ['directory', 'moh']] },
    ...model.music.map((m) => ({
      name: m.name,
      comment: m.description,
      entries: [
        ['mode', 'files'],
        ['directory', m.directory],
        ['sort', m.order === 'random' ? 'random' : 'alpha'],
      ] as [string, string][],
    })),
  ]);
}
