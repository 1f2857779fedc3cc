/**
 * How large one message between a page and the browser host may be, derived from the limits it must carry: the
 * largest lab file or dropped model (sent as bytes) with room for its header. transport-limits.test.ts checks that the largest
 * request the contract accepts for every call fits, so no valid request is ever cut off by the socket.
 */
import { MAX_LAB_FILE_BYTES } from './lab-file';
import { MAX_MODEL_REQUEST_BYTES } from './model-contract';

/** Room for a message's JSON header and alignment beside its largest binary payload. */
const HEADER_ALLOWANCE = 8 * 1024 * 1024;
export const MAX_MESSAGE_BYTES = Math.max(MAX_LAB_FILE_BYTES, MAX_MODEL_REQUEST_BYTES) + HEADER_ALLOWANCE;
/** A page that stops reading may leave this much of its answers unsent before the host stops reading from it. */
export const MAX_UNSENT_ANSWER_BYTES = 32 * 1024 * 1024;
