/**
 * A user's language (ISO 639-1, as the model keeps it) as SNOM's `language` / `web_language`
 * value: the language's name as the phone lists it.
 *
 * en, de, es, fr, it and nl are the names Wazo's and XiVO's SNOM plugins write. The other names
 * follow SNOM's language list but were not found in a provisioning tool we could check: verify
 * them on a phone of your firmware. A name the firmware does not know leaves the phone in its
 * current language, and the setting stays the user's to change (perm "!").
 */
const SNOM_LANGUAGES: Readonly<Record<string, string>> = {
  cs: 'Cestina',
  da: 'Dansk',
  de: 'Deutsch',
  en: 'English',
  es: 'Espanol',
  fi: 'Suomi',
  fr: 'Francais',
  it: 'Italiano',
  nl: 'Dutch',
  no: 'Norsk',
  pl: 'Polski',
  pt: 'Portugues',
  ru: 'Russian',
  sk: 'Slovencina',
  sv: 'Svenska',
  tr: 'Turkce',
};

/** The SNOM name of a language, or undefined when callplan knows none (the phone keeps its own). */
export function snomLanguage(language: string): string | undefined {
  return SNOM_LANGUAGES[language.toLowerCase().split(/[-_]/)[0]!];
}
