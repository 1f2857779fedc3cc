/**
 * The engine's side of File › Export network: the network a request names (the lab's stack, a trained network, a
 * book network at a size) as an ONNX model or a PyTorch script, with a file name to suggest.
 */
import { ConvLabError } from '../../core/errors';
import { labNet } from '../../core/lab/as-net';
import type { LabLayer } from '../../core/lab/types';
import { BOOK_NETS, buildNetwork } from '../../core/nets/book-nets';
import { NET_TITLES, trainingNet } from '../../core/nets/catalogue';
import type { NetSpec, Params } from '../../core/nets/model';
import { initParams, paramSlots } from '../../core/nets/params';
import { sizeOf } from '../../core/tensor';
import type { NetworkExport } from '../contract/export-contract';
import type { RequestOf } from '../contract/contract';
import { MAX_EXPORT_BYTES } from '../contract/files-contract';
import { savedNetParams } from '../contract/lab-file-v3';
import { writeOnnx } from '../model/write-onnx';
import { pytorchScript, type ScriptSettings } from './pytorch-script';
import { bookScriptSettings } from './script-settings';

interface Resolved {
  title: string;
  fileName: string;
  spec: NetSpec;
  params: Params;
  input: number[];
  settings: ScriptSettings;
  notes: string[];
}

type Request = RequestOf<'exportNetwork'>;

/** The lab's stack trains as the lab's kernel trainer does not: the script starts from the book's LeNet settings. */
const STACK_SETTINGS: ScriptSettings = { lr: 0.9, batch: 256, epochs: 10 };

function resolve(r: Request): Resolved {
  if (r.from === 'stack') {
    const { spec, params } = labNet(r.layers as LabLayer[]);
    return { title: 'ConvLab lab stack', fileName: 'lab-network', spec, params, input: [...r.input.shape], settings: STACK_SETTINGS, notes: [] };
  }
  if (r.from === 'trained') {
    // The network is the one the run trained, read from its own settings: never the one a selector shows now.
    const s = r.net.settings;
    const net = trainingNet({ ...s, channels: [...s.channels] });
    const notes = r.net.history.epochs.map((e) => `ConvLab's log: ${e.line}`);
    return {
      title: `${NET_TITLES[s.net]} trained in ConvLab`, fileName: s.net, spec: net.spec, params: savedNetParams(r.net),
      input: [1, 1, net.side, net.side], settings: { lr: s.lr, batch: s.batchSize, epochs: s.epochs }, notes,
    };
  }
  const net = buildNetwork(r.net, [1, r.channels, r.side, r.side], { divisor: r.divisor });
  const title = `${BOOK_NETS[r.net].title}${r.divisor > 1 ? ` (widths ÷ ${r.divisor})` : ''}`;
  return {
    title, fileName: `${r.net}-${r.side}`, spec: net.spec, params: initParams(net.spec, { seed: 0 }), input: net.input,
    settings: bookScriptSettings(r.net), notes: ["Weights: ConvLab's fresh initialisation (seed 0), not trained."],
  };
}

const MB = 1024 * 1024;

/** Refuses, before a byte is written, a network whose file would pass the export limit (VGG-11 at 224 is ~0.5 GB). */
function checkSize(x: Resolved, format: Request['format']): void {
  const values = paramSlots(x.spec).reduce((n, s) => n + sizeOf(s.shape), 0);
  // ONNX keeps 4 bytes a value; the script keeps them as base64 text, 4 characters for every 3 bytes.
  const bytes = format === 'onnx' ? values * 4 : (values * 16) / 3;
  if (bytes > MAX_EXPORT_BYTES) {
    throw new ConvLabError('limit', `${x.title} at ${x.input.join('×')} holds ${values.toLocaleString('en-US')} parameter values, about ` +
      `${Math.round(bytes / MB)} MB as ${format === 'onnx' ? 'ONNX' : 'a script'}; an export holds at most ${MAX_EXPORT_BYTES / MB} MB: choose a smaller size or a width divisor`);
  }
}

/** The file's contents for the network `r` names; one past the export limit is refused with its size. */
export function networkExport(r: Request): NetworkExport {
  const x = resolve(r);
  checkSize(x, r.format);
  // protobufjs's writer allocates its own ArrayBuffer, never a shared one.
  if (r.format === 'onnx') return { fileName: x.fileName, data: writeOnnx({ name: x.title, spec: x.spec, params: x.params, input: x.input }) as Uint8Array<ArrayBuffer> };
  return { fileName: x.fileName, data: pytorchScript(x) };
}
