/**
 * Conformance of reference-2's `architectures` cases: the book's network built here at the case's input shape must
 * list the same top-level blocks (kind and every setting), the same output shapes and parameter counts, exactly,
 * and the same total. The case's own blocks are also inferred from their settings alone, so the inference is
 * checked apart from the builders.
 */
import { ConvLabError } from '../errors';
import { blockFromData, BLOCK_SETTINGS } from './blocks';
import { BOOK_NETS, buildNetwork, type NetId } from './book-nets';
import { shapeTuple } from './infer';
import { assembleNetwork, type BlockInfo, type Network } from './network';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const errText = (e: unknown): string => (e instanceof ConvLabError ? e.message : String(e));

/** The settings of a built block as reference-2 writes them: kind, settings in order, then stage. */
export function blockRecord(b: BlockInfo): Json {
  const rec: Json = { kind: b.block.kind };
  for (const k of BLOCK_SETTINGS[b.block.kind]) {
    const v = (b.block as unknown as Json)[k];
    if (v !== undefined) rec[k] = v;
  }
  if (b.stage) rec.stage = b.stage.id;
  return rec;
}

/** The case's layers compared with a network's blocks, one message per difference. */
function compare(net: Network, layers: readonly Json[], what: string, settings: boolean): string[] {
  const out: string[] = [];
  if (net.blocks.length !== layers.length) out.push(`${what}: ${net.blocks.length} blocks, want ${layers.length}`);
  layers.forEach((ref, i) => {
    const b = net.blocks[i];
    if (!b) return;
    const at = `${what}: layers[${i}] (${b.name})`;
    if (settings) {
      const mine = blockRecord(b);
      const keys = new Set([...Object.keys(mine), ...Object.keys(ref).filter((k) => k !== 'output_shape' && k !== 'parameters')]);
      for (const k of keys) if (!same(mine[k], ref[k])) out.push(`${at}: ${k} ${JSON.stringify(mine[k])}, want ${JSON.stringify(ref[k])}`);
    }
    if (!same(b.output, ref.output_shape)) out.push(`${at}: output_shape ${shapeTuple(b.output)}, want ${JSON.stringify(ref.output_shape)}`);
    if (b.parameters !== ref.parameters) out.push(`${at}: parameters ${b.parameters}, want ${JSON.stringify(ref.parameters)}`);
  });
  return out;
}

/**
 * Every difference between an `architectures` case and ConvLab's inference; [] when the case passes. Never
 * throws: a malformed case or a network that refuses the input comes back as a message.
 */
export function checkArchitectureCase(c: unknown): string[] {
  if (!isObj(c)) return ['the case must be an object'];
  const { net: id, input_shape: input, layers, parameters } = c;
  if (typeof id !== 'string' || !Object.hasOwn(BOOK_NETS, id)) return [`unknown net ${JSON.stringify(id)}`];
  if (!Array.isArray(input) || input.length !== 4 || !input.every((d) => Number.isInteger(d) && d >= 1)) {
    return [`input_shape must be four whole sizes ≥ 1, got ${JSON.stringify(input)}`];
  }
  if (!Array.isArray(layers) || !layers.every(isObj)) return ['layers must be a list of objects'];

  const out: string[] = [];
  try {
    const ours = buildNetwork(id as NetId, input);
    out.push(...compare(ours, layers, 'built', true));
    if (ours.parameters !== parameters) out.push(`built: parameters ${ours.parameters}, want ${JSON.stringify(parameters)}`);
  } catch (e) {
    out.push(`built: ${errText(e)}`);
  }
  try {
    const theirs = assembleNetwork(String(c.id ?? id), input, layers.map((l, i) => {
      try {
        return { name: `layer ${i}`, block: blockFromData(l) };
      } catch (e) {
        throw e instanceof ConvLabError ? e.within(`layers[${i}]: `) : e;
      }
    }));
    out.push(...compare(theirs, layers, 'from the case', false));
  } catch (e) {
    out.push(`from the case: ${errText(e)}`);
  }
  const sum = layers.reduce((a, l) => a + (typeof l.parameters === 'number' ? l.parameters : NaN), 0);
  if (sum !== parameters) out.push(`the case's parameters ${JSON.stringify(parameters)} are not the sum of its blocks' (${sum})`);
  return out;
}

/**
 * checkArchitectureCase in the shape of a conformance runner (`options.architectures` of runConformance): every
 * difference goes to the score as one failure, so an exact case passes at scale 0 and a wrong one fails.
 */
export function scoreArchitectureCase(c: unknown, score: { fail(detail: string): void }): void {
  const mismatches = checkArchitectureCase(c);
  if (mismatches.length > 0) score.fail(mismatches.length === 1 ? mismatches[0] : `${mismatches[0]} (and ${mismatches.length - 1} more)`);
}
