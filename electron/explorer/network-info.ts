/**
 * The explorer's table and diagram of a book network at a size. Shape inference only (no tensors, a few
 * milliseconds), so it runs on the main side without the engine and answers even while a forward pass is running.
 */
import { BOOK_NETS } from '../../core/nets/book-nets';
import { exploreNetwork, type NetworkView } from '../../core/nets/explore';
import type { RequestOf } from '../contract/contract';

/** The view for a grey or RGB image, at `side` or the book's size; a side the network cannot take is refused naming the layer and the arithmetic. */
export function explorerInfo({ net, side, book, channels, divisor }: RequestOf<'explorerInfo'>): NetworkView {
  const bookSide = book === 'training' ? BOOK_NETS[net].trainSide : BOOK_NETS[net].listingSide;
  return exploreNetwork(net, side ?? bookSide, channels ?? 1, { divisor }).view;
}
