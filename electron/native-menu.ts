/** Turns the shared menu description into Electron's application menu. */
import type { MenuItemConstructorOptions } from 'electron';
import { AVAILABLE_COMMANDS, MENU, MENU_LABELS, type MenuItem, type MenuLocale } from './contract/menu';
import type { MenuCommand, Settings } from './contract/contract';

export interface NativeMenuActions {
  command(command: MenuCommand): void;
  setting(patch: Partial<Settings>): void;
  quit(): void;
}

export function nativeMenuTemplate(
  locale: MenuLocale,
  settings: Settings,
  actions: NativeMenuActions,
): MenuItemConstructorOptions[] {
  const labels = MENU_LABELS[locale];
  const convert = (item: MenuItem): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { id: item.id, type: 'separator' };
      case 'quit':
        return { id: item.id, label: labels[item.label], accelerator: item.accelerator, click: actions.quit };
      case 'submenu':
        return { id: item.id, label: labels[item.label], submenu: item.items.map(convert) };
      case 'setting':
        return {
          id: item.id,
          label: labels[item.label],
          type: 'radio',
          checked: settings[item.setting.key] === item.setting.value,
          click: () => actions.setting({ [item.setting.key]: item.setting.value }),
        };
      case 'command':
        return {
          id: item.id,
          label: labels[item.label],
          accelerator: item.accelerator,
          enabled: AVAILABLE_COMMANDS.has(item.command),
          click: () => actions.command(item.command),
        };
    }
  };
  return MENU.map((top) => ({ id: top.id, label: labels[top.label], submenu: top.items.map(convert) }));
}
