/** Where the committed ONNX fixtures live, for the tests and the measures that read them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fixtures' folder (made by fixtures/make-onnx-fixtures.py). */
export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A tensor as the fixtures' JSON files hold it. */
export interface FixtureTensor {
  name: string;
  shape: number[];
  data: number[];
}

/** The `.onnx` files of one fixtures subfolder ('ops', 'nets', 'shapes', 'bad', 'external'), as full paths. */
export function fixtureModels(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder)).filter((f) => f.endsWith('.onnx')).sort().map((f) => join(FIXTURES, folder, f));
}

/** The inputs and PyTorch's outputs saved beside a fixture model. */
export function fixtureIo(model: string): { inputs: FixtureTensor[]; outputs: FixtureTensor[] } {
  return JSON.parse(readFileSync(model.replace(/\.onnx$/, '.json'), 'utf8'));
}
