import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createSettingsService, DEFAULT_SETTINGS } from './settings';

describe('settings service', () => {
  test('starts from the defaults, remembers a change on disk and announces it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convlab-settings-'));
    const file = join(dir, 'nested', 'settings.json');
    const service = await createSettingsService(file);
    expect(service.get()).toEqual(DEFAULT_SETTINGS);
    const seen: string[] = [];
    service.onChange((s) => seen.push(s.locale));
    await service.set({ locale: 'zh-CN' });
    expect(seen).toEqual(['zh-CN']);
    expect(JSON.parse(await readFile(file, 'utf8')).locale).toBe('zh-CN');
    const again = await createSettingsService(file);
    expect(again.get().locale).toBe('zh-CN');
  });

  test('a damaged file falls back to the defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convlab-settings-'));
    const file = join(dir, 'settings.json');
    await writeFile(file, '{"locale": "klingon"');
    expect((await createSettingsService(file)).get()).toEqual(DEFAULT_SETTINGS);
    await writeFile(file, '{"locale": "klingon"}');
    expect((await createSettingsService(file)).get()).toEqual(DEFAULT_SETTINGS);
  });

  test('keeps a limit on engine workers, and refuses one below 1 by falling back to the defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convlab-settings-'));
    const file = join(dir, 'settings.json');
    await writeFile(file, '{"engineWorkers": 1}');
    expect((await createSettingsService(file)).get().engineWorkers).toBe(1);
    await writeFile(file, '{"engineWorkers": 0}');
    expect((await createSettingsService(file)).get()).toEqual(DEFAULT_SETTINGS);
  });
});
