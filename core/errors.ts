/** Errors the engine raises: a machine-readable code for the app and a sentence that names the value and the rule. */

/**
 * What went wrong, for the app to branch on:
 * 'shape' (sizes do not fit together), 'range' (a setting outside its rule), 'nonfinite' (NaN or ±Infinity in data),
 * 'limit' (above a named LIMITS constant), 'format' (a file or object that is not what it claims to be).
 */
export type ErrorCode = 'shape' | 'range' | 'nonfinite' | 'limit' | 'format';

/** The one error type core throws on bad input; `{ code, message }` crosses process boundaries unchanged. */
export class ConvLabError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ConvLabError';
    this.code = code;
  }

  /** The same error with a prefix naming where it happened, e.g. "layer 2 (conv): ". */
  within(prefix: string): ConvLabError {
    return new ConvLabError(this.code, `${prefix}${this.message}`);
  }

  /** Plain data for IPC answers. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Throws a ConvLabError with `code` and `message` unless `ok`. */
export function check(ok: boolean, code: ErrorCode, message: () => string): asserts ok {
  if (!ok) throw new ConvLabError(code, message());
}
