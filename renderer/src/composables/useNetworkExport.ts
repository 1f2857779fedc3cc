/**
 * File › Export network as ONNX / as a PyTorch script: the network of the mode on screen (the Network mode's book
 * network at its size, the trained network of the LeNet mode's last run with its weights, else the lab's stack),
 * written by the engine and saved through main's dialog (a download in the browser host).
 */
import type { RequestOf } from '../../../electron/contract/contract';
import { SCALED_NETS } from '../../../core/nets/catalogue';
import { api } from '../api/client';
import { i18n } from '../i18n';
import { inputMap, toLayerSpec } from '../lab/document';
import { download } from '../lab/web-files';
import { useLabStore } from '../stores/lab';
import { useLenetStore } from '../stores/lenet';
import { useNetworkStore } from '../stores/network';
import { useStatusStore } from '../stores/status';
import { useViewStore } from '../stores/view';

export type NetworkFormat = 'onnx' | 'py';
type ExportRequest = RequestOf<'exportNetwork'>;

const MIME: Record<NetworkFormat, string> = { onnx: 'application/octet-stream', py: 'text/x-python' };

export function useNetworkExport() {
  const view = useViewStore();
  const lab = useLabStore();
  const network = useNetworkStore();
  const lenet = useLenetStore();
  const status = useStatusStore();
  const t = i18n.global.t;

  /** The network on screen, as the export call names it. */
  async function current(format: NetworkFormat): Promise<ExportRequest> {
    if (view.mode === 'network' && network.view) {
      const v = network.view;
      return { from: 'book', format, net: v.id, side: v.side, channels: v.input[1] === 3 ? 3 : 1, divisor: 1 };
    }
    if (view.mode === 'lenet') {
      // The run's own network and weights, whatever the selector shows now (it may name another network).
      if (lenet.runId !== null && !lenet.active()) {
        const snapshot = await api.netTrainingSnapshot({ runId: lenet.runId });
        if (!snapshot.ok) throw new Error(snapshot.error.message);
        return { from: 'trained', format, net: snapshot.value };
      }
      const net = lenet.settings.net;
      const scaled = Object.hasOwn(SCALED_NETS, net) ? SCALED_NETS[net as keyof typeof SCALED_NETS] : null;
      return { from: 'book', format, net, side: scaled?.side ?? 28, channels: 1, divisor: lenet.settings.divisor ?? scaled?.divisor ?? 1 };
    }
    return { from: 'stack', format, input: inputMap(lab.doc.input), layers: lab.doc.layers.map(toLayerSpec) };
  }

  /** Writes the network a request names and saves it; true once it was written (or downloaded). */
  async function exportRequest(request: ExportRequest | Promise<ExportRequest>): Promise<boolean> {
    try {
      const { format } = await request;
      const made = await api.exportNetwork(await request);
      if (!made.ok) throw new Error(made.error.message);
      const { fileName, data } = made.value;
      if (api.host === 'web') {
        download(data, `${fileName}.${format}`, MIME[format]);
        status.inform(t('files.exported', { name: `${fileName}.${format}` }));
        return true;
      }
      const saved = await api.exportFile({ kind: format, fileName, data });
      if (!saved.ok) throw new Error(saved.error.message);
      if (saved.value.cancelled) return false;
      status.inform(t('files.exported', { name: saved.value.name }));
      return true;
    } catch (error) {
      status.refuse(t('files.exportFailed', { message: (error as Error).message }));
      return false;
    }
  }

  /** Writes the network on screen in `format` and saves it. */
  const exportNetwork = (format: NetworkFormat): Promise<boolean> => exportRequest(current(format));

  return { exportNetwork, exportRequest };
}
