/**
 * File › Export: what can be exported from the lab as it is on screen (the input or a layer's output as PNG or CSV,
 * the stack as a PyTorch script, the loss history as CSV and its chart as PNG), and how it leaves the page: main's save dialog in
 * Electron, a download in the browser host.
 */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { ExportKind, MapData } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { symmetricScale } from '../lab/colormap';
import { inputMap } from '../lab/document';
import { lossCsv, mapCsv, mapPng } from '../lab/export/map-image';
import { pytorchScript } from '../lab/export/pytorch-script';
import { lossChartPng } from '../lab/export/loss-chart-image';
import { download } from '../lab/web-files';
import { useFilesStore } from '../stores/files';
import { useLabStore } from '../stores/lab';
import { useMapsStore } from '../stores/maps';
import { useStatusStore } from '../stores/status';

export type ExportFormat = 'png' | 'csv' | 'py' | 'losses' | 'lossChart';
export interface ExportChoice {
  format: ExportFormat;
  /** 0: the input; n: layer n's output. */
  source: number;
  channel: number;
  pixelsPerCell: number;
}

const MIME: Record<ExportKind, string> = { png: 'image/png', csv: 'text/csv', py: 'text/x-python' };

export function useExport() {
  const { t } = useI18n();
  const lab = useLabStore();
  const maps = useMapsStore();
  const files = useFilesStore();
  const status = useStatusStore();

  /** Every map that can be exported, as shown: the input, then each layer's output. */
  const sources = computed<MapData[]>(() => [inputMap(lab.doc.input), ...maps.outputs]);
  const hasLosses = computed(() => lab.doc.training.history.losses.length > 0);

  async function make(choice: ExportChoice): Promise<{ kind: ExportKind; data: string | Uint8Array<ArrayBuffer>; fileName: string }> {
    const base = files.displayName;
    if (choice.format === 'py') return { kind: 'py', data: pytorchScript(lab.doc, base), fileName: base };
    if (choice.format === 'losses') {
      const { losses, at } = lab.doc.training.history;
      return { kind: 'csv', data: lossCsv(losses, at), fileName: `${base} ${t('files.export.lossName')}` };
    }
    if (choice.format === 'lossChart') {
      const { losses, at } = lab.doc.training.history;
      const text = { title: t('training.charts.loss'), iteration: t('training.charts.iteration'), loss: t('files.export.lossAxis') };
      const png = await lossChartPng(losses, at, text);
      return { kind: 'png', data: png as Uint8Array<ArrayBuffer>, fileName: `${base} ${t('files.export.lossChartName')}` };
    }
    const map = sources.value[choice.source];
    const [, c, h, w] = map.shape;
    const channel = Math.min(choice.channel, c - 1);
    const data = map.data.subarray(channel * h * w, (channel + 1) * h * w);
    const what = choice.source === 0 ? t('files.export.input') : t('files.export.layer', { n: choice.source });
    const fileName = `${base} ${what}${c > 1 ? ` ${t('files.export.channelName', { c: channel + 1 })}` : ''}`;
    if (choice.format === 'csv') return { kind: 'csv', data: mapCsv(data, h, w), fileName };
    // The same colours as on screen: one symmetric scale for all of a map's channels.
    const png = await mapPng(data, h, w, symmetricScale(map.data), choice.pixelsPerCell);
    return { kind: 'png', data: png as Uint8Array<ArrayBuffer>, fileName };
  }

  /** Makes the file and hands it over; true once it was written (or downloaded). */
  async function run(choice: ExportChoice): Promise<boolean> {
    try {
      const { kind, data, fileName } = await make(choice);
      if (api.host === 'web') {
        download(data, `${fileName}.${kind}`, MIME[kind]);
        status.inform(t('files.exported', { name: `${fileName}.${kind}` }));
        return true;
      }
      const result = await api.exportFile({ kind, fileName, data });
      if (!result.ok) throw new Error(result.error.message);
      if (result.value.cancelled) return false;
      status.inform(t('files.exported', { name: result.value.name }));
      return true;
    } catch (error) {
      status.refuse(t('files.exportFailed', { message: (error as Error).message }));
      return false;
    }
  }

  return { sources, hasLosses, run };
}
