// `npm start`: the desktop app needs Electron's own binary, which some machines never download (offline installs,
// ELECTRON_SKIP_BINARY_DOWNLOAD). Look for it first, as the electron package would, without its download fallback;
// where it is missing, say so in one line, point to the browser host, and exit non-zero instead of a stack trace.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
  return executable ? join(electronDir, 'dist', executable) : null;
}

const binary = electronBinary();
if (!binary || !existsSync(binary)) {
  console.error('ConvLab: the Electron binary is not installed here, so the desktop app cannot start; run `npm run web` to use ConvLab in your browser.');
  process.exit(1);
}

const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
const child = spawn(bin, ['preview', ...process.argv.slice(2)], { stdio: 'inherit', shell: process.platform === 'win32' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
