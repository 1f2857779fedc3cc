/**
 * `npm run -s train -- --net lenet|bn_lenet|resnet18|nin|googlenet [--divisor N] [--epochs N] [--activation relu] [--pooling avg] [--channels 6,16] [--lr X]
 * [--batch N] [--seed N] [--momentum X] [--data DIR] [--size N] [--colour grey|rgb] [--cache DIR] [--workers N]`: trains headless
 * through the engine and prints the book's line after each epoch, nothing else on stdout. --data is a folder of the
 * four IDX files or an image folder (a subfolder per class, read at --size and --colour; progress on stderr). Errors go to stderr with exit status 1. With --workers it trains
 * as the app does, in a pool of N engine workers (at most the machine's cores) that splits every batch between
 * them (parallel-training.ts); without, on this thread.
 */
import { ConvLabError } from '../../core/errors';
import { runTraining, Training } from '../../core/nets/train';
import { BOOK_SETTINGS, checkTrainSettings, trainableNetId, TRAINABLE_NETS, type TrainableNet, type TrainSettings } from '../../core/nets/catalogue';
import { createEnginePool, poolSize } from '../engine/engine-pool';
import { DEFAULT_DATA_DIR } from './fashion-mnist';
import { DEFAULT_CACHE_DIR, holdsIdx, loadTrainingData, type FolderOptions, type TrainingData } from './train-data';
import { MAX_FOLDER_IMAGE_SIZE } from '../contract/folder-dataset-contract';
import { checkTrainingPrice, priceTraining } from '../training/training-budget';

function fail(message: string): never {
  process.stderr.write(`train: ${message}\n`);
  process.exit(1);
}

const USAGE = 'usage: npm run -s train -- --net lenet|bn_lenet|resnet18|nin|googlenet [--divisor N] [--epochs N] [--activation sigmoid|relu|tanh] [--pooling max|avg] ' +
  '[--channels C1,C2] [--lr X] [--batch N] [--seed N] [--momentum X] [--data DIR] [--size N] [--colour grey|rgb] [--cache DIR] [--workers N]';

interface Options { settings: TrainSettings; dataDir: string; folder: FolderOptions; workers: number | null }

function parseArgs(argv: string[]): Options {
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
  const known = ['net', 'divisor', 'epochs', 'activation', 'pooling', 'channels', 'lr', 'batch', 'seed', 'momentum', 'data', 'size', 'colour', 'cache', 'workers'];
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
  const size = number('size', 28);
  if (!Number.isInteger(size) || size < 1 || size > MAX_FOLDER_IMAGE_SIZE) fail(`--size must be a whole number from 1 to ${MAX_FOLDER_IMAGE_SIZE}, got '${values.get('size')}'`);
  const colour = values.get('colour') ?? 'grey';
  if (colour !== 'grey' && colour !== 'rgb') fail(`--colour must be grey or rgb, got '${colour}'`);
  const folder: FolderOptions = { size, colour, cacheDir: values.get('cache') ?? DEFAULT_CACHE_DIR };
  const dataDir = values.get('data') ?? DEFAULT_DATA_DIR;
  if (dataDir.trim() === '') fail('--data must name a folder, got an empty one');
  return { settings, dataDir, folder, workers };
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

/** Refuses an image folder the networks here cannot read: they have ten outputs. */
function checkFolderFits(data: TrainingData): void {
  const opened = data.folder;
  if (!opened) return;
  const classes = opened.summary.classes.length;
  if (classes > 10) fail(`${opened.summary.folder} has ${classes} classes, but the networks trained here have 10 outputs`);
}

async function main(): Promise<void> {
  const { settings, dataDir, folder, workers } = parseArgs(process.argv.slice(2));
  const idx = await holdsIdx(dataDir);
  // The pool's workers read IDX files themselves: main need not hold a copy.
  if (workers !== null && idx) return trainOnPool(settings, dataDir, workers);
  if (!idx && folder.colour === 'rgb') fail('--colour rgb: the networks trained here read one channel; use --colour grey');
  let data: TrainingData;
  try {
    data = await loadTrainingData(dataDir, folder, (line) => process.stderr.write(`train: ${line}\n`));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  checkFolderFits(data);
  if (workers !== null) return trainOnPool(settings, data.source, workers);
  const training = new Training(settings, data.train, data.test, () => performance.now());
  const outcome = await runTraining(training, { onEpoch: (e) => process.stdout.write(`${e.line}\n`) });
  if (outcome.status === 'diverged') fail(outcome.message ?? 'training diverged');
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
