import { describe, expect, it } from 'vitest';
import { imageFromPlanes, inputChannel, makeConv, type LabDocument } from '../document/document';
import { defaultTraining } from '../training/training-doc';
import { toRgb } from '../composables/useImageImport';
import { fillInput, paintCells, replaceInput, resizeInput, setInputChannels } from './document-actions';

const doc = (): LabDocument => ({
  input: imageFromPlanes([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]),
  layers: [makeConv([[1]], { inChannels: 2 })],
  training: defaultTraining(),
});

describe('an input of several channels', () => {
  it('paints and fills only the channel being edited', () => {
    const painted = paintCells.perform(doc(), { cells: [{ y: 0, x: 1 }], value: 9, channel: 1 }).doc;
    expect(Array.from(painted.input.data)).toEqual([0, 1, 2, 3, 4, 9, 6, 7]);
    const filled = fillInput.perform(doc(), { value: 0, channel: 0 }).doc;
    expect(Array.from(filled.input.data)).toEqual([0, 0, 0, 0, 4, 5, 6, 7]);
  });

  it('resizes every channel, keeping the overlap', () => {
    const resized = resizeInput.perform(doc(), { height: 1, width: 3 }).doc.input;
    expect(resized).toMatchObject({ channels: 2, height: 1, width: 3 });
    expect(Array.from(resized.data)).toEqual([0, 1, 0, 4, 5, 0]);
  });

  it('changing the channel count refits the first convolution and keeps what was drawn', () => {
    const three = setInputChannels.perform(doc(), { channels: 3 }).doc;
    expect(Array.from(inputChannel(three.input, 2))).toEqual([0, 1, 2, 3]);
    expect(three.layers[0]).toMatchObject({ inChannels: 3 });
    const one = setInputChannels.perform(three, { channels: 1 }).doc;
    expect(Array.from(one.input.data)).toEqual([0, 1, 2, 3]);
    expect(one.layers[0]).toMatchObject({ inChannels: 1 });
  });

  it('an RGB image is three channels, red, green, blue, and the stack reads them', () => {
    // Two pixels: pure red, and half-transparent blue over white.
    const rgb = toRgb(Uint8ClampedArray.from([255, 0, 0, 255, 0, 0, 255, 128]), 1, 2);
    expect(rgb).toMatchObject({ channels: 3, height: 1, width: 2 });
    expect(Array.from(rgb.data)).toEqual([1, 0.498, 0, 0.498, 0, 1].map(Math.fround));
    expect(replaceInput.perform(doc(), { image: rgb }).doc.layers[0]).toMatchObject({ inChannels: 3 });
  });
});
