/**
 * How an image becomes an opened model's input (colour order, fit, scale, mean and std), remembered per model file
 * in the settings so a model opened again reads images as it did.
 */
import * as v from 'valibot';

const finite = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be finite`));
const triple = (what: string, item: v.GenericSchema<number, number>) =>
  v.pipe(v.array(item, `${what} must be a list`), v.minLength(1, `${what} needs 1 to 3 values`), v.maxLength(3, `${what} needs 1 to 3 values`));

export const ModelPreprocessingSchema = v.object({
  colour: v.picklist(['grey', 'rgb', 'bgr'], 'colour must be grey, rgb or bgr'),
  fit: v.picklist(['resize', 'crop'], 'fit must be resize or crop'),
  /** Pixel values run 0…range before mean and std: 1 (torchvision) or 255 (Caffe and many Keras models). */
  range: v.picklist([1, 255], 'range must be 1 or 255'),
  mean: triple('mean', finite('mean')),
  std: triple('std', v.pipe(finite('std'), v.check((s) => s > 0, 'std must be above 0'))),
});
export type ModelPreprocessing = v.InferOutput<typeof ModelPreprocessingSchema>;

/** Most models whose preprocessing the settings remember (the oldest are forgotten first). */
export const MAX_REMEMBERED_MODELS = 64;

/** Preprocessing per model file name. */
export const RememberedPreprocessingSchema = v.pipe(
  v.record(v.pipe(v.string(), v.maxLength(255, 'a model name holds at most 255 characters')), ModelPreprocessingSchema),
  v.check((r) => Object.keys(r).length <= MAX_REMEMBERED_MODELS, `the settings remember at most ${MAX_REMEMBERED_MODELS} models`),
);

/** ImageNet's mean and std on 0…1 RGB, as torchvision's classification models expect. */
export const IMAGENET_PREPROCESSING: ModelPreprocessing = { colour: 'rgb', fit: 'crop', range: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** Nothing but the pixels 0…1: a first guess for a model that is not an ImageNet classifier. */
export const PLAIN_PREPROCESSING: ModelPreprocessing = { colour: 'rgb', fit: 'resize', range: 1, mean: [0], std: [1] };
