/**
 * Binds the contract's model calls (model-contract.ts) to the model service. Until the runner is wired to the
 * engine, each call is refused by name, so the page can be built against the contract and shows a clear message.
 */
import type { Handlers } from '../router';
import { ServiceError } from '../router';

export type ModelCallName = 'modelOpen' | 'modelOpenBytes' | 'modelForward' | 'modelMaps' | 'modelProbe' | 'modelClose';

const notYet = (call: ModelCallName) => (): never => {
  throw new ServiceError('internal', `${call}: opening ONNX models is not available in this build yet`);
};

/** The model calls' handlers. */
export function createModelHandlers(): Pick<Handlers, ModelCallName> {
  return {
    modelOpen: notYet('modelOpen'),
    modelOpenBytes: notYet('modelOpenBytes'),
    modelForward: notYet('modelForward'),
    modelMaps: notYet('modelMaps'),
    modelProbe: notYet('modelProbe'),
    modelClose: notYet('modelClose'),
  };
}
