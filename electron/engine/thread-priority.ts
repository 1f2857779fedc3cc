/**
 * Lets an engine worker thread yield the CPU to the threads a person waits on: the main process (which reads every
 * page's messages and writes every answer) and the interactive worker (which answers each stroke). On a machine with
 * fewer cores than busy threads, a heavy computation at equal priority takes its full share and a repaint's few
 * milliseconds of work wait behind it; a background thread still gets every cycle nobody else wants.
 */
import os from 'node:os';

/** Nice value of a background engine thread: main at 0 then gets about nine tenths of a contended core. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's priority. Only on Linux, where a nice value belongs to one thread (setpriority on the
 * calling thread): elsewhere it would lower the whole process, main thread included, so it is left alone there.
 * Returns whether it was lowered; a refusal by the system (a sandbox, a container) leaves the thread as it was.
 */
export function runInBackground(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return false;
  try {
    os.setPriority(BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
