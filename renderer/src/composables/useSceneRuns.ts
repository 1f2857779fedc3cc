/**
 * The engine's answer for every scene of the chapter on show, so its comparisons with the book are there as soon as
 * the chapter opens. A scene loaded into the lab is read off the lab's own maps instead, so an edit made there shows
 * at once whether the result still agrees with the book.
 */
import { shallowRef, watch, type Ref } from 'vue';
import { api } from '../api/client';
import { inputMap, toLayerSpec } from '../lab/document';
import type { GuideScene, SceneRun } from '../guide/scene';
import { useMapsStore } from '../stores/maps';
import { useViewStore } from '../stores/view';

export function useSceneRuns(scenes: Ref<readonly GuideScene[]>) {
  const maps = useMapsStore();
  const view = useViewStore();
  const own = shallowRef<Record<string, SceneRun | string>>({});

  watch(
    scenes,
    async (list) => {
      const runs: Record<string, SceneRun | string> = {};
      await Promise.all(
        list.map(async (scene) => {
          const doc = scene.build();
          const result = await api.forward({ input: inputMap(doc.input), layers: doc.layers.map(toLayerSpec) });
          runs[scene.id] = result.ok ? { doc, outputs: result.value.outputs } : result.error.message;
        }),
      );
      if (list === scenes.value) own.value = runs;
    },
    { immediate: true },
  );

  /** The run to compare for a scene: the lab's when it is loaded there, its own otherwise; a string is the engine's refusal. */
  function runOf(scene: GuideScene): SceneRun | string | null {
    if (view.loadedScene === scene.id && maps.shownDoc) return { doc: maps.shownDoc, outputs: maps.outputs };
    return own.value[scene.id] ?? null;
  }
  return { runOf };
}
