import { describe, expect, it } from 'vitest';
import type { InputImage } from '../document/document';
import { inputLayout, parseClassNames, preprocess } from './preprocess';

const rgb = (h: number, w: number, values: [number, number, number]): InputImage => {
  const data = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) data.fill(values[c], c * h * w, (c + 1) * h * w);
  return { channels: 3, height: h, width: w, data };
};

describe('inputLayout', () => {
  it('reads NCHW and NHWC', () => {
    expect(inputLayout([1, 3, 224, 224])).toEqual({ channels: 3, height: 224, width: 224, channelsLast: false });
    expect(inputLayout([1, 32, 32, 3])).toEqual({ channels: 3, height: 32, width: 32, channelsLast: true });
    expect(inputLayout([1, 10])).toBeNull();
  });
});

describe('preprocess', () => {
  it('applies range, mean and std per channel, in RGB and BGR order', () => {
    const image = rgb(4, 4, [0.2, 0.4, 0.6]);
    const layout = { channels: 3, height: 2, width: 2, channelsLast: false };
    const out = preprocess(image, layout, { colour: 'rgb', fit: 'resize', range: 255, mean: [0, 0, 0], std: [1, 1, 1] });
    expect(Array.from(out.subarray(0, 4))).toEqual(Array(4).fill(Math.fround(0.2 * 255)));
    const bgr = preprocess(image, layout, { colour: 'bgr', fit: 'resize', range: 1, mean: [0.1, 0.1, 0.1], std: [0.5, 0.5, 0.5] });
    expect(bgr[0]).toBeCloseTo(1, 6);
    expect(bgr[8]).toBeCloseTo(0.2, 6);
  });
  it('gives grey as luma and writes channels last for NHWC', () => {
    const out = preprocess(rgb(2, 2, [1, 0, 0]), { channels: 1, height: 2, width: 2, channelsLast: true }, { colour: 'grey', fit: 'resize', range: 1, mean: [0], std: [1] });
    expect(out[0]).toBeCloseTo(0.299, 6);
    const nhwc = preprocess(rgb(2, 2, [0.1, 0.2, 0.3]), { channels: 3, height: 2, width: 2, channelsLast: true }, { colour: 'rgb', fit: 'resize', range: 1, mean: [0], std: [1] });
    expect(Array.from(nhwc.subarray(0, 3)).map((v) => +v.toFixed(5))).toEqual([0.1, 0.2, 0.3]);
  });
  it('crops the centre of a wide image', () => {
    // 2×4 image: left half 0, right half 1; a 2×2 centre crop reads columns 1 and 2.
    const data = new Float32Array([0, 0, 1, 1, 0, 0, 1, 1]);
    const out = preprocess({ channels: 1, height: 2, width: 4, data }, { channels: 1, height: 2, width: 2, channelsLast: false }, { colour: 'grey', fit: 'crop', range: 1, mean: [0], std: [1] });
    expect(Array.from(out)).toEqual([0, 1, 0, 1]);
  });
});

describe('parseClassNames', () => {
  it('reads one name a line and drops trailing blanks', () => {
    expect(parseClassNames('cat\r\ndog\n\n')).toEqual(['cat', 'dog']);
  });
});
