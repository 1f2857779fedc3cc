/** The guide's chapters 5.2–5.12 (the 5.1 guide's strings are under `guide` in ../en.ts). */
export default {
  section: 'Section',
  code: 'The book’s code cell',
  loaded: 'Loaded “{scene}”: it replaced the lab. Undo (Ctrl+Z) brings your lab back.',
  sections: {
    '5_1': '5.1 Two-dimensional convolution',
    '5_2': '5.2 Padding and stride',
    '5_3': '5.3 Multiple input and output channels',
    '5_4': '5.4 Pooling',
    '5_5': '5.5 LeNet',
    '5_6': '5.6 AlexNet',
    '5_7': '5.7 VGG',
    '5_8': '5.8 Network in network (NiN)',
    '5_9': '5.9 GoogLeNet',
    '5_10': '5.10 Batch normalisation',
    '5_11': '5.11 ResNet',
    '5_12': '5.12 DenseNet',
  },
  intros: {
    '5_2':
      'A kernel of k rows shrinks a map of n rows to n − k + 1. Padding adds p rows in all (p/2 on each side) and a stride of s skips s − 1 rows between windows, so the output has ⌊(n − k + p + s) / s⌋ rows, and the same for columns. The book’s comp_conv2d prints the output’s height and width.',
    '5_3':
      'With several input channels the kernel has one 2-D kernel per channel: each is cross-correlated with its channel and the results are added. Several output channels stack one such kernel per output: the kernel is c_o × c_i × k_h × k_w. Load a scene and pick each input channel on the input panel.',
    '5_4':
      'A pooling window takes the largest (max) or the mean (avg) of what it covers. It has padding and stride like a convolution; in Gluon’s MaxPool2D the stride defaults to the window. Pooling works on each channel alone, so the channel count stays.',
    '5_5':
      'LeNet: two blocks of a 5×5 convolution, sigmoid and 2×2 max pooling, then three dense layers. The book prints each layer’s output shape for one 28×28 image; ConvLab infers the same shapes from its description of the network.',
    '5_6': 'AlexNet, simplified for Fashion-MNIST at 224×224: five convolutions, three max poolings, two dense layers of 4096 with dropout, ReLU throughout.',
    '5_7': 'VGG-11: five VGG blocks (3×3 convolutions with padding 1, then 2×2 max pooling that halves the size), then the dense head. Each block is one Sequential, listed as one line.',
    '5_8': 'NiN: each block is a convolution followed by two 1×1 convolutions, and the dense head is replaced by a 10-channel NiN block and global average pooling.',
    '5_9': 'GoogLeNet at 96×96: five stages, the middle ones made of Inception blocks whose four paths are concatenated on the channel axis. Each stage is one Sequential, listed as one line.',
    '5_10':
      'Batch normalisation inside LeNet: each convolution and dense layer is followed by a BatchNorm layer before its sigmoid. The book trains it rather than listing its shapes.',
    '5_11': 'ResNet-18: the GoogLeNet-like stem, four stages of two residual blocks (64, 128, 256, 512 channels), global average pooling and a dense layer.',
    '5_12': 'DenseNet: four dense blocks of four convolutions (growth rate 32) with transition layers between them that halve the channels and the size.',
  },
  compare: {
    input: 'X, as the book prints it',
    kernelShape: 'K.shape',
    cell: 'One output cell, written out',
  },
  size: {
    title: 'The output size, written out',
    rule: 'rows ⌊(n − k + p + s) / s⌋, p the padding on both sides together:',
    height: 'height',
    width: 'width',
    same: '“same” padding: a kernel of {k} needs p = k − 1 = {total}, {p} on each side',
  },
  product: {
    title: 'The 1×1 convolution as a matrix product',
    k: 'K reshaped to ({o}, {i})',
    x: 'X reshaped to ({i}, {n})',
    kx: 'K · X (ConvLab’s matrix product)',
    conv: 'the engine’s 1×1 convolution, reshaped',
    norm: '‖Y1 − Y2‖ = {norm}',
  },
  listing: {
    title: '{net}: output shape of each layer',
    caption: 'X of shape (1, 1, {side}, {side})',
    open: 'Open {net} in the Network mode',
    trainLenet: 'Train LeNet',
    notPrinted: 'The book prints no shape listing for this network; this one is ConvLab’s, at the size the book trains it.',
  },
  networks: {
    lenet: 'The book’s LeNet (d2l-zh v1): no padding on the first convolution, max pooling, 16·4·4 = 256 inputs to the first dense layer.',
    alexnet: 'An 11×11 convolution with stride 4 reduces 224 to 54 at once; the last pooling leaves 5×5 maps for the dense layers.',
    vgg11: 'conv_arch = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512)): eight convolutions and three dense layers.',
    nin: 'The last NiN block has 10 channels, one per class; global average pooling turns each into one number.',
    googlenet: 'Output channels per stage: 64, 192, 480, 832, 1024.',
    bn_lenet: 'LeNet with a BatchNorm after each convolution and hidden dense layer (the shapes are LeNet’s).',
    resnet18: 'The first convolution prints as conv5 because two residual blocks were built earlier in the book’s notebook.',
    densenet: 'The v1 code: 64 channels, then 192 → 96 → 224 → 112 → 240 → 120 → 248.',
  },
  scenes: {
    same3: {
      title: 'In [2] · 5.2.1 Padding 1 keeps an 8×8 input 8×8',
      text: 'A 3×3 kernel with one row and one column of padding on each side: n − k + p + 1 = 8 − 3 + 2 + 1 = 8.',
    },
    same53: {
      title: 'In [3] · 5.2.1 A 5×3 kernel, padding (2, 1)',
      text: 'Different padding per axis keeps the size when the kernel is not square: 2 rows on each side for 5 rows, 1 column for 3.',
    },
    stride2: {
      title: 'In [4] · 5.2.2 Stride 2 halves the height and the width',
      text: 'The window moves two cells at a time: ⌊(8 − 3 + 2 + 2) / 2⌋ = 4.',
    },
    stride34: {
      title: 'In [5] · 5.2.2 Kernel (3, 5), padding (0, 1), strides (3, 4)',
      text: 'Every setting differs per axis: ⌊(8 − 3 + 0 + 3) / 3⌋ = 2 rows, ⌊(8 − 5 + 2 + 4) / 4⌋ = 2 columns.',
    },
    figPad: {
      title: 'Figure 5.2 · Padding the 3×3 input with zeros',
      text: 'Padded by one on each side, the 3×3 input gives a 4×4 output. Its first cell sees only padding and the input’s corner 0.',
    },
    figStride: {
      title: 'Figure 5.3 · Stride 3 down, 2 across',
      text: 'With padding 1, stride 3 for rows and 2 for columns gives a 2×2 output. The figure writes out two of its cells.',
    },
    multiIn: {
      title: 'In [2] · 5.3.1 Two input channels',
      text: 'Each channel is cross-correlated with its own 2×2 kernel and the two results are added: (0·0 + 1·1 + 3·2 + 4·3) + (1·1 + 2·2 + 4·3 + 5·4) = 56. The input panel shows each channel.',
    },
    multiOut: {
      title: 'In [4]–[5] · 5.3.2 Three output channels',
      text: 'Stacking K, K + 1 and K + 2 makes a kernel of shape (3, 2, 2, 2): one output channel per kernel, each summing over both input channels.',
    },
    oneByOne: {
      title: 'In [6]–[7] · 5.3.3 The 1×1 convolution is a matrix product',
      text: 'A 1×1 kernel mixes channels at each pixel: with X as a (3, 9) matrix and K as (2, 3), the convolution is K · X. ConvLab computes both and compares them as the book does.',
    },
    max2: {
      title: 'In [2] · 5.4.1 Max pooling, 2×2 window',
      text: 'Each output is the largest of its window: max(0, 1, 3, 4) = 4 (figure 5.6).',
    },
    avg2: {
      title: 'In [3] · 5.4.1 Average pooling',
      text: 'The same windows, their mean: (0 + 1 + 3 + 4) / 4 = 2.',
    },
    pool3: {
      title: 'In [4]–[5] · 5.4.2 MaxPool2D(3): the stride is the window',
      text: 'X = arange(16) as a 4×4 map. A 3×3 window with stride 3 fits once: max of rows 0–2, columns 0–2 is 10.',
    },
    pool3pad: {
      title: 'In [6] · 5.4.2 Padding 1, stride 2',
      text: 'Padding counts as −∞ for max pooling, so a window that reaches past the edge takes the largest real cell.',
    },
    pool23: {
      title: 'In [7] · 5.4.2 A 2×3 window, padding (1, 2), strides (2, 3)',
      text: 'Window, padding and stride differ per axis: 3 rows and 2 columns of output.',
    },
    poolChannels: {
      title: 'In [8]–[9] · 5.4.3 Two channels in, two channels out',
      text: 'X and X + 1 as two channels: pooling works on each channel alone, so two channels come out. Pick each channel on the input panel.',
    },
  },
};
