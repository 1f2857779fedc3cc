import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gateLabText, serializeLab } from '../../contract/lab-file';
import { createAutosave } from './autosave';
import { createFilesService, NO_DIALOGS, type Dialogs } from './files';
import { createRecentFiles } from './recent-files';

const GOOD = readFileSync(join(import.meta.dirname, '../fixtures/good-v1.convlab.json'), 'utf8');
const goodLab = () => {
  const result = gateLabText(GOOD);
  if (!result.ok) throw new Error(result.message);
  return result.lab;
};

/** Dialogs that answer from a queue, as a user clicking through them would. */
function scriptedDialogs(answers: (string | null)[]): Dialogs & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    chooseLabToOpen: async () => (asked.push('open'), answers.shift() ?? null),
    chooseSavePath: async (kind, name) => (asked.push(`${kind}:${name}`), answers.shift() ?? null),
    chooseImageToOpen: async () => (asked.push('image'), answers.shift() ?? null),
  };
}

async function setUp(answers: (string | null)[] = [], data = mkdtempSync(join(tmpdir(), 'convlab-data-'))) {
  const docs = mkdtempSync(join(tmpdir(), 'convlab-docs-'));
  const dialogs = scriptedDialogs(answers);
  const files = createFilesService(dialogs, await createRecentFiles(join(data, 'recent.json')), await createAutosave(data));
  return { files, dialogs, data, docs };
}

describe('opening and saving', () => {
  test('open reads, gates and remembers the file; save writes it back in place', async () => {
    const { files, docs } = await setUp();
    const path = join(docs, 'edges.convlab.json');
    writeFileSync(path, GOOD);
    const opened = await files.open(path);
    expect(opened.name).toBe('edges');
    expect(opened.lab).toEqual(goodLab());
    expect(files.currentPath()).toBe(path);

    const changed = { ...goodLab(), input: { channels: 1, height: 1, width: 2, data: [7, 8] } };
    expect(await files.save(serializeLab(changed))).toEqual({ name: 'edges' });
    expect(JSON.parse(readFileSync(path, 'utf8')).lab.input.data).toEqual([7, 8]);
  });

  test('a bad file is refused by name, and the open file stays the current one', async () => {
    const { files, docs } = await setUp();
    const good = join(docs, 'good.convlab.json');
    const bad = join(docs, 'bad.convlab.json');
    writeFileSync(good, GOOD);
    writeFileSync(bad, GOOD.replace('"version": 1', '"version": 5'));
    await files.open(good);
    await expect(files.open(bad)).rejects.toMatchObject({
      code: 'bad-file',
      message: 'bad.convlab.json: this lab was saved by a newer ConvLab (version 5); this version reads up to 4',
    });
    await expect(files.open(join(docs, 'gone.convlab.json'))).rejects.toMatchObject({ code: 'io', message: 'gone.convlab.json could not be read (ENOENT)' });
    expect(files.currentPath()).toBe(good);
  });

  test('an untitled lab asks where to save, adds the extension, and then saves there without asking', async () => {
    const { files, dialogs, docs } = await setUp();
    dialogs.chooseSavePath = async (kind, name) => (dialogs.asked.push(`${kind}:${name}`), join(docs, 'mine'));
    expect(await files.save(GOOD)).toEqual({ name: 'mine' });
    expect(await files.save(GOOD)).toEqual({ name: 'mine' });
    expect(dialogs.asked).toEqual(['lab:lab.convlab.json']);
    expect(readdirSync(docs)).toEqual(['mine.convlab.json']);
  });

  test('a cancelled dialog changes nothing; a page cannot save a bad lab', async () => {
    const { files, docs } = await setUp([null, null]);
    expect(await files.openDialog()).toBeNull();
    expect(await files.saveAs(GOOD, 'x')).toBeNull();
    await expect(files.save('{"type":"convlab","version":1}')).rejects.toMatchObject({ code: 'bad-file', message: 'lab.convlab.json: lab is missing' });
    expect(readdirSync(docs)).toEqual([]);
  });

  test('suggested names are names, never paths', async () => {
    const { files, dialogs } = await setUp([null]);
    await files.saveAs(GOOD, '../../etc/passwd');
    expect(dialogs.asked).toEqual(['lab:passwd.convlab.json']);
    expect((await files.encode(GOOD, 'C:\\x\\week 1')).fileName).toBe('week 1.convlab.json');
  });

  test('an upload is gated like a file from disk and leaves no path behind', async () => {
    const { files, docs } = await setUp();
    writeFileSync(join(docs, 'a.convlab.json'), GOOD);
    await files.open(join(docs, 'a.convlab.json'));
    expect(await files.importText(GOOD, 'week 2.convlab.json')).toEqual({ name: 'week 2', lab: goodLab() });
    expect(files.currentPath()).toBeNull();
    await expect(files.importText('nope', 'x.convlab.json')).rejects.toThrow(/^x\.convlab\.json: this file is not JSON/);
  });

  test('the browser host has no dialogs and says what to do instead', async () => {
    const data = mkdtempSync(join(tmpdir(), 'convlab-data-'));
    const files = createFilesService(NO_DIALOGS, await createRecentFiles(join(data, 'r.json')), await createAutosave(data));
    await expect(files.openDialog()).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('uploading') });
  });

  test('an export goes where the user chose, atomically, with its extension', async () => {
    const { files, dialogs, docs } = await setUp();
    dialogs.chooseSavePath = async (kind, name) => (dialogs.asked.push(`${kind}:${name}`), join(docs, 'map'));
    expect(await files.exportFile('png', 'layer 1', new Uint8Array([137, 80, 78, 71]))).toEqual({ name: 'map.png' });
    expect(dialogs.asked).toEqual(['png:layer 1.png']);
    expect([...readFileSync(join(docs, 'map.png'))]).toEqual([137, 80, 78, 71]);
  });

  test('a file the system asked to open waits until the page takes it, once', async () => {
    const { files, docs } = await setUp();
    writeFileSync(join(docs, 'x.convlab.json'), GOOD);
    expect(files.hasPending()).toBe(false);
    files.setPending(join(docs, 'x.convlab.json'));
    expect(files.hasPending()).toBe(true);
    expect((await files.openPending())?.name).toBe('x');
    expect(files.hasPending()).toBe(false);
    expect(await files.openPending()).toBeNull();
  });
});

describe('the recent list', () => {
  test('keeps the newest first, survives a restart, and forgets files that are gone', async () => {
    const { files, docs, data } = await setUp();
    for (const name of ['a', 'b', 'a', 'c']) {
      writeFileSync(join(docs, `${name}.convlab.json`), GOOD);
      await files.open(join(docs, `${name}.convlab.json`));
    }
    rmSync(join(docs, 'b.convlab.json'));
    const again = (await setUp([], data)).files;
    const listed = await again.listRecent();
    expect(listed.map((file) => [file.name, file.folder])).toEqual([
      ['c', docs],
      ['a', docs],
    ]);
    expect(JSON.stringify(listed)).not.toContain('.convlab.json');
    expect((await again.openRecent(listed[1].id)).name).toBe('a');
    await expect(again.openRecent('0123456789abcdef')).rejects.toMatchObject({ code: 'io' });
  });
});

describe('autosave and recovery', () => {
  test('unsaved work left by a crash is offered at the next start, and restoring keeps it safe until saved', async () => {
    const first = await setUp();
    await first.files.setDirty(true);
    await first.files.autosave(GOOD);
    // The process dies here: no save, no discard.
    const second = await setUp([], first.data);
    expect(second.files.recoveryInfo()).toEqual({ name: null, savedAt: expect.any(Number) });
    // New autosaves of the new session never overwrite what is waiting to be recovered.
    await second.files.autosave(serializeLab({ ...goodLab(), layers: [] }));
    const taken = await second.files.takeRecovery();
    expect(taken?.lab).toEqual(goodLab());
    expect(second.files.recoveryInfo()).toBeNull();
    // Restored but not yet saved: another crash now still loses nothing.
    const third = await setUp([], first.data);
    expect(third.files.recoveryInfo()).not.toBeNull();
  });

  test('a session that saved or discarded its changes leaves nothing to recover', async () => {
    const { files, data, docs } = await setUp();
    writeFileSync(join(docs, 'w.convlab.json'), GOOD);
    await files.open(join(docs, 'w.convlab.json'));
    await files.setDirty(true);
    await files.autosave(GOOD);
    expect(existsSync(join(data, 'autosave.json'))).toBe(true);
    await files.save(GOOD);
    await files.setDirty(false);
    expect(existsSync(join(data, 'autosave.json'))).toBe(false);
    expect((await setUp([], data)).files.recoveryInfo()).toBeNull();
  });

  test('the recovery names the file it belonged to, and discarding it removes it', async () => {
    const { files, data, docs } = await setUp();
    writeFileSync(join(docs, 'week 3.convlab.json'), GOOD);
    await files.open(join(docs, 'week 3.convlab.json'));
    await files.autosave(GOOD);
    const next = (await setUp([], data)).files;
    expect(next.recoveryInfo()?.name).toBe('week 3');
    await next.discardRecovery();
    expect(next.recoveryInfo()).toBeNull();
    expect((await setUp([], data)).files.recoveryInfo()).toBeNull();
  });

  test('an autosave still being written never lands after the clear that followed it', async () => {
    const { files, data } = await setUp();
    const writing = files.autosave(GOOD);
    const clearing = files.setDirty(false);
    await Promise.all([writing, clearing]);
    expect(existsSync(join(data, 'autosave.json'))).toBe(false);
  });
});

test('File › Import image asks for an image and hands its bytes to the page; a cancelled dialog is null', async () => {
  const icon = join(import.meta.dirname, '../../../build/icons/16x16.png');
  const { files, dialogs } = await setUp([icon, null]);
  const image = await files.openImage();
  expect(image?.type).toBe('image/png');
  expect(image?.bytes.byteLength).toBeGreaterThan(50);
  expect(await files.openImage()).toBeNull();
  expect(dialogs.asked).toEqual(['image', 'image']);
});
