import { expect, test } from 'vitest';
import { MESSAGES } from './messages';

function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree === 'string') return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
const at = (tree: unknown, path: string) => path.split('.').reduce((node, k) => (node as Record<string, unknown>)[k], tree) as string;

test('Chinese has every English key, with the same placeholders, and no empty string', () => {
  const en = keys(MESSAGES.en);
  expect(keys(MESSAGES['zh-CN']).sort()).toEqual([...en].sort());
  for (const key of en) {
    expect(at(MESSAGES['zh-CN'], key).length, key).toBeGreaterThan(0);
    expect(placeholders(at(MESSAGES['zh-CN'], key)), key).toEqual(placeholders(at(MESSAGES.en, key)));
  }
});
