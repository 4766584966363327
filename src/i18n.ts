/**
 * The learner's language. Korean and English are both first-class: every sentence the kit
 * shows a learner exists in both. `LAB_LANG=ko|en` wins; otherwise the locale (LC_ALL,
 * LC_MESSAGES, LANG) decides; otherwise English.
 */
export type Lang = 'ko' | 'en';
export const LANGS: readonly Lang[] = ['ko', 'en'];

/** A sentence in both languages. */
export interface Localized {
  ko: string;
  en: string;
}

/** Text that is either the same in both languages (a value, a name) or localized. */
export type Text = string | Localized;

export function detectLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const chosen = env.LAB_LANG?.trim().toLowerCase();
  if (chosen === 'ko' || chosen === 'en') return chosen;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function t(text: Text | undefined, lang: Lang): string {
  if (text === undefined) return '';
  return typeof text === 'string' ? text : text[lang];
}

/** Shorthand for a localized sentence: `L('한국어', 'English')`. */
export function L(ko: string, en: string): Localized {
  return { ko, en };
}
