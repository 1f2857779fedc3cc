/**
 * Which test image the network-training mode shows going through the network: chosen by class in its own panel, or
 * sent there from another panel (the images it gets most wrong), which then scrolls it into view.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useNetTrainingViewStore = defineStore('netTrainingView', () => {
  /** The test image's index in the test set, or null before one is chosen. */
  const testIndex = ref<number | null>(null);
  /** Bumped when another panel sends an image, so the test-image panel comes into view. */
  const sent = ref(0);

  function chooseTestImage(index: number): void {
    testIndex.value = index;
  }
  function sendTestImage(index: number): void {
    testIndex.value = index;
    sent.value++;
  }
  return { testIndex, sent, chooseTestImage, sendTestImage };
});
