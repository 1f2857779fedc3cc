// A lab file of any size or content, as bytes from a page or from disk: opened, or refused by name — never a crash.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../../core/random';
import { MAX_LAB_FILE_BYTES } from '../../contract/lab-file';
import { createAutosave } from './autosave';
import { createFilesService, NO_DIALOGS } from './files';
import { createRecentFiles } from './recent-files';
import { ServiceError } from '../router';

const GOOD = readFileSync(join(import.meta.dirname, '../fixtures/good-v1.convlab.json'), 'utf8');
const utf8 = (text: string) => new TextEncoder().encode(text);
function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  if (bom) view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16((i + (bom ? 1 : 0)) * 2, text.charCodeAt(i), littleEndian);
  return out;
}

async function service() {
  const data = mkdtempSync(join(tmpdir(), 'convlab-bytes-'));
  return { files: createFilesService(NO_DIALOGS, await createRecentFiles(join(data, 'recent.json')), await createAutosave(data)), data };
}

describe('lab files as bytes', () => {
  test('UTF-8 bytes open, with or without a byte-order mark', async () => {
    const { files } = await service();
    expect((await files.importText(utf8(GOOD), 'good.convlab.json')).name).toBe('good');
    expect((await files.importText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(GOOD)]), 'bom.convlab.json')).name).toBe('bom');
  });

  test('each wrong encoding is named, from a page and from disk alike', async () => {
    const { files, data } = await service();
    const cases: [string, Uint8Array, RegExp][] = [
      ['UTF-16 LE with its mark', utf16(GOOD, true, true), /: this file is UTF-16 text; a lab file is UTF-8 text \(save it again as UTF-8\)/],
      ['UTF-16 BE with its mark', utf16(GOOD, false, true), /: this file is UTF-16 text/],
      ['UTF-16 LE without a mark', utf16(GOOD, true, false), /: this file is UTF-16 text/],
      ['UTF-32', Uint8Array.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0]), /: this file is UTF-32 text/],
      ['Latin-1', Uint8Array.from([...utf8('{"type":"convlab","name":"caf'), 0xe9, ...utf8('"}')]), /: this file is not UTF-8 text/],
    ];
    for (const [what, bytes, message] of cases) {
      await expect(files.importText(bytes, 'sent.convlab.json'), what).rejects.toThrow(new RegExp(`^sent\\.convlab\\.json${message.source}`));
      const path = join(data, `${what}.convlab.json`);
      writeFileSync(path, bytes);
      await expect(files.open(path), what).rejects.toThrow(message);
    }
  });

  test('version 1e999 is named as a number too large to hold, not as null', async () => {
    const { files } = await service();
    const text = GOOD.replace(/"version":\s*1/, '"version": 1e999');
    await expect(files.importText(utf8(text), 'huge.convlab.json')).rejects.toThrow(/version must be a whole number from 1, not a number too large to hold \(such as 1e999\)/);
  });

  test('a file just over the limit is refused by its size before it is parsed', async () => {
    const { files } = await service();
    await expect(files.importText(new Uint8Array(MAX_LAB_FILE_BYTES + 1), 'big.convlab.json')).rejects.toThrow(/big\.convlab\.json: this file is 96\.0 MB; a lab file holds at most 96 MB/);
  });

  test('2,000 seeded random files (bytes, mangled labs, deep nesting, control characters): each opened or refused as bad-file', async () => {
    const { files } = await service();
    const random = mulberry32(14);
    const good = utf8(GOOD);
    const outcomes = { opened: 0, refused: 0 };
    for (let i = 0; i < 2000; i++) {
      const kind = i % 5;
      let bytes: Uint8Array;
      if (kind === 0) bytes = Uint8Array.from({ length: Math.floor(random() * 512) }, () => Math.floor(random() * 256));
      else if (kind === 1) {
        bytes = good.slice();
        for (let j = 0; j < 1 + Math.floor(random() * 8); j++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      } else if (kind === 2) bytes = good.slice(0, Math.floor(random() * good.length));
      else if (kind === 3) {
        const depth = 1 + Math.floor(random() * 20000);
        bytes = utf8(`{"type":"convlab","version":1,"lab":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      } else bytes = utf8(JSON.stringify({ type: 'convlab', version: 1, lab: String.fromCharCode(...Array.from({ length: 2000 }, () => Math.floor(random() * 32))) }));
      try {
        await files.importText(bytes, 'fuzz.convlab.json');
        outcomes.opened++;
      } catch (error) {
        expect(error).toBeInstanceOf(ServiceError);
        expect((error as ServiceError).code).toBe('bad-file');
        expect((error as ServiceError).message).toMatch(/^fuzz\.convlab\.json: /);
        outcomes.refused++;
      }
    }
    expect(outcomes.opened + outcomes.refused).toBe(2000);
  });
});
