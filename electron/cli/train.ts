/**
 * `npm run -s train -- --net lenet|bn_lenet|resnet18|nin|googlenet [--divisor N] [--epochs N] [--activation relu] [--pooling avg] [--channels 6,16] [--lr X]
 * [--batch N] [--seed N] [--momentum X] [--data DIR] [--workers N]`: trains headless through the engine and prints the book's
 * line after each epoch, nothing else on stdout. Errors go to stderr with exit status 1. With --workers it trains
 * as the app does, in a pool of N engine workers (at most the machine's cores) that splits every batch between
 * them (parallel-training.ts); without, on this thread.
 */
import { ConvLabError } from '../../core/errors';
import { runTraining, Training } from '../../core/nets/train';
import { BOOK_SETTINGS, checkTrainSettings, trainableNetId, TRAINABLE_NETS, type TrainableNet, type TrainSettings } from '../../core/nets/catalogue';
import { createEnginePool, poolSize } from '../engine/engine-pool';
import { checkTrainingPrice, priceTraining } from '../training/training-budget';
import { DEFAULT_DATA_DIR, loadFashionMnist } from './fashion-mnist';

function fail(message: string): never {
  process.stderr.write(`train: ${message}\n`);
  process.exit(1);
}

const USAGE = 'usage: npm run -s train -- --net lenet|bn_lenet|resnet18|nin|googlenet [--divisor N] [--epochs N] [--activation sigmoid|relu|tanh] [--pooling max|avg] ' +
  '[--channels C1,C2] [--lr X] [--batch N] [--seed N] [--momentum X] [--data DIR] [--workers N]';

function parseArgs(argv: string[]): { settings: TrainSettings; dataDir: string; workers: number | null } {
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
  const known = ['net', 'divisor', 'epochs', 'activation', 'pooling', 'channels', 'lr', 'batch', 'seed', 'momentum', 'data', 'workers'];
  for (const k of values.keys()) if (!known.includes(k)) fail(`unknown option --${k}\n${USAGE}`);
  const net = trainableNetId(values.get('net') ?? 'lenet') as TrainableNet;
  if (!TRAINABLE_NETS.includes(net)) fail(`--net must be one of ${TRAINABLE_NETS.join(', ')}, got '${net}'`);
  const number = (key: string, fallback: number): number => {
    const v = values.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) fail(`--${key} must be a number, got '${v}'`);
    return n;
  };
  const book = BOOK_SETTINGS[net];
  const channelsText = values.get('channels');
  const channels = channelsText === undefined ? book.channels : channelsText.split(',').map(Number);
  if (channelsText !== undefined && (channels.length !== 2 || channelsText.split(',').some((c) => c.trim() === '') || !channels.every(Number.isInteger))) {
    fail(`--channels must be two whole numbers C1,C2 (such as 6,16), got '${channelsText}'`);
  }
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
    // Priced as the app prices a run, before any data is read: a run too big is refused at once, not after minutes.
    checkTrainingPrice(priceTraining(settings));
  } catch (e) {
    if (e instanceof ConvLabError) fail(e.message);
    throw e;
  }
  const workers = values.has('workers') ? number('workers', 1) : null;
  if (workers !== null && (!Number.isInteger(workers) || workers < 1)) fail(`--workers must be a whole number of at least 1, got '${values.get('workers')}'`);
  const dataDir = values.get('data') ?? DEFAULT_DATA_DIR;
  if (dataDir.trim() === '') fail('--data must name a folder, got an empty one');
  return { settings, dataDir, workers };
}

/** Trains in a pool of `workers` engine workers, as the app does; prints each epoch's line. */
async function trainOnPool(settings: TrainSettings, dataDir: string, workers: number): Promise<void> {
  const size = poolSize(workers);
  if (size < workers) process.stderr.write(`train: this machine has ${size} core${size === 1 ? '' : 's'}: training on ${size} engine worker${size === 1 ? '' : 's'}\n`);
  const pool = createEnginePool(new URL('../engine/engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'], size });
  try {
    await new Promise<void>((resolve, reject) => {
      pool.netTrainingStart({ settings }, dataDir, (event) => {
        if (event.kind === 'epoch') process.stdout.write(`${event.line}\n`);
        else if (event.kind === 'done') resolve();
        else if (event.kind === 'error' || event.kind === 'diverged' || event.kind === 'stopped') reject(new Error(event.message ?? `training ${event.kind}`));
      }).catch(reject);
    });
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  const { settings, dataDir, workers } = parseArgs(process.argv.slice(2));
  if (workers !== null) return trainOnPool(settings, dataDir, workers);
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
