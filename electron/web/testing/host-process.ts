/**
 * Starts the browser host from its TypeScript source as a child process (for the fuzz test and the flood
 * measurement): the real host, with its real engine worker, so a crash shows as the child exiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HostProcess {
  child: ChildProcess;
  port: number;
  origin: string;
  dataDir: string;
  /** Exit codes and signals seen so far (empty while the host lives). */
  exits: string[];
  stderr: () => string;
  stop(): Promise<void>;
}

const hostSource = fileURLToPath(new URL('../host.ts', import.meta.url));

export function startHostProcess(dataDir = mkdtempSync(join(tmpdir(), 'convlab-host-'))): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', hostSource, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exits: string[] = [];
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.on('exit', (code, signal) => exits.push(`exit ${code ?? signal}`));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the host did not start: ${errors}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (!match) return;
      clearTimeout(timer);
      const port = Number(match[1]);
      resolve({
        child,
        port,
        origin: `http://127.0.0.1:${port}`,
        dataDir,
        exits,
        stderr: () => errors,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
    child.once('exit', () => reject(new Error(`the host exited at start: ${errors}`)));
  });
}
