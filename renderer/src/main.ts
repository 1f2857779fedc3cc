/** The page's entry: stores, translations, the user's settings, then the lab. */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { i18n } from './i18n';
import { useSettingsStore } from './stores/settings';
import './styles/base.css';

const app = createApp(App).use(createPinia()).use(i18n);
// Settings first, so the first frame is already in the user's language and theme.
void useSettingsStore()
  .load()
  .finally(() => app.mount('#app'));
