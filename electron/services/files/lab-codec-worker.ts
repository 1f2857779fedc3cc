/** The lab codec's worker thread (lab-codec.ts): gates a large lab's content, or writes its canonical text, off the host's main thread. */
import { parentPort } from 'node:worker_threads';
import { serializeLab } from '../../contract/lab-file';
import { gateLabContent, type LabCodecReply, type LabCodecRequest } from './lab-codec';
import { ServiceError } from '../router';

const port = parentPort!;

port.on('message', ({ id, kind, content, fileName }: LabCodecRequest) => {
  let reply: LabCodecReply;
  try {
    const lab = gateLabContent(content, fileName);
    reply = { id, ok: true, value: kind === 'gate' ? lab : serializeLab(lab) };
  } catch (error) {
    reply = { id, ok: false, code: error instanceof ServiceError ? error.code : null, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
