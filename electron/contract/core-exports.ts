/**
 * The page's one door into core: the pure functions and types of the engine the renderer may use, each re-exported
 * here with the reason the page needs it. Nothing here touches a tensor's memory or runs a network; the page asks
 * the engine for that through the contract. ESLint refuses any other path from renderer/ into core/.
 */

// Every limit a control clamps to and a message names, the same numbers the schemas enforce.
export { LIMITS } from '../../core/limits';

// The page sends only the rectangle of the input a brush step changed, and patches the maps' answered windows into
// the maps it holds, by the same rules the engine cuts them (bit for bit a full pass).
export { applyWindows, changedInputWindow, isEmptyBox, type ChangedBox } from '../../core/lab/map-windows';

// The training mode lists the networks it can train, their titles and scaled sizes, and reads a network's layers
// (trainingNet + inferSpec) to draw its table before any run starts.
export { NET_TITLES, SCALED_NETS, TRAINABLE_NETS, trainingNet, type TrainableNet } from '../../core/nets/catalogue';
export { inferSpec } from '../../core/nets/infer';

// The network explorer estimates one epoch's cost and time of a scaled network from its arithmetic alone.
export { epochCost, epochSeconds, type EpochCost } from '../../core/nets/compare';

// The guide prints the book's listing of each network (a pure walk over its shapes) beside the book's own.
export { BOOK_NETS, buildNetwork, type NetId } from '../../core/nets/book-nets';
export { bookListing } from '../../core/nets/listing';

// A network's maps group its layers into the book's blocks (conv1, pool1 …) as each kind's row of the layer table says.
export { blockRole, type BlockRole } from '../../core/layers/table';

// The guide's random scenes (5.2, 5.3) draw the same seeded numbers the engine would.
export { mulberry32 } from '../../core/random';
