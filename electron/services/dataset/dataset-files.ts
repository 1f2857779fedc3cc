/**
 * The four Fashion-MNIST files: their names, what each holds, and the official MD5 of each *decompressed* payload.
 * The payload is what we check, because Debian (and MXNet's mirror) re-gzipped the files, so the .gz bytes differ.
 */

import type { DatasetRole } from '../../contract/dataset-contract';

export interface DatasetFileSpec {
  role: DatasetRole;
  name: string;
  /** MD5 of the decompressed IDX payload (zalandoresearch/fashion-mnist). */
  payloadMd5: string;
  /** The IDX payload's size in bytes, for a progress bar before the server says. */
  payloadBytes: number;
}

export const DATASET_FILES: readonly DatasetFileSpec[] = [
  { role: 'trainImages', name: 'train-images-idx3-ubyte.gz', payloadMd5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a', payloadBytes: 47_040_016 },
  { role: 'trainLabels', name: 'train-labels-idx1-ubyte.gz', payloadMd5: '9018921c3c673c538a1fc5bad174d6f9', payloadBytes: 60_008 },
  { role: 'testImages', name: 't10k-images-idx3-ubyte.gz', payloadMd5: '8181f5470baa50b63fa0f6fddb340f0a', payloadBytes: 7_840_016 },
  { role: 'testLabels', name: 't10k-labels-idx1-ubyte.gz', payloadMd5: '15d484375f8d13e6eb1aabb0c3f46965', payloadBytes: 10_008 },
];

/** Where Zalando publishes the files (the README's "Get the Data" links). */
export const OFFICIAL_BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Debian's package dataset-fashion-mnist installs them here. */
export const SYSTEM_DATASET_FOLDER = '/usr/share/datasets/fashion-mnist';

/**
 * Bounds on what we accept, so a hostile server or file cannot fill the disk or memory: the largest official .gz is
 * 26.4 MB and the largest payload 47 MB; an IDX pair of 28×28 images the size of MNIST fits well inside both.
 */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
export const MAX_PAYLOAD_BYTES = 128 * 1024 * 1024;
