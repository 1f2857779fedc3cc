// File › Open model…: the dialog's file read (size checked first) and handed to the engine; no dialog, cancelled, refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../engine/engine-host';
import type { Dialogs } from '../files/files';
import { createModelHandlers } from './model-handlers';

const folder = mkdtempSync(join(tmpdir(), 'convlab-model-open-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const context = { emit: () => undefined };

const dialogs = (path: string | null): Dialogs => ({
  chooseLabToOpen: async () => null, chooseSavePath: async () => null, chooseImageToOpen: async () => null,
  chooseModelToOpen: async () => path,
});
const sent: { name: string; bytes: Uint8Array }[] = [];
const engine = { modelOpenBytes: async (r: { name: string; bytes: Uint8Array }) => (sent.push(r), { modelId: 3 }) } as unknown as EngineHost;

describe('File › Open model…', () => {
  it("sends the chosen file's bytes to the engine under its name", async () => {
    const path = join(folder, 'net.onnx');
    writeFileSync(path, new Uint8Array([8, 7, 18]));
    const answer = await createModelHandlers(engine, dialogs(path)).modelOpen({}, context);
    expect(answer).toMatchObject({ cancelled: false, modelId: 3 });
    expect(sent.at(-1)).toEqual({ name: 'net.onnx', bytes: new Uint8Array([8, 7, 18]) });
  });

  it('answers a cancelled dialog, and refuses an empty or missing file and a host without dialogs by name', async () => {
    expect(await createModelHandlers(engine, dialogs(null)).modelOpen({}, context)).toEqual({ cancelled: true });
    const empty = join(folder, 'empty.onnx');
    writeFileSync(empty, new Uint8Array(0));
    await expect(createModelHandlers(engine, dialogs(empty)).modelOpen({}, context)).rejects.toThrow('empty.onnx is empty');
    await expect(createModelHandlers(engine, dialogs(join(folder, 'gone.onnx'))).modelOpen({}, context)).rejects.toThrow("cannot read 'gone.onnx': ENOENT");
    await expect(createModelHandlers(engine, undefined).modelOpen({}, context)).rejects.toThrow('this host has no file dialogs: open a model by dropping it in the page');
  });
});
