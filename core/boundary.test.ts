// core/ imports nothing outside itself: every import in its source resolves to a file inside core/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const root = dirname(new URL(import.meta.url).pathname);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

test('every import in core/ stays inside core/', () => {
  const escapes: string[] = [];
  const files = sources(root).filter((file) => !file.includes('test-support'));
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const specifier = match[1];
      const inside = specifier.startsWith('.') && !relative(root, resolve(dirname(file), specifier)).startsWith('..');
      if (!inside) escapes.push(`${relative(root, file)} imports ${specifier}`);
    }
  }
  expect(escapes).toEqual([]);
});
