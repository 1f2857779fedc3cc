/**
 * `npm run -s nets -- --net resnet18 --size 224 [--channels 1] [--batch 1] [--divisor 1]`: the book's shape
 * listing for one of chapter 5's networks, then a table of every block and layer (output shape, parameters,
 * multiply-adds, receptive field size/jump/start) and the totals. `--export-onnx OUT.onnx` and `--export-pytorch OUT.py`
 * write the network instead (nets-export.ts).
 */
import { parseArgs } from 'node:util';
import { ConvLabError } from '../../core/errors';
import { pairText } from '../../core/geometry';
import { kindOf } from '../../core/layers/table';
import { BOOK_NETS, buildNetwork, minInputSide, NET_IDS, type NetId } from '../../core/nets/book-nets';
import { epochCost } from '../../core/nets/compare';
import type { LayerInfo } from '../../core/nets/infer';
import { bookListing } from '../../core/nets/listing';
import type { RfInfo } from '../../core/receptive-field';
import { exportNetwork } from './nets-export';

const USAGE = `usage: npm run -s nets -- --net ${NET_IDS.join('|')} [--size N] [--channels C] [--batch N] [--divisor D] [--export-onnx OUT.onnx] [--export-pytorch OUT.py]`;

function fail(message: string): never {
  // One line: the problem, then how to ask.
  process.stderr.write(`nets: ${message} (${USAGE})\n`);
  process.exit(1);
}

function whole(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number ≥ 1, got '${v}'`);
  return n;
}

const group = (n: number): string => n.toLocaleString('en-US');
const field = (f: RfInfo): [string, string, string] => [pairText(f.size), pairText(f.jump), pairText(f.start)];

let args;
try {
  args = parseArgs({ options: { net: { type: 'string' }, size: { type: 'string' }, channels: { type: 'string' }, batch: { type: 'string' }, divisor: { type: 'string' },
    'export-onnx': { type: 'string' }, 'export-pytorch': { type: 'string' } } }).values;
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
const id = args.net as NetId | undefined;
if (id === undefined || !NET_IDS.includes(id)) fail(`--net must be one of ${NET_IDS.join(', ')}, got '${String(id)}'`);
const book = BOOK_NETS[id];
const size = whole(args.size, 'size', book.listingSide);
const input = [whole(args.batch, 'batch', 1), whole(args.channels, 'channels', 1), size, size];
const divisor = whole(args.divisor, 'divisor', 1);

try {
  const net = buildNetwork(id, input, { divisor });
  if (args['export-onnx'] !== undefined || args['export-pytorch'] !== undefined) {
    process.stdout.write(`${exportNetwork(id, net, { onnx: args['export-onnx'], pytorch: args['export-pytorch'] }).join('\n')}\n`);
    process.exit(0);
  }
  const out: string[] = [];
  out.push(`${book.title} (${book.section}) at ${input.join('×')}${divisor > 1 ? `, widths ÷ ${divisor}` : ''}`);
  if (!book.listingPrinted) out.push('(the book prints no listing for this network; names are those of a fresh Gluon session)');
  out.push('');
  out.push(...bookListing(net), '');

  const table: string[][] = [['block / layer', 'what', 'output', 'parameters', 'multiply-adds', 'field', 'jump', 'start']];
  const row = (name: string, what: string, r: { output: number[]; parameters: number; macs: number; field: RfInfo }) =>
    table.push([name, what, r.output.join('×'), group(r.parameters), group(r.macs), ...field(r.field)]);
  for (const b of net.blocks) {
    row(b.name, b.block.kind + (b.stage ? ` (${b.stage.id})` : ''), b);
    for (const l of b.rows as LayerInfo[]) row(`${'  '.repeat(l.depth + 1)}${l.path}`, kindOf(l.spec).text(l.spec), l);
  }
  table.push(['total', '', net.output.join('×'), group(net.parameters), group(net.macs), '', '', '']);
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const right = new Set([3, 4, 5, 6, 7]);
  for (const r of table) out.push(r.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());

  const cost = epochCost(id, { divisor });
  out.push('', `one epoch at the book's training size ${cost.side}×${cost.side}: ${group(cost.macsPerImage)} multiply-adds per image, ` +
    `${group(cost.trainMacs)} to train (× 60,000 × 3), ${group(cost.testMacs)} to test (× 10,000)`);
  process.stdout.write(`${out.join('\n')}\n`);
} catch (e) {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('E')) fail(`cannot write the file: ${(e as Error).message}`);
  if (!(e instanceof ConvLabError)) throw e;
  // Each axis shrinks on its own (square windows, floor mode), so the smallest square side bounds both.
  const min = e.message.endsWith('the input is too small') ? minInputSide(id, { divisor }, input[1]) : null;
  fail(min === null ? e.message : `${e.message}: ${book.title} needs at least ${min}×${min}`);
}
