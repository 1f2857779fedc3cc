/**
 * A page of the browser host as the measuring tools (flood.ts, lab-save-latency.ts) drive it: one WebSocket that
 * sends contract calls and hands each answer to its caller.
 */
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../../contract/wire';

export type CallResult = { ok: boolean; error?: { code: string; message: string } };
export interface HostPage {
  ws: WebSocket;
  call(name: string, request: unknown): Promise<CallResult>;
}

/** Opens a page on the host at `port`, from the host's own origin. */
export function openHostPage(port: number, origin = `http://127.0.0.1:${port}`): Promise<HostPage> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin, maxPayload: 256 * 1024 * 1024 });
    const pending = new Map<number, (result: CallResult) => void>();
    let next = 1;
    ws.on('message', (data: Buffer) => {
      const reply = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as { id: number; result: CallResult };
      pending.get(reply.id)?.(reply.result);
      pending.delete(reply.id);
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        call: (name, request) =>
          new Promise((done) => {
            const id = next++;
            pending.set(id, done);
            ws.send(encodeMessage({ id, call: name, request }));
          }),
      }),
    );
  });
}
