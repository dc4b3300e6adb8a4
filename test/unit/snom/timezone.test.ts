import { describe, expect, it } from 'vitest';
import { snomLanguage } from '../../../src/targets/snom/language.js';
import { codeOffsetSeconds, offsetAt, SNOM_ZONE_CODES, snomTimezone, standardOffsetSeconds } from '../../../src/targets/snom/timezone.js';

describe('SNOM time zones', () => {
  it.each(Object.entries(SNOM_ZONE_CODES))('%s → %s: the code’s offset is the zone’s standard offset today', (zone, code) => {
    expect(codeOffsetSeconds(code)).toBe(standardOffsetSeconds(zone));
  });

  it('maps the zones of the examples: Poland, Belarus and Russia from Moscow to Vladivostok', () => {
    expect(['Europe/Warsaw', 'Europe/Minsk', 'Europe/Moscow', 'Asia/Yekaterinburg', 'Asia/Novosibirsk', 'Asia/Vladivostok'].map((z) => snomTimezone(z))).toEqual(
      ['POL+1', 'RUS+3', 'RUS+3', 'RUS+5', 'RUS+7', 'RUS+10'].map((code) => ({ code })),
    );
  });

  it('gives a zone SNOM has no code for its UTC offset instead (Sakhalin, UTC+11)', () => {
    expect(snomTimezone('Asia/Sakhalin')).toEqual({ utcOffset: 11 * 3600 });
    expect(snomTimezone('America/Argentina/Buenos_Aires')).toEqual({ utcOffset: -3 * 3600 });
  });

  it('reads standard time, not summer time', () => {
    expect(offsetAt('Europe/Warsaw', Date.UTC(2026, 6, 1))).toBe(7200);
    expect(standardOffsetSeconds('Europe/Warsaw')).toBe(3600);
    expect(standardOffsetSeconds('Australia/Sydney')).toBe(10 * 3600);
    expect(codeOffsetSeconds('GBR-0')).toBe(0);
    expect(codeOffsetSeconds('IND+5.5')).toBe(19800);
  });
});

describe('SNOM language names', () => {
  it('names the languages of the examples and leaves unknown ones to the phone', () => {
    expect(['pl', 'ru', 'en', 'de', 'en_GB', 'xx'].map(snomLanguage)).toEqual(['Polski', 'Russian', 'English', 'Deutsch', 'English', undefined]);
  });
});
