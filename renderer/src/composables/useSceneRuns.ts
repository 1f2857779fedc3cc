/**
 * The engine's answer for every scene of the chapter on show, so its comparisons with the book are there as soon as
 * the chapter opens. The scenes are tiny (a few cells), so core's stack runs them here, synchronously: the host
 * answers only the newest forward request of a page, and a burst of scene requests would cancel the lab's own. A
 * scene loaded into the lab is read off the lab's maps (through the host) instead, so an edit made there shows at
 * once whether the result still agrees with the book.
 */
import { computed, type Ref } from 'vue';
import { runScene } from '../guide/run-scene';
import type { GuideScene, SceneRun } from '../guide/scene';
import { useMapsStore } from '../stores/maps';
import { useViewStore } from '../stores/view';

export function useSceneRuns(scenes: Ref<readonly GuideScene[]>) {
  const maps = useMapsStore();
  const view = useViewStore();
  const own = computed(() => Object.fromEntries(scenes.value.map((scene) => [scene.id, runScene(scene)])));

  /** The run to compare for a scene: the lab's when it is loaded there, its own otherwise; a string is the engine's refusal. */
  function runOf(scene: GuideScene): SceneRun | string | null {
    if (view.loadedScene === scene.id && maps.shownDoc) return { doc: maps.shownDoc, outputs: maps.outputs };
    return own.value[scene.id] ?? null;
  }
  return { runOf };
}
