import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { writeFileAtomic } from './atomic-write';

const folder = () => mkdtempSync(join(tmpdir(), 'convlab-atomic-'));

test('a save replaces the file whole and leaves no temporary file behind', async () => {
  const dir = folder();
  const path = join(dir, 'lab.convlab.json');
  writeFileSync(path, '{"old": true}');
  await writeFileAtomic(path, '{"new": true}');
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ new: true });
  expect(readdirSync(dir)).toEqual(['lab.convlab.json']);
});

test('a failed save leaves the old file and no temporary file', async () => {
  const dir = folder();
  const path = join(dir, 'lab.convlab.json');
  writeFileSync(path, '{"old": true}');
  // A folder where the file should be: the rename fails after the temporary file was written and flushed.
  mkdirSync(join(dir, 'target.json'));
  writeFileSync(join(dir, 'target.json', 'inside'), '');
  await expect(writeFileAtomic(join(dir, 'target.json'), 'x')).rejects.toThrow();
  expect(readdirSync(dir).sort()).toEqual(['lab.convlab.json', 'target.json']);
  expect(readFileSync(path, 'utf8')).toBe('{"old": true}');
});

test('a writer killed in the middle of a save leaves the old file intact', async () => {
  const dir = folder();
  const path = join(dir, 'lab.convlab.json');
  const old = JSON.stringify({ type: 'convlab', version: 1, note: 'the old lab' });
  writeFileSync(path, old);

  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../fixtures/atomic-writer-child.ts'), path, '96'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  // Kill it as soon as the temporary file has started to fill: the moment a crash would hurt most.
  const killedWhile = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const temp = readdirSync(dir).find((name) => name.endsWith('.tmp'));
      if (temp && statSync(join(dir, temp)).size > 0) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve(temp);
      }
    }, 2);
    child.once('exit', () => {
      clearInterval(timer);
      reject(new Error('the writer finished before it could be killed'));
    });
  });
  expect(await exited).toBe('SIGKILL');
  expect(statSync(join(dir, killedWhile)).size).toBeLessThan(96 * 1024 * 1024);
  expect(readFileSync(path, 'utf8')).toBe(old);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ note: 'the old lab' });
});
