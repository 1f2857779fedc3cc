/**
 * "Export as a PyTorch script" for the run's trained network. A LeNet: the net as the lab keeps it, the first test
 * images (when the dataset is there) with ConvLab's probabilities, written as a .py that rebuilds the net and prints
 * its predictions. Any other network: the general script (model, weights, training under torchrun). Which one is
 * read from the run's own settings, never from the network selector, which may show another network by now.
 */
import { api } from '../api/client';
import { i18n } from '../i18n';
import en from '../i18n/dataset/en';
import { lenetPytorchScript, type ScriptImage } from '../lab/export/lenet-pytorch-script';
import { download } from '../lab/web-files';
import { useLenetStore } from '../stores/lenet';
import { useStatusStore } from '../stores/status';
import { useNetworkExport } from './useNetworkExport';

const TEST_IMAGES = 5;

export function useLenetExport() {
  const lenet = useLenetStore();
  const status = useStatusStore();
  const t = i18n.global.t;
  const { exportRequest } = useNetworkExport();

  async function exportScript(): Promise<boolean> {
    const runId = lenet.runId;
    if (runId === null) return false;
    try {
      const net = await api.netTrainingSnapshot({ runId });
      if (!net.ok) throw new Error(net.error.message);
      if ((net.value.settings.net ?? 'lenet') !== 'lenet') return await exportRequest({ from: 'trained', format: 'py', net: net.value });
      const images: ScriptImage[] = [];
      for (let i = 0; i < TEST_IMAGES; i++) {
        const p = await lenet.predict({ test: i });
        // No dataset: the script still rebuilds the net, with no images to print.
        if (!p) break;
        images.push({ pixels: p.layers[0].data, label: p.label, probabilities: p.probabilities });
      }
      const data = lenetPytorchScript(net.value, images, en.classes);
      const fileName = 'lenet';
      if (api.host === 'web') {
        download(data, `${fileName}.py`, 'text/x-python');
        status.inform(t('files.exported', { name: `${fileName}.py` }));
        return true;
      }
      const result = await api.exportFile({ kind: 'py', fileName, data });
      if (!result.ok) throw new Error(result.error.message);
      if (result.value.cancelled) return false;
      status.inform(t('files.exported', { name: result.value.name }));
      return true;
    } catch (error) {
      status.refuse(t('files.exportFailed', { message: (error as Error).message }));
      return false;
    }
  }

  return { exportScript };
}
