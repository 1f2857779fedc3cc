/**
 * An .onnx file dropped anywhere on the window opens as a model (both hosts). Caught before the panels see the drop,
 * so the input stage does not try to read a model as an image; every other drop goes on to them untouched.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import { useModelStore } from '../stores/model';

const isModelFile = (file: File | undefined): file is File => !!file && file.name.toLowerCase().endsWith('.onnx');

/** Whether a drag carries files at all (its names are hidden until the drop). */
const carriesFiles = (event: DragEvent): boolean => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export function useModelDrop(): void {
  const model = useModelStore();

  function onDragOver(event: DragEvent): void {
    // Without this a file dropped outside a drop zone would replace the page with the file.
    if (carriesFiles(event)) event.preventDefault();
  }
  function onDrop(event: DragEvent): void {
    const file = event.dataTransfer?.files[0];
    if (!isModelFile(file)) {
      if (carriesFiles(event)) event.preventDefault();
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    void model.openFile(file);
  }

  onMounted(() => {
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop, { capture: true });
  });
  onBeforeUnmount(() => {
    window.removeEventListener('dragover', onDragOver);
    window.removeEventListener('drop', onDrop, { capture: true });
  });
}
