// pngjs ships no types: the calls ConvLab makes (the folder reader's decode, the tests' encode), as pngjs 7 documents them.
declare module 'pngjs' {
  interface PngImage {
    width: number;
    height: number;
    /** 8-bit RGBA, row by row. */
    data: Buffer;
  }
  export const PNG: {
    /** An empty RGBA image of this size, to fill and write. */
    new (options: { width: number; height: number }): PngImage;
    sync: {
      /** Decodes a whole PNG into 8-bit RGBA (16-bit samples scaled, palettes and grey expanded). */
      read(buffer: Buffer): PngImage;
      /** Encodes an RGBA image as a PNG file's bytes. */
      write(image: PngImage): Buffer;
    };
  };
}
