import { describe, expect, it } from 'vitest';
import { BOOK_NETS, buildBookNetwork, buildNetwork, NET_IDS, type NetId } from './book-nets';
import { bookListing, listingEntries, pythonTuple } from './listing';

/** The book's printed listings, copied from shared/book/chapter5.md (a tab, then print's space). */
const PRINTED: Partial<Record<NetId, string[]>> = {
  lenet: [ // 5.5
    'conv0 output shape:\t (1, 6, 24, 24)',
    'pool0 output shape:\t (1, 6, 12, 12)',
    'conv1 output shape:\t (1, 16, 8, 8)',
    'pool1 output shape:\t (1, 16, 4, 4)',
    'dense0 output shape:\t (1, 120)',
    'dense1 output shape:\t (1, 84)',
    'dense2 output shape:\t (1, 10)',
  ],
  alexnet: [ // 5.6
    'conv0 output shape:\t (1, 96, 54, 54)',
    'pool0 output shape:\t (1, 96, 26, 26)',
    'conv1 output shape:\t (1, 256, 26, 26)',
    'pool1 output shape:\t (1, 256, 12, 12)',
    'conv2 output shape:\t (1, 384, 12, 12)',
    'conv3 output shape:\t (1, 384, 12, 12)',
    'conv4 output shape:\t (1, 256, 12, 12)',
    'pool2 output shape:\t (1, 256, 5, 5)',
    'dense0 output shape:\t (1, 4096)',
    'dropout0 output shape:\t (1, 4096)',
    'dense1 output shape:\t (1, 4096)',
    'dropout1 output shape:\t (1, 4096)',
    'dense2 output shape:\t (1, 10)',
  ],
  vgg11: [ // 5.7
    'sequential1 output shape:\t (1, 64, 112, 112)',
    'sequential2 output shape:\t (1, 128, 56, 56)',
    'sequential3 output shape:\t (1, 256, 28, 28)',
    'sequential4 output shape:\t (1, 512, 14, 14)',
    'sequential5 output shape:\t (1, 512, 7, 7)',
    'dense0 output shape:\t (1, 4096)',
    'dropout0 output shape:\t (1, 4096)',
    'dense1 output shape:\t (1, 4096)',
    'dropout1 output shape:\t (1, 4096)',
    'dense2 output shape:\t (1, 10)',
  ],
  nin: [ // 5.8
    'sequential1 output shape:\t (1, 96, 54, 54)',
    'pool0 output shape:\t (1, 96, 26, 26)',
    'sequential2 output shape:\t (1, 256, 26, 26)',
    'pool1 output shape:\t (1, 256, 12, 12)',
    'sequential3 output shape:\t (1, 384, 12, 12)',
    'pool2 output shape:\t (1, 384, 5, 5)',
    'dropout0 output shape:\t (1, 384, 5, 5)',
    'sequential4 output shape:\t (1, 10, 5, 5)',
    'pool3 output shape:\t (1, 10, 1, 1)',
    'flatten0 output shape:\t (1, 10)',
  ],
  googlenet: [ // 5.9
    'sequential0 output shape:\t (1, 64, 24, 24)',
    'sequential1 output shape:\t (1, 192, 12, 12)',
    'sequential2 output shape:\t (1, 480, 6, 6)',
    'sequential3 output shape:\t (1, 832, 3, 3)',
    'sequential4 output shape:\t (1, 1024, 1, 1)',
    'dense0 output shape:\t (1, 10)',
  ],
  resnet18: [ // 5.11
    'conv5 output shape:\t (1, 64, 112, 112)',
    'batchnorm4 output shape:\t (1, 64, 112, 112)',
    'relu0 output shape:\t (1, 64, 112, 112)',
    'pool0 output shape:\t (1, 64, 56, 56)',
    'sequential1 output shape:\t (1, 64, 56, 56)',
    'sequential2 output shape:\t (1, 128, 28, 28)',
    'sequential3 output shape:\t (1, 256, 14, 14)',
    'sequential4 output shape:\t (1, 512, 7, 7)',
    'pool1 output shape:\t (1, 512, 1, 1)',
    'dense0 output shape:\t (1, 10)',
  ],
};

describe("the book's shape listings (5.5–5.12)", () => {
  for (const [id, lines] of Object.entries(PRINTED) as [NetId, string[]][]) {
    it(`${BOOK_NETS[id].section} ${BOOK_NETS[id].title} at ${BOOK_NETS[id].listingSide}×${BOOK_NETS[id].listingSide} prints as the book`, () => {
      expect(bookListing(buildBookNetwork(id))).toEqual(lines);
    });
  }

  it('marks exactly the networks the book prints a listing for', () => {
    expect(NET_IDS.filter((id) => BOOK_NETS[id].listingPrinted)).toEqual(Object.keys(PRINTED));
  });

  it('5.9: the Inception outputs are 256, 480, 512, 512, 512, 528, 832, 832, 1024, as the text says', () => {
    const net = buildBookNetwork('googlenet');
    expect(net.blocks.filter((b) => b.block.kind === 'inception').map((b) => b.output[1])).toEqual([256, 480, 512, 512, 512, 528, 832, 832, 1024]);
    expect(listingEntries(net).map((e) => e.blocks.length)).toEqual([2, 3, 3, 6, 3, 1]);
  });

  it('5.10: BN-LeNet has LeNet’s shapes, and 452 parameters more', () => {
    const bn = buildBookNetwork('bn_lenet'), plain = buildBookNetwork('lenet');
    expect(bn.parameters - plain.parameters).toBe(452);
    expect(bookListing(bn).filter((l) => /^(conv|pool|dense)/.test(l))).toEqual(PRINTED.lenet);
  });

  it('5.11: ResNet-18 trained at 96 gives stages 48 → 24 → 24 → 12 → 6 → 3 (the book’s computed note)', () => {
    const sides = buildNetwork('resnet18', [1, 1, 96, 96]).blocks.filter((_, i) => [0, 3, 4, 5, 6, 7].includes(i)).map((b) => b.output[2]);
    expect(sides).toEqual([48, 24, 24, 12, 6, 3]);
  });

  it('5.12: v1 DenseNet at 96 runs 192 → 96 → 224 → 112 → 240 → 120 → 248 channels', () => {
    const net = buildBookNetwork('densenet');
    const chain = net.blocks.filter((b) => b.block.kind === 'dense_block' || b.block.kind === 'transition').map((b) => b.output[1]);
    expect(chain).toEqual([192, 96, 224, 112, 240, 120, 248]);
    expect(net.blocks.map((b) => (b.output.length === 4 ? b.output[2] : null))).toEqual([48, 48, 48, 24, 24, 12, 12, 6, 6, 3, 3, 3, 3, 1, null]);
  });

  it('prints shapes as Python prints tuples', () => {
    expect(pythonTuple([1, 96, 54, 54])).toBe('(1, 96, 54, 54)');
    expect(pythonTuple([4])).toBe('(4,)');
  });
});
