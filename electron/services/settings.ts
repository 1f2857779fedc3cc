/** The user's preferences (language, theme, zoom), kept in one JSON file and announced when they change. */
import { readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import { SettingsSchema, type Settings } from '../contract/contract';
import { writeFileAtomic } from './files/atomic-write';

export const DEFAULT_SETTINGS: Settings = { locale: 'system', theme: 'system', zoom: 1 };

export interface SettingsService {
  get(): Settings;
  set(patch: Partial<Settings>): Promise<Settings>;
  onChange(listener: (settings: Settings) => void): () => void;
}

/** Loads the file at `path`; a missing or damaged file means the defaults (preferences are never worth a crash). */
export async function createSettingsService(path: string): Promise<SettingsService> {
  let current: Settings = { ...DEFAULT_SETTINGS };
  try {
    const parsed = v.safeParse(v.partial(SettingsSchema), JSON.parse(await readFile(path, 'utf8')));
    if (parsed.success) current = { ...DEFAULT_SETTINGS, ...parsed.output };
  } catch {
    // first start, or a damaged file: keep the defaults
  }
  const listeners = new Set<(settings: Settings) => void>();
  return {
    get: () => ({ ...current }),
    async set(patch) {
      current = { ...current, ...patch };
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, JSON.stringify(current, null, 2));
      for (const listener of listeners) listener({ ...current });
      return { ...current };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
