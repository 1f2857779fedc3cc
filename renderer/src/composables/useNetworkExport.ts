/**
 * File › Export network as ONNX / as a PyTorch script: the network of the mode on screen (the Network mode's book
 * network at its size, the trained network of the network-training mode's last run with its weights, else the lab's
 * stack), written by the engine and handed over like every export (useHandOver.ts: main's dialog, a download in the
 * browser host).
 */
import type { RequestOf } from '../../../electron/contract/contract';
import { SCALED_NETS } from '../../../electron/contract/core-exports';
import { api } from '../api/client';
import { inputMap, toLayerSpec } from '../document/document';
import { useI18n } from 'vue-i18n';
import { useLabStore } from '../stores/lab';
import { useModelStore } from '../stores/model';
import { useNetTrainingStore } from '../stores/net-training';
import { useNetworkStore } from '../stores/network';
import { useViewStore } from '../stores/view';
import { useHandOver, type ExportedFile } from './useHandOver';

export type NetworkFormat = 'onnx' | 'py';
type ExportRequest = RequestOf<'exportNetwork'>;

export function useNetworkExport() {
  const view = useViewStore();
  const lab = useLabStore();
  const network = useNetworkStore();
  const nets = useNetTrainingStore();
  const model = useModelStore();
  const { t } = useI18n();
  const handOver = useHandOver();

  /** The network on screen, as the export call names it. */
  async function current(format: NetworkFormat): Promise<ExportRequest> {
    // An opened ONNX model is already a file: what is on screen then is not a network ConvLab can write again.
    if (view.mode === 'network' && model.shown) throw new Error(t('model.export.opened'));
    if (view.mode === 'network' && network.view) {
      const v = network.view;
      return { from: 'book', format, net: v.id, side: v.side, channels: v.input[1] === 3 ? 3 : 1, divisor: 1 };
    }
    if (view.mode === 'train-nets') {
      // The run's own network and weights, whatever the selector shows now (it may name another network).
      if (nets.runId !== null && !nets.active()) {
        const snapshot = await api.netTrainingSnapshot({ runId: nets.runId });
        if (!snapshot.ok) throw new Error(snapshot.error.message);
        return { from: 'trained', format, net: snapshot.value };
      }
      const net = nets.settings.net;
      const scaled = Object.hasOwn(SCALED_NETS, net) ? SCALED_NETS[net as keyof typeof SCALED_NETS] : null;
      return { from: 'book', format, net, side: scaled?.side ?? 28, channels: 1, divisor: nets.settings.divisor ?? scaled?.divisor ?? 1 };
    }
    return { from: 'stack', format, input: inputMap(lab.doc.input), layers: lab.doc.layers.map(toLayerSpec) };
  }

  /** The file the engine writes for a request, ready to hand over. */
  async function networkFile(request: ExportRequest): Promise<ExportedFile> {
    const made = await api.exportNetwork(request);
    if (!made.ok) throw new Error(made.error.message);
    const { fileName, data } = made.value;
    return { kind: request.format, fileName, data };
  }

  /** Writes the network on screen in `format` and hands it over; true once it was written (or downloaded). */
  const exportNetwork = (format: NetworkFormat): Promise<boolean> => handOver(async () => networkFile(await current(format)));

  return { exportNetwork, networkFile };
}
