// pngjs ships no types: the one call the folder reader makes, as pngjs 7 documents it.
declare module 'pngjs' {
  export const PNG: {
    sync: {
      /** Decodes a whole PNG into 8-bit RGBA (16-bit samples scaled, palettes and grey expanded). */
      read(buffer: Buffer): { width: number; height: number; data: Buffer };
    };
  };
}
