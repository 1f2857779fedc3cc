// The start-up sweep: 20 saves killed mid-write (simulated as the writer leaves them: a partly written temporary
// file beside the target) are cleaned away at the next start; nothing else is touched.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempPathFor, TEMP_FILE_PATTERN } from './atomic-write';
import { createRecentFiles } from './recent-files';
import { sweepLeftovers } from './startup-sweep';

describe('the start-up sweep of killed saves', () => {
  test('20 killed saves in the data folder and beside recent labs: every temporary file goes, every other file stays', async () => {
    const data = mkdtempSync(join(tmpdir(), 'convlab-sweep-data-'));
    const labs = mkdtempSync(join(tmpdir(), 'convlab-sweep-labs-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'convlab-sweep-other-'));
    const lab = join(labs, 'edges.convlab.json');
    writeFileSync(lab, '{"type":"convlab","version":1,"the":"previous lab"}');
    const recent = await createRecentFiles(join(data, 'recent.json'));
    await recent.add(lab);

    // What a save killed after opening its temporary file leaves: a partial copy named in the writer's pattern.
    const targets = [lab, join(data, 'settings.json'), join(data, 'autosave.json'), join(data, 'recent.json')];
    for (let i = 0; i < 20; i++) writeFileSync(tempPathFor(targets[i % targets.length]), '{"partial": '.repeat(i + 1));
    // Look-alikes that are not the writer's, a folder in its pattern, and a temp file in a folder ConvLab never used.
    const foreign = ['.edges.convlab.json.tmp', 'notes.tmp', '.edges.convlab.json.ABCDEF123456.tmp', 'edges.convlab.json.0123456789ab.tmp', '.x.0123456789a.tmp'];
    for (const name of foreign) writeFileSync(join(labs, name), 'not ours');
    mkdirSync(join(labs, '.folder.0123456789ab.tmp'));
    writeFileSync(tempPathFor(join(elsewhere, 'a.convlab.json')), 'not in a folder we swept');

    const temps = () => [...readdirSync(data), ...readdirSync(labs)].filter((name) => TEMP_FILE_PATTERN.test(name));
    expect(temps()).toHaveLength(21); // 20 files and the folder

    expect(await sweepLeftovers(data, await createRecentFiles(join(data, 'recent.json')))).toBe(20);
    expect(temps()).toEqual(['.folder.0123456789ab.tmp']);
    expect(readdirSync(labs).sort()).toEqual([...foreign, '.folder.0123456789ab.tmp', basename(lab)].sort());
    expect(readFileSync(lab, 'utf8')).toMatch(/previous lab/);
    expect(readdirSync(elsewhere)).toHaveLength(1);
  });

  test('a data folder that does not exist yet is nothing to sweep', async () => {
    const missing = join(tmpdir(), 'convlab-sweep-missing', String(Date.now()));
    expect(await sweepLeftovers(missing, await createRecentFiles(join(missing, 'recent.json')))).toBe(0);
  });
});
