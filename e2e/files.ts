/**
 * Saving and opening as a person does it, on either host: in the browser a download and an upload; in Electron the
 * native dialogs, answered with the given path (Playwright cannot click a native dialog).
 */
import type { App } from './fixtures';

/** Makes Electron's next native dialog of `method` answer `path`. */
export async function answerDialog(app: App, method: 'showSaveDialog' | 'showOpenDialog', path: string): Promise<void> {
  await app.electron!.evaluate(
    ({ dialog }, [name, chosen]) => {
      const answer = name === 'showSaveDialog' ? { canceled: false, filePath: chosen } : { canceled: false, filePaths: [chosen] };
      (dialog as unknown as Record<string, unknown>)[name] = async () => answer;
    },
    [method, path] as const,
  );
}

/** Runs a menu entry (or a key) that saves, and puts what was saved at `path`. */
export async function saveTo(app: App, path: string, trigger: () => Promise<void>): Promise<void> {
  if (app.electron) {
    await answerDialog(app, 'showSaveDialog', path);
    await trigger();
    return;
  }
  const download = app.page.waitForEvent('download');
  await trigger();
  await (await download).saveAs(path);
}

/** File › Open…, choosing the file at `path`; with unsaved changes, answers the question first ("Don't Save"). */
export async function openFrom(app: App, path: string, options: { unsaved?: boolean } = {}): Promise<void> {
  const discard = async () => {
    if (options.unsaved) await app.page.getByRole('dialog').getByRole('button', { name: /Don’t Save|不保存/ }).click();
  };
  if (app.electron) {
    await answerDialog(app, 'showOpenDialog', path);
    await app.menu('file', 'file-open');
    await discard();
    return;
  }
  const chooser = app.page.waitForEvent('filechooser');
  await app.menu('file', 'file-open');
  await discard();
  await (await chooser).setFiles(path);
}

/** File › Save As…, naming the file: the browser host asks for the name in the page, Electron in its native dialog. */
export async function saveAsTo(app: App, path: string, name: string): Promise<string> {
  if (app.electron) {
    await saveTo(app, path, () => app.menu('file', 'file-save-as'));
    return path;
  }
  await app.menu('file', 'file-save-as');
  const dialog = app.page.getByRole('dialog', { name: 'Save As' });
  await dialog.getByRole('textbox', { name: 'File name' }).fill(name);
  const download = app.page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const file = await download;
  await file.saveAs(path);
  return file.suggestedFilename();
}
