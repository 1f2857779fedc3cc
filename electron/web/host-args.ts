/** Reads the browser host's command line: --port N and --data-dir DIR. */
export interface HostArgs {
  port: number;
  dataDir?: string;
}

export function parseHostArgs(argv: readonly string[]): HostArgs {
  const args: HostArgs = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`--port takes a whole number from 0 to 65535, got "${value ?? ''}"`);
      }
      args.port = port;
      i++;
    } else if (flag === '--data-dir') {
      if (!value) throw new Error('--data-dir takes a folder');
      args.dataDir = value;
      i++;
    } else {
      throw new Error(`unknown option "${flag}" (known: --port N, --data-dir DIR)`);
    }
  }
  return args;
}
