// The packaged app, checked without downloading Electron: electron-builder --dir packs the built app (out/) against a
// stand-in Electron distribution (its electronDist option), then the resulting app.asar is opened and every file
// main loads — its chunks, the preload, the renderer and its assets, the icon, its node_modules, and the engine and
// image decode workers with the chunks they import — must be inside the archive, or (the workers) unpacked beside it.
// Needs `npm run build` first; runs as `npm run pack-check` (vitest.pack.config.ts), after the build in `npm test`.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as asar from '@electron/asar';
import { beforeAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
let resources: string;
let archive: string;
let inside: Set<string>;

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/main.js'))) throw new Error('build the app first: npm run build');
  // The stand-in distribution: an executable named electron and its version; electron-builder copies and renames it.
  const dist = mkdtempSync(join(tmpdir(), 'convlab-electron-dist-'));
  mkdirSync(join(dist, 'resources'));
  writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho "a stand-in for Electron"\n');
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'version'), electronVersion);
  const output = mkdtempSync(join(tmpdir(), 'convlab-packed-'));
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--config', 'build/electron-builder.yml', '--dir', '--linux', '--x64', '--publish', 'never',
      `-c.electronDist=${dist}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${output}`,
    ],
    { cwd: root, stdio: 'pipe', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
  resources = join(output, 'linux-unpacked/resources');
  archive = join(resources, 'app.asar');
  inside = new Set(asar.listPackage(archive, { isPack: false }).map((path) => path.replace(/\\/g, '/').replace(/^\//, '')));
}, 120_000);

/** The relative and bare specifiers a built module imports (static, dynamic, require). */
function importsOf(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)) found.add(match[1]);
  return [...found];
}
const isBuiltin = (specifier: string) => specifier === 'electron' || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Follows a module's imports; answers every file reached, reading each from the archive or from beside it. */
function closure(start: string, read: (path: string) => string | null): { files: string[]; missing: string[]; packages: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const packages = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.includes(file)) continue;
    const code = read(file);
    if (code === null) {
      missing.push(file);
      continue;
    }
    files.push(file);
    for (const specifier of importsOf(code)) {
      if (specifier.startsWith('.')) queue.push(posix.normalize(posix.join(posix.dirname(file), specifier)));
      else if (!isBuiltin(specifier)) packages.add(packageOf(specifier));
    }
  }
  return { files, missing, packages: [...packages] };
}

const fromArchive = (path: string) => (inside.has(path) ? asar.extractFile(archive, path).toString('utf8') : null);
const fromUnpacked = (path: string) => {
  const file = join(resources, 'app.asar.unpacked', path);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
};

describe('the packaged app', () => {
  test('main and every module it imports are inside app.asar, with the packages they need', () => {
    const main = closure('out/main/main.js', fromArchive);
    expect(main.missing).toEqual([]);
    expect(main.files.length).toBeGreaterThan(1);
    for (const name of main.packages) expect(inside.has(`node_modules/${name}/package.json`), name).toBe(true);
    const manifest = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string };
    expect(manifest.main).toBe('out/main/main.js');
  });

  test('the files main opens by path are packed: the preload, the renderer with its assets, the icon', () => {
    const main = fromArchive('out/main/main.js')!;
    expect(main).toContain('preload/preload.cjs');
    expect(inside.has('out/preload/preload.cjs')).toBe(true);
    expect(inside.has('out/renderer/icon.png')).toBe(true);
    const page = fromArchive('out/renderer/index.html')!;
    const assets = [...page.matchAll(/(?:src|href)="\.?\/?([^"]+)"/g)].map((m) => m[1]).filter((path) => !path.startsWith('http') && !path.startsWith('data:'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(inside.has(posix.join('out/renderer', asset)), asset).toBe(true);
  });

  test.each(['engine-worker', 'lab-codec-worker', 'image-decode-worker'])('the %s and every chunk it imports are unpacked beside the archive, where main starts it', (name) => {
    const worker = closure(`out/main/${name}.js`, fromUnpacked);
    expect(worker.missing).toEqual([]);
    expect(worker.files.length).toBeGreaterThan(1);
    for (const name of worker.packages) expect(existsSync(join(resources, 'app.asar.unpacked/node_modules', name)) || inside.has(`node_modules/${name}/package.json`), name).toBe(true);
    expect(dirname(join(resources, `app.asar.unpacked/out/main/${name}.js`))).toBe(join(resources, 'app.asar.unpacked/out/main'));
  });
});
