/**
 * Reads a tensor kept outside the model file (ONNX external data): only from a file inside the model's own folder,
 * reached without leaving it (no absolute path, no "..", no symbolic link that points out), and only the bytes the
 * tensor claims, already checked against the limits.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ConvLabError } from '../../core/errors';
import type { ExternalReader } from './tensor-proto';

const inside = (folder: string, file: string): boolean => {
  const rel = relative(folder, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
};

/** An ExternalReader that reads from files inside `folder` (the folder holding the model file). */
export function externalReaderIn(folder: string): ExternalReader {
  const realFolder = realpathSync(folder);
  return (entries, bytes, tensor) => {
    const location = entries.get('location') ?? '';
    const refuse = (why: string): never => { throw new ConvLabError('format', `tensor '${tensor}' keeps its data in '${location}', ${why}`); };
    if (location === '') refuse('but names no file (external_data has no "location")');
    if (isAbsolute(location) || /^[a-zA-Z]:/.test(location)) refuse("an absolute path; external data must sit in the model's folder");
    const file = resolve(realFolder, location);
    if (!inside(realFolder, file)) refuse("which is outside the model's folder");
    let real = '';
    try { real = realpathSync(file); } catch { refuse('which does not exist'); }
    if (!inside(realFolder, real)) refuse("a link that leads outside the model's folder");
    const offset = Number(entries.get('offset') ?? 0);
    const length = entries.has('length') ? Number(entries.get('length')) : bytes;
    if (!Number.isSafeInteger(offset) || offset < 0) refuse(`at offset ${entries.get('offset')}, which is not a whole number ≥ 0`);
    if (length !== bytes) refuse(`${length} bytes long, but its dims need ${bytes}`);
    const fd = openSync(real, 'r');
    try {
      const size = fstatSync(fd).size;
      if (offset + bytes > size) refuse(`bytes ${offset} to ${offset + bytes}, past the file's end at ${size}`);
      const out = new Uint8Array(bytes);
      let done = 0;
      while (done < bytes) {
        const n = readSync(fd, out, done, bytes - done, offset + done);
        if (n === 0) refuse(`which ended after ${done} of ${bytes} bytes`);
        done += n;
      }
      return out;
    } finally {
      closeSync(fd);
    }
  };
}
