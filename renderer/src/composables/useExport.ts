/**
 * File › Export: what can be exported from the lab as it is on screen (the whole view as PNG or SVG, the input or a
 * layer's output as PNG or CSV,
 * the stack as a PyTorch script, the loss history as CSV and its chart as PNG), and how it leaves the page: main's save dialog in
 * Electron, a download in the browser host.
 */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { MapData } from '../../../electron/contract/contract';
import { symmetricScale } from '../maps/colormap';
import { inputMap } from '../document/document';
import { lossCsv, mapCsv, mapPng } from '../export/map-image';
import { pytorchScript } from '../export/pytorch-script';
import { lossChartPng } from '../export/loss-chart-image';
import { viewPng, viewSvg, type ViewModel, type ViewStage } from '../export/view-image';
import { kindName } from './useStackGuard';
import { useHandOver, type ExportedFile } from './useHandOver';
import { useProbeStore } from '../stores/probe';
import { useViewStore } from '../stores/view';
import { useFilesStore } from '../stores/files';
import { useLabStore } from '../stores/lab';
import { useMapsStore } from '../stores/maps';

export type ExportFormat = 'viewPng' | 'viewSvg' | 'png' | 'csv' | 'py' | 'losses' | 'lossChart';
export interface ExportChoice {
  format: ExportFormat;
  /** 0: the input; n: layer n's output. */
  source: number;
  channel: number;
  pixelsPerCell: number;
}

export function useExport() {
  const { t } = useI18n();
  const lab = useLabStore();
  const maps = useMapsStore();
  const files = useFilesStore();
  const handOver = useHandOver();
  const probe = useProbeStore();
  const view = useViewStore();

  /** Every map that can be exported, as shown: the input, then each layer's output. */
  const sources = computed<MapData[]>(() => [inputMap(lab.doc.input), ...maps.outputs]);
  const hasLosses = computed(() => lab.doc.training.history.losses.length > 0);

  /** The lab as on screen, for "Export view": the screen's cell size, channel columns and outlines. */
  function viewModel(): ViewModel {
    const fit = view.pipelineFit;
    const input = lab.doc.input;
    const stages: ViewStage[] = [
      {
        title: t('panels.input'),
        shape: `${input.height} × ${input.width}`,
        columns: 1,
        scale: symmetricScale(input.data),
        maps: [{ data: input.data, height: input.height, width: input.width, boxes: probe.inputBoxes }],
      },
    ];
    const shown = maps.shownDoc;
    maps.outputs.forEach((out, i) => {
      const layer = shown?.layers[i];
      if (!layer) return;
      const [, c, h, w] = out.shape;
      stages.push({
        title: t('layers.title', { n: i + 1, kind: kindName(t, layer) }),
        shape: t('layers.shape', { c, h, w }),
        columns: Math.max(1, Math.min(c, fit?.columns[i + 1] ?? Math.ceil(Math.sqrt(c)))),
        scale: symmetricScale(out.data),
        maps: Array.from({ length: c }, (_, k) => ({ data: out.data.subarray(k * h * w, (k + 1) * h * w), height: h, width: w, boxes: probe.boxesFor(i + 1, k) })),
      });
    });
    return { title: `${files.displayName} — ConvLab`, cell: fit?.cell ?? 16, stages, maxWidth: Math.max(900, fit?.width ?? 1200) };
  }

  async function make(choice: ExportChoice): Promise<ExportedFile> {
    const base = files.displayName;
    if (choice.format === 'viewSvg' || choice.format === 'viewPng') {
      const picture = viewSvg(viewModel());
      const fileName = `${base} ${t('files.export.viewName')}`;
      if (choice.format === 'viewSvg') return { kind: 'svg', data: picture.svg, fileName };
      return { kind: 'png', data: (await viewPng(picture.svg, picture.width, picture.height)) as Uint8Array<ArrayBuffer>, fileName };
    }
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
  const run = (choice: ExportChoice): Promise<boolean> => handOver(() => make(choice));

  return { sources, hasLosses, run };
}
