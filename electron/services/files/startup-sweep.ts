/**
 * At start, the temporary files a killed save left behind are removed: in the data folder (settings, recent list,
 * autosave) and beside each recent lab, the only other places ConvLab writes labs.
 */
import { sweepTempFiles } from './atomic-write';
import type { RecentFiles } from './recent-files';

export async function sweepLeftovers(dataDir: string, recent: RecentFiles): Promise<number> {
  const folders = new Set([dataDir, ...(await recent.list()).map((file) => file.folder)]);
  let removed = 0;
  for (const folder of folders) removed += await sweepTempFiles(folder);
  return removed;
}
