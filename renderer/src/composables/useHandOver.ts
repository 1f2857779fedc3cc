/**
 * How an exported file leaves the page: main's save dialog in Electron, a download in the browser host. The status
 * line says where it went, or why it did not; File › Export and the trained net's script both hand over through here.
 */
import type { ExportKind } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { download } from '../api/web-files';
import { i18n } from '../i18n';
import { useStatusStore } from '../stores/status';

const MIME: Record<ExportKind, string> = { png: 'image/png', svg: 'image/svg+xml', csv: 'text/csv', py: 'text/x-python' };

/** A file to hand over: `fileName` without its extension, which `kind` gives. */
export interface ExportedFile {
  kind: ExportKind;
  fileName: string;
  data: string | Uint8Array<ArrayBuffer>;
}

/** Returns `handOver(make)`: builds the file with `make` and hands it over; true once it was written (or downloaded). */
export function useHandOver(): (make: () => Promise<ExportedFile>) => Promise<boolean> {
  const status = useStatusStore();
  const t = i18n.global.t;
  return async (make) => {
    try {
      const { kind, data, fileName } = await make();
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
  };
}
