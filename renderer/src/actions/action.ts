/**
 * Actions as data: every intent is one object that turns a document into the next one and says whether the step
 * belongs in the undo history. Menu, toolbar, keyboard and tests all go through the same door (useLabStore().run).
 */
import type { LabDocument } from '../document/document';

export interface ActionResult {
  doc: LabDocument;
  /** true: this step can be undone on its own; false: part of a gesture, or not an edit at all. */
  capture: boolean;
}

export interface Action<P> {
  name: string;
  perform(doc: LabDocument, payload: P): ActionResult;
}

export const defineAction = <P>(name: string, perform: Action<P>['perform']): Action<P> => ({ name, perform });
