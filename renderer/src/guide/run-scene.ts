/** A guide scene through the engine's stack (core), as the panel and its tests run it. */
import { runStack } from '../../../core/lab/stack';
import { inputMap, toLayerSpec } from '../document/document';
import type { GuideScene, SceneRun } from './scene';

/** One scene through the engine's stack: its outputs, or the engine's refusal as text. */
export function runScene(scene: GuideScene): SceneRun | string {
  const doc = scene.build();
  try {
    // core's maps carry a plain number[] shape; they are the same NCHW maps the host answers with.
    return { doc, outputs: runStack(inputMap(doc.input), doc.layers.map(toLayerSpec)).outputs as SceneRun['outputs'] };
  } catch (error) {
    return (error as Error).message;
  }
}
