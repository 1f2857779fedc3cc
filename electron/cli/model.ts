/**
 * `npm run -s model -- FILE.onnx`: opens an ONNX model as the app does (size checked first, parsed, shape subgraphs
 * folded for its input shapes) and prints a line per node with its name, op, output shape, parameters,
 * multiply-adds and receptive field. `--input INPUT --json` runs it and prints one JSON object
 * {"outputs":[{"name","shape","data"}]}; INPUT is a JSON file {"shape","data"} given as is, or a PNG/JPEG with the
 * app's preprocessing flags. A bad file or flag: one line naming the problem, exit status 1, no stack trace.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConvLabError } from '../../core/errors';
import { runGraph } from '../../core/graph/index';
import type { Tensor } from '../../core/tensor';
import { foldShapes } from '../model/fold-shapes';
import { imageInput, type Preprocessing } from '../model/image-input';
import { listingText, modelListing } from '../model/model-listing';
import { openModel } from '../model/read-onnx';
import { toGraph } from '../model/to-graph';

const USAGE = 'usage: npm run -s model -- FILE.onnx [--input INPUT.json|IMAGE --json [--colour grey|rgb|bgr --resize N --crop N --mean a,b,c --std a,b,c]]';

function fail(message: string): never {
  process.stderr.write(`model: ${message}\n`);
  process.exit(1);
}

const OPTIONS = {
  input: { type: 'string' }, json: { type: 'boolean' }, colour: { type: 'string' }, resize: { type: 'string' },
  crop: { type: 'string' }, mean: { type: 'string' }, std: { type: 'string' },
} as const;

function args() {
  try {
    return parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (e) {
    return fail(`${e instanceof Error ? e.message.split('.')[0] : String(e)}; ${USAGE}`);
  }
}

const side = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 4096) fail(`--${flag} must be a whole number from 1 to 4096, got '${text}'`);
  return n;
};
const numbers = (flag: string, text: string | undefined, fallback: number[]): number[] => {
  if (text === undefined) return fallback;
  const v = text.split(',').map(Number);
  if (v.some((x) => !Number.isFinite(x)) || (flag === 'std' && v.some((x) => x === 0))) fail(`--${flag} must be numbers separated by commas${flag === 'std' ? ', none of them 0' : ''}, got '${text}'`);
  return v;
};

function preprocessing(values: ReturnType<typeof args>['values']): Preprocessing {
  const colour = values.colour ?? 'rgb';
  if (colour !== 'grey' && colour !== 'rgb' && colour !== 'bgr') fail(`--colour must be grey, rgb or bgr, got '${colour}'`);
  return { colour, resize: side('resize', values.resize), crop: side('crop', values.crop), mean: numbers('mean', values.mean, [0]), std: numbers('std', values.std, [1]) };
}

/** INPUT as a tensor: a JSON file {"shape","data"} as it is, or an image through the preprocessing flags. */
function readInput(file: string, p: Preprocessing): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return fail(`cannot read input '${file}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!file.toLowerCase().endsWith('.json')) return imageInput(bytes, basename(file), p);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return fail(`${basename(file)} is not JSON`);
  }
  const { shape, data } = (value ?? {}) as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) fail(`${basename(file)}: "shape" must be a list of positive whole numbers`);
  if (!Array.isArray(data) || !data.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(`${basename(file)}: "data" must be a list of finite numbers`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size !== (data as number[]).length) fail(`${basename(file)}: "data" holds ${(data as number[]).length} numbers; shape ${(shape as number[]).join('×')} needs ${size}`);
  return { shape: shape as number[], data: Float32Array.from(data as number[]) };
}

async function main(): Promise<void> {
  const { values, positionals } = args();
  if (positionals.length !== 1) fail(`give one model file, got ${positionals.length}; ${USAGE}`);
  const file = positionals[0];
  if ((values.input === undefined) !== (values.json === undefined)) fail(`--input and --json go together; ${USAGE}`);
  const p = preprocessing(values);
  const fold = foldShapes(await openModel(file));
  if (values.input === undefined) {
    process.stdout.write(`${listingText(modelListing(basename(file), fold))}\n`);
    return;
  }
  const graph = toGraph(fold);
  if (graph.inputs.length !== 1) fail(`${basename(file)} takes ${graph.inputs.length} inputs; --input gives one`);
  const input = readInput(values.input, p);
  // The terminal waits as long as the user lets it: no multiply-add budget here.
  const run = runGraph(graph, new Map([[graph.inputs[0].name, input]]), { maxMultiplyAdds: Infinity });
  const outputs = run.outputs.map((o) => ({ name: o.name, shape: o.tensor.shape, data: Array.from(o.tensor.data) }));
  process.stdout.write(`${JSON.stringify({ outputs })}\n`);
}

main().catch((e: unknown) => {
  const file = process.argv.slice(2).find((a) => a.toLowerCase().endsWith('.onnx'));
  if (e instanceof ConvLabError) fail(`${file ? `${basename(file)}: ` : ''}${e.message}`);
  fail(`unexpected: ${e instanceof Error ? e.message : String(e)}`);
});
