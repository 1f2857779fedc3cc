/** The user's preferences as the page applies them: language, theme and zoom, kept by the main side. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo, Settings } from '../../../electron/contract/contract';
import { resolveLocale } from '../../../electron/contract/menu';
import { api } from '../api/client';
import { setLocale } from '../i18n';

const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>({ locale: 'system', theme: 'system', zoom: 1 });
  const info = ref<AppInfo | null>(null);
  const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
  const prefersDark = ref(systemDark.matches);
  systemDark.addEventListener('change', (event) => (prefersDark.value = event.matches));

  const locale = computed(() => resolveLocale(settings.value.locale, info.value?.systemLocale ?? navigator.language));
  const theme = computed(() =>
    settings.value.theme === 'system' ? (prefersDark.value ? 'dark' : 'light') : settings.value.theme,
  );

  function apply(next: Settings): void {
    settings.value = next;
    setLocale(locale.value);
    document.documentElement.dataset.theme = theme.value;
  }

  async function load(): Promise<void> {
    const [infoResult, settingsResult] = await Promise.all([api.appInfo({}), api.getSettings({})]);
    if (infoResult.ok) info.value = infoResult.value;
    if (settingsResult.ok) apply(settingsResult.value);
    api.on('settingsChanged', apply);
  }

  async function change(patch: Partial<Settings>): Promise<void> {
    const result = await api.setSettings(patch);
    if (result.ok) apply(result.value);
  }

  /** The zoom asked for but not yet confirmed by the host: quick presses step from it, not from a stale value. */
  let pendingZoom: number | null = null;

  async function zoomBy(direction: -1 | 0 | 1): Promise<void> {
    const current = pendingZoom ?? settings.value.zoom;
    const next =
      direction === 0 ? 1
        : (direction > 0 ? ZOOM_STEPS.find((z) => z > current + 1e-6) : [...ZOOM_STEPS].reverse().find((z) => z < current - 1e-6)) ?? current;
    pendingZoom = next;
    try {
      await change({ zoom: next });
    } finally {
      if (pendingZoom === next) pendingZoom = null;
    }
  }

  return { settings, info, locale, theme, load, change, zoomBy, refreshTheme: () => apply(settings.value) };
});
