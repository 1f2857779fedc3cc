/**
 * "Export as a PyTorch script" for the trained LeNet: the net as the lab keeps it, the first test images (when the
 * dataset is there) with ConvLab's probabilities, written as a .py that rebuilds the net and prints its predictions.
 */
import { api } from '../api/client';
import en from '../i18n/dataset/en';
import { lenetPytorchScript, type ScriptImage } from '../export/lenet-pytorch-script';
import { useNetTrainingStore } from '../stores/net-training';
import { useHandOver } from './useHandOver';

const TEST_IMAGES = 5;

export function useLenetExport() {
  const nets = useNetTrainingStore();
  const handOver = useHandOver();

  async function exportScript(): Promise<boolean> {
    const runId = nets.runId;
    if (runId === null) return false;
    return handOver(async () => {
      const net = await api.netTrainingSnapshot({ runId });
      if (!net.ok) throw new Error(net.error.message);
      const images: ScriptImage[] = [];
      for (let i = 0; i < TEST_IMAGES; i++) {
        const p = await nets.predict({ test: i });
        // No dataset: the script still rebuilds the net, with no images to print.
        if (!p) break;
        images.push({ pixels: p.layers[0].data, label: p.label, probabilities: p.probabilities });
      }
      return { kind: 'py', fileName: 'lenet', data: lenetPytorchScript(net.value, images, en.classes) };
    });
  }

  return { exportScript };
}
