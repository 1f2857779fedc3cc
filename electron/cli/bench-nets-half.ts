/**
 * The second thread of ConvLab's two-thread forward in `npm run bench -- --nets`: a worker that holds the same
 * network and weights (built from the same seed) and runs its part of each batch while the calling thread runs the
 * other part, as the app's training pool splits a batch between engine workers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildNetwork, type NetId } from '../../core/nets/book-nets';
import { initParams } from '../../core/nets/params';
import { predict } from '../../core/nets/run';

/** What the worker is started with. */
export interface HalfData { id: NetId; side: number; seed: number }

if (parentPort !== null) {
  const { id, side, seed } = workerData as HalfData;
  const net = buildNetwork(id, [1, 1, side, side]);
  const params = initParams(net.spec, { seed });
  const port = parentPort;
  port.on('message', (m: { data: Float32Array; shape: number[] }) => {
    const y = predict(net.spec, params, { shape: m.shape, data: m.data });
    port.postMessage(y.data);
  });
}
