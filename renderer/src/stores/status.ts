/** The one line that tells the user what just happened: a refused edit, an import that failed. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useStatusStore = defineStore('status', () => {
  const message = ref<string | null>(null);
  const tone = ref<'info' | 'error'>('info');
  let timer: ReturnType<typeof setTimeout> | undefined;

  function show(text: string, kind: 'info' | 'error'): void {
    message.value = text;
    tone.value = kind;
    clearTimeout(timer);
    // Errors stay until the next action; information fades.
    if (kind === 'info') timer = setTimeout(() => (message.value = null), 4000);
  }
  return {
    message,
    tone,
    refuse: (text: string) => show(text, 'error'),
    inform: (text: string) => show(text, 'info'),
    clear: () => (message.value = null),
  };
});
