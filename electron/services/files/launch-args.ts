/** Finds the lab file the operating system asked ConvLab to open in a command line (file association, second start). */
import { isAbsolute, resolve } from 'node:path';
import { LAB_FILE_EXTENSION } from '../../contract/lab-file';

/**
 * The first argument naming a `.convlab.json` file, made absolute against the launching process's folder. Flags
 * (`--foo`, including Chromium's own) and the executable and script are never taken for a file.
 */
export function labPathFromArgv(argv: readonly string[], workingDirectory: string): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (arg.toLowerCase().endsWith(LAB_FILE_EXTENSION)) return isAbsolute(arg) ? arg : resolve(workingDirectory, arg);
  }
  return null;
}
