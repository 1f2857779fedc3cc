/** A whole number from `min` to `max`, each rule's message naming `what`: the contract's most common field. */
import * as v from 'valibot';

export const whole = (min: number, max: number, what: string) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.integer(`${what} must be a whole number`),
    v.minValue(min, `${what} must be at least ${min}`),
    v.maxValue(max, `${what} must be at most ${max}`),
  );
