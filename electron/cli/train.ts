/**
 * `npm run -s train -- --net lenet|bn-lenet|resnet18|nin|googlenet [--divisor N] [--epochs N] [--activation relu] [--pooling avg] [--channels 6,16] [--lr X]
 * [--batch N] [--seed N] [--momentum X] [--data DIR]`: trains headless through the engine and prints the book's
 * line after each epoch, nothing else on stdout. Errors go to stderr with exit status 1.
 */
import { ConvLabError } from '../../core/errors';
import { BOOK_SETTINGS, checkTrainSettings, runTraining, Training, TRAINABLE_NETS, type TrainableNet, type TrainSettings } from '../../core/nets/train';
import { DEFAULT_DATA_DIR, loadFashionMnist } from './fashion-mnist';

function fail(message: string): never {
  process.stderr.write(`train: ${message}\n`);
  process.exit(1);
}

const USAGE = 'usage: npm run -s train -- --net lenet|bn-lenet|resnet18|nin|googlenet [--divisor N] [--epochs N] [--activation sigmoid|relu|tanh] [--pooling max|avg] ' +
  '[--channels C1,C2] [--lr X] [--batch N] [--seed N] [--momentum X] [--data DIR]';

function parseArgs(argv: string[]): { settings: TrainSettings; dataDir: string } {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    if (!a.startsWith('--')) fail(`unexpected argument '${a}'\n${USAGE}`);
    const [key, inline] = a.slice(2).split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) fail(`--${key} needs a value`);
    values.set(key, value);
  }
  const known = ['net', 'divisor', 'epochs', 'activation', 'pooling', 'channels', 'lr', 'batch', 'seed', 'momentum', 'data'];
  for (const k of values.keys()) if (!known.includes(k)) fail(`unknown option --${k}\n${USAGE}`);
  const net = (values.get('net') ?? 'lenet') as TrainableNet;
  if (!TRAINABLE_NETS.includes(net)) fail(`--net must be one of ${TRAINABLE_NETS.join(', ')}, got '${net}'`);
  const number = (key: string, fallback: number): number => {
    const v = values.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) fail(`--${key} must be a number, got '${v}'`);
    return n;
  };
  const book = BOOK_SETTINGS[net];
  const channels = values.get('channels')?.split(',').map(Number) ?? book.channels;
  const settings: TrainSettings = {
    net,
    activation: (values.get('activation') ?? book.activation) as TrainSettings['activation'],
    pooling: (values.get('pooling') ?? book.pooling) as TrainSettings['pooling'],
    channels: channels as [number, number],
    lr: number('lr', book.lr),
    batchSize: number('batch', book.batchSize),
    epochs: number('epochs', book.epochs),
    seed: number('seed', book.seed),
    momentum: number('momentum', book.momentum),
    ...(values.has('divisor') || book.divisor !== undefined ? { divisor: number('divisor', book.divisor ?? 1) } : {}),
  };
  try {
    checkTrainSettings(settings);
  } catch (e) {
    if (e instanceof ConvLabError) fail(e.message);
    throw e;
  }
  return { settings, dataDir: values.get('data') ?? DEFAULT_DATA_DIR };
}

async function main(): Promise<void> {
  const { settings, dataDir } = parseArgs(process.argv.slice(2));
  let data: Awaited<ReturnType<typeof loadFashionMnist>>;
  try {
    data = await loadFashionMnist(dataDir);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const training = new Training(settings, data.train, data.test, () => performance.now());
  const outcome = await runTraining(training, { onEpoch: (e) => process.stdout.write(`${e.line}\n`) });
  if (outcome.status === 'diverged') fail(outcome.message ?? 'training diverged');
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
