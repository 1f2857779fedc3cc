/**
 * `npm run -s nets -- --net NAME [--size N] --export-onnx OUT.onnx --export-pytorch OUT.py`: the book's network at
 * that size with ConvLab's fresh initialisation (seed 0), written as ONNX and/or as a PyTorch training script.
 */
import { writeFileSync } from 'node:fs';
import type { Network, NetId } from '../../core/nets';
import { initParams } from '../../core/nets/params';
import { pytorchScript } from '../export/pytorch-script';
import { bookScriptSettings } from '../export/script-settings';
import { writeOnnx } from '../model/write-onnx';

export interface ExportTargets {
  onnx?: string;
  pytorch?: string;
}

const group = (n: number): string => n.toLocaleString('en-US');

/** Writes the files asked for and returns one line per file written. */
export function exportNetwork(id: NetId, net: Network, to: ExportTargets): string[] {
  const params = initParams(net.spec, { seed: 0 });
  const what = `${net.title} at ${net.input.join('×')}, ${group(net.parameters)} parameters (ConvLab's initialisation, seed 0)`;
  const lines: string[] = [];
  if (to.onnx !== undefined) {
    const bytes = writeOnnx({ name: net.title, spec: net.spec, params, input: net.input });
    writeFileSync(to.onnx, bytes);
    lines.push(`wrote ${to.onnx}: ${what}, ONNX opset 13, ${group(bytes.length)} bytes`);
  }
  if (to.pytorch !== undefined) {
    const script = pytorchScript({ title: net.title, spec: net.spec, params, input: net.input, settings: bookScriptSettings(id) });
    writeFileSync(to.pytorch, script);
    lines.push(`wrote ${to.pytorch}: ${what}, a PyTorch script of ${group(script.length)} characters`);
  }
  return lines;
}
