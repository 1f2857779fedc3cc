/** A whole number from `min` to `max`, each rule's message naming `what`: the contract's most common field. */
import * as v from 'valibot';

/**
 * The one bounded-integer schema of the contract and the lab files. `notNumber` words the refusal of a value that
 * is no number at all (a lab file's message names what it found instead).
 */
export const whole = (min: number, max: number, what: string, notNumber: v.ErrorMessage<v.NumberIssue> = `${what} must be a number`) =>
  v.pipe(
    v.number(notNumber),
    v.integer(`${what} must be a whole number`),
    v.minValue(min, `${what} must be at least ${min}`),
    v.maxValue(max, `${what} must be at most ${max}`),
  );
