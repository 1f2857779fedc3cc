import { describe, expect, test } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { nativeMenuTemplate } from './native-menu';
import { DEFAULT_SETTINGS } from './services/settings';

function find(items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = Array.isArray(item.submenu) ? find(item.submenu, id) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

describe('the native menu', () => {
  const done: string[] = [];
  const actions = { command: (c: string) => done.push(c), setting: (p: object) => done.push(JSON.stringify(p)), quit: () => done.push('quit') };

  test('has File, Edit, View and Help, in the user’s language', () => {
    const en = nativeMenuTemplate('en', DEFAULT_SETTINGS, actions);
    expect(en.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    const zh = nativeMenuTemplate('zh-CN', DEFAULT_SETTINGS, actions);
    expect(zh.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '帮助']);
  });

  test('disables what is not built, and routes what is', () => {
    const menu = nativeMenuTemplate('en', { ...DEFAULT_SETTINGS, locale: 'zh-CN' }, actions);
    expect(find(menu, 'edit-undo')?.enabled).toBe(true);
    expect(find(menu, 'locale-zh-CN')?.checked).toBe(true);
    expect(find(menu, 'locale-en')?.checked).toBe(false);
    const click = (id: string) => (find(menu, id)?.click as () => void)();
    click('edit-undo');
    click('locale-en');
    click('file-quit');
    expect(done).toEqual(['undo', '{"locale":"en"}', 'quit']);
  });
});
