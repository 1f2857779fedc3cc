/**
 * Sections 5.5–5.12: each network's shape listing as the book prints it, beside the listing ConvLab infers from
 * core/nets at the book's input size. The book's lines are copied from its notebooks; ConvLab's are computed.
 */
import { BOOK_NETS, buildNetwork, type NetId, bookListing } from '../../../electron/contract/core-exports';

export interface NetworkChapter {
  section: string;
  net: NetId;
  /** Side of the book's input X = nd.random.uniform(shape=(1, 1, side, side)). */
  side: number;
  /** The book's code cell that prints the listing. */
  code: string;
  /** The book's printed lines (a tab, then print's space), or null where the book prints none. */
  printed: readonly string[] | null;
}

const LOOP = (side: number) =>
  `X = nd.random.uniform(shape=(1, 1, ${side}, ${side}))\nnet.initialize()\nfor layer in net:\n    X = layer(X)\n    print(layer.name, 'output shape:\\t', X.shape)`;

const lines = (text: string) => text.trim().split('\n').map((line) => line.replace(/:\s+\(/, ':\t ('));

export const NETWORK_CHAPTERS: readonly NetworkChapter[] = [
  {
    section: '5.5',
    net: 'lenet',
    side: 28,
    code: LOOP(28),
    printed: lines(`
conv0 output shape: (1, 6, 24, 24)
pool0 output shape: (1, 6, 12, 12)
conv1 output shape: (1, 16, 8, 8)
pool1 output shape: (1, 16, 4, 4)
dense0 output shape: (1, 120)
dense1 output shape: (1, 84)
dense2 output shape: (1, 10)`),
  },
  {
    section: '5.6',
    net: 'alexnet',
    side: 224,
    code: LOOP(224),
    printed: lines(`
conv0 output shape: (1, 96, 54, 54)
pool0 output shape: (1, 96, 26, 26)
conv1 output shape: (1, 256, 26, 26)
pool1 output shape: (1, 256, 12, 12)
conv2 output shape: (1, 384, 12, 12)
conv3 output shape: (1, 384, 12, 12)
conv4 output shape: (1, 256, 12, 12)
pool2 output shape: (1, 256, 5, 5)
dense0 output shape: (1, 4096)
dropout0 output shape: (1, 4096)
dense1 output shape: (1, 4096)
dropout1 output shape: (1, 4096)
dense2 output shape: (1, 10)`),
  },
  {
    section: '5.7',
    net: 'vgg11',
    side: 224,
    code: `net = vgg(conv_arch)\n${LOOP(224)}`,
    printed: lines(`
sequential1 output shape: (1, 64, 112, 112)
sequential2 output shape: (1, 128, 56, 56)
sequential3 output shape: (1, 256, 28, 28)
sequential4 output shape: (1, 512, 14, 14)
sequential5 output shape: (1, 512, 7, 7)
dense0 output shape: (1, 4096)
dropout0 output shape: (1, 4096)
dense1 output shape: (1, 4096)
dropout1 output shape: (1, 4096)
dense2 output shape: (1, 10)`),
  },
  {
    section: '5.8',
    net: 'nin',
    side: 224,
    code: LOOP(224),
    printed: lines(`
sequential1 output shape: (1, 96, 54, 54)
pool0 output shape: (1, 96, 26, 26)
sequential2 output shape: (1, 256, 26, 26)
pool1 output shape: (1, 256, 12, 12)
sequential3 output shape: (1, 384, 12, 12)
pool2 output shape: (1, 384, 5, 5)
dropout0 output shape: (1, 384, 5, 5)
sequential4 output shape: (1, 10, 5, 5)
pool3 output shape: (1, 10, 1, 1)
flatten0 output shape: (1, 10)`),
  },
  {
    section: '5.9',
    net: 'googlenet',
    side: 96,
    code: LOOP(96),
    printed: lines(`
sequential0 output shape: (1, 64, 24, 24)
sequential1 output shape: (1, 192, 12, 12)
sequential2 output shape: (1, 480, 6, 6)
sequential3 output shape: (1, 832, 3, 3)
sequential4 output shape: (1, 1024, 1, 1)
dense0 output shape: (1, 10)`),
  },
  { section: '5.10', net: 'bn_lenet', side: 28, code: LOOP(28), printed: null },
  {
    section: '5.11',
    net: 'resnet18',
    side: 224,
    code: LOOP(224),
    printed: lines(`
conv5 output shape: (1, 64, 112, 112)
batchnorm4 output shape: (1, 64, 112, 112)
relu0 output shape: (1, 64, 112, 112)
pool0 output shape: (1, 64, 56, 56)
sequential1 output shape: (1, 64, 56, 56)
sequential2 output shape: (1, 128, 28, 28)
sequential3 output shape: (1, 256, 14, 14)
sequential4 output shape: (1, 512, 7, 7)
pool1 output shape: (1, 512, 1, 1)
dense0 output shape: (1, 10)`),
  },
  { section: '5.12', net: 'densenet', side: 96, code: LOOP(96), printed: null },
];

/** ConvLab's listing of the chapter's network at the book's input size, inferred by core/nets. */
export function computedListing(chapter: NetworkChapter): string[] {
  return bookListing(buildNetwork(chapter.net, [1, 1, chapter.side, chapter.side]));
}

export const netTitle = (id: NetId): string => BOOK_NETS[id].title;
