/** The training settings an exported script starts from: the book's section's for each network. */
import type { NetId } from '../../core/nets/book-nets';
import { BOOK_SETTINGS, TRAINABLE_NETS, type TrainableNet } from '../../core/nets/catalogue';
import type { ScriptSettings } from './pytorch-script';

/** The networks ConvLab does not train here, with their sections' lr and batch (7.1 AlexNet, 7.2 VGG, 8.7 DenseNet). */
const OTHER_NETS: Readonly<Record<Exclude<NetId, TrainableNet>, ScriptSettings>> = {
  alexnet: { lr: 0.01, batch: 128, epochs: 10 },
  vgg11: { lr: 0.05, batch: 128, epochs: 10 },
  densenet: { lr: 0.1, batch: 256, epochs: 10 },
};

/** The book's lr, batch and epochs for network `id`. */
export function bookScriptSettings(id: NetId): ScriptSettings {
  if ((TRAINABLE_NETS as readonly string[]).includes(id)) {
    const s = BOOK_SETTINGS[id as TrainableNet];
    return { lr: s.lr, batch: s.batchSize, epochs: s.epochs };
  }
  return OTHER_NETS[id as Exclude<NetId, TrainableNet>];
}
