import type { Model } from '../../model/types.js';
import { header } from './conf/header.js';
import { renderConf } from './conf/ini.js';

/**
 * amd.conf, for projects with a campaign that uses answering-machine detection (app_amd does not
 * load without it). Asterisk's own sample timings, written out so a change of Asterisk's defaults
 * cannot change how the dialer hears machines: a greeting longer than 1.5 s, or more than 2 words
 * before 0.8 s of silence, is a machine; 2.5 s of silence first is one too; a decision within 5 s.
 */
export function amdConf(model: Model): string | undefined {
  if (!model.campaigns.some((c) => c.amd.enabled)) return undefined;
  return renderConf(header('amd.conf', model), [
    {
      name: 'general',
      entries: [
        ['initial_silence', 2500],
        ['greeting', 1500],
        ['after_greeting_silence', 800],
        ['total_analysis_time', 5000],
        ['min_word_length', 100],
        ['between_words_silence', 50],
        ['maximum_number_of_words', 2],
        ['maximum_word_length', 5000],
        ['silence_threshold', 256],
      ],
    },
  ]);
}
