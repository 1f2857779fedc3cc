/**
 * `npm run -s model -- FILE.onnx`: opens an ONNX model as the app does (size checked first, parsed, shape subgraphs
 * folded for its input shapes) and prints a line per node with its name, op and output shape. A bad file or flag:
 * one line naming the problem, exit status 1, no stack trace.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConvLabError } from '../../core/errors';
import { foldShapes } from '../model/fold-shapes';
import { listingText, modelListing } from '../model/model-listing';
import { openModel } from '../model/read-onnx';

const USAGE = 'usage: npm run -s model -- FILE.onnx';

function fail(message: string): never {
  process.stderr.write(`model: ${message}\n`);
  process.exit(1);
}

// Running a model (--input, --json) comes with the graph runner; until then those flags are refused by name.
const LATER = ['--input', '--json'];

function modelFile(): string {
  const later = process.argv.slice(2).find((a) => LATER.includes(a.split('=')[0]));
  if (later) fail(`${later.split('=')[0]} runs the model, and ConvLab cannot run ONNX models yet; ${USAGE}`);
  let positionals: string[] = [];
  try {
    positionals = parseArgs({ options: {}, allowPositionals: true }).positionals;
  } catch (e) {
    fail(`${e instanceof Error ? e.message.split('.')[0] : String(e)}; ${USAGE}`);
  }
  if (positionals.length !== 1) fail(`give one model file, got ${positionals.length}; ${USAGE}`);
  return positionals[0];
}

const file = modelFile();
openModel(file).then((model) => {
  process.stdout.write(`${listingText(modelListing(basename(file), foldShapes(model)))}\n`);
}).catch((e: unknown) => {
  if (e instanceof ConvLabError) fail(`${basename(file)}: ${e.message}`);
  fail(`unexpected: ${e instanceof Error ? e.message : String(e)}`);
});
