/** vue-i18n set up with English and Chinese; the menu's labels come from the shared menu description. */
import { createI18n } from 'vue-i18n';
import { MENU_LABELS, type MenuLocale } from '../../../electron/contract/menu';
import en from './en';
import zhCN from './zh-CN';

export const LOCALES: readonly MenuLocale[] = ['en', 'zh-CN'];

export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: {
    en: { ...en, menu: MENU_LABELS.en },
    'zh-CN': { ...zhCN, menu: MENU_LABELS['zh-CN'] },
  },
});

export function setLocale(locale: MenuLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}
