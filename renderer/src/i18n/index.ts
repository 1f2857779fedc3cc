/** vue-i18n set up with English and Chinese. */
import { createI18n } from 'vue-i18n';
import type { MenuLocale } from '../../../electron/contract/menu';
import { MESSAGES } from './messages';

export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: MESSAGES,
});

export function setLocale(locale: MenuLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}
