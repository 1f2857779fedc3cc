/**
 * The lab file, `*.convlab.json`: `{ "type": "convlab", "version": n, "lab": … }`. The gate checks a parsed file and
 * answers a typed lab of the current version or a message naming the problem (its path and its rule); restore
 * migrates older versions. Pure (valibot only), so main checks files at the boundary and the page can use it too.
 */
import * as v from 'valibot';
import { LabV1 } from './lab-file-v1';
import { LabV2, labV1toV2 } from './lab-file-v2';
import { LabV3, labV2toV3 } from './lab-file-v3';
import { LabV4, labV3toV4 } from './lab-file-v4';

/**
 * One row per version, oldest first: its schema, and how a lab of that version becomes one of the next version
 * (the newest has none). A new version is a file (lab-file-v4.ts) and a row here.
 */
const VERSIONS: readonly { schema: v.GenericSchema; next?: (lab: never) => unknown }[] = [
  { schema: LabV1, next: labV1toV2 },
  { schema: LabV2, next: labV2toV3 },
  { schema: LabV3, next: labV3toV4 },
  { schema: LabV4 },
];

/** The version this ConvLab writes, and the newest it reads. */
export const LAB_FILE_VERSION = VERSIONS.length;
export const LAB_FILE_EXTENSION = '.convlab.json';
/**
 * Larger files are refused before parsing. The largest lab is a trained ResNet-18 at divisor 1 (11.2 M weights,
 * about 60 MB of base64) beside a full 100,000-step history of a 3×3 kernel (about 15 MB), with room.
 */
export const MAX_LAB_FILE_BYTES = 96 * 1024 * 1024;

/** The content of a lab of the current version. */
export type Lab = LabV4;
export type GateResult = { ok: true; lab: Lab; version: number } | { ok: false; message: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first key anywhere in the value that could reach an object's prototype, with its path. */
function forbiddenKey(root: unknown): string | null {
  // Paths are built only for a hit: a file of a million objects is walked without a million path strings.
  type Step = { value: unknown; parent: Step | null; key: string | number };
  const pathTo = (step: Step, key: string) => {
    const parts: (string | number)[] = [key];
    for (let at: Step | null = step; at && at.parent; at = at.parent) parts.unshift(at.key);
    return parts.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
  };
  const stack: Step[] = [{ value: root, parent: null, key: '' }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const value = step.value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (value[i] !== null && typeof value[i] === 'object') stack.push({ value: value[i], parent: step, key: i });
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_KEYS.has(key)) return pathTo(step, key);
        const item = (value as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') stack.push({ value: item, parent: step, key });
      }
    }
  }
  return null;
}

function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) out += typeof item.key === 'number' ? `[${item.key}]` : `${out ? '.' : ''}${String(item.key)}`;
  return out;
}

function describe(issue: v.BaseIssue<unknown>, prefix: string): string {
  const path = [prefix, pathOf(issue)].filter(Boolean).join('.');
  const missing = issue.type === 'object' && issue.received === 'undefined';
  const message = missing ? 'is missing' : issue.message;
  return path ? `${path}: ${message}` : message;
}

const kindOf = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : typeof value === 'number' && !Number.isFinite(value)
          ? 'a number too large to hold (such as 1e999)'
          : JSON.stringify(value);

/** Checks a parsed lab file; an older version is restored to the current one. */
export function gateLab(file: unknown): GateResult {
  if (file === null || typeof file !== 'object' || Array.isArray(file)) {
    return { ok: false, message: `this is not a ConvLab lab file: it holds ${kindOf(file)}, not an object` };
  }
  const bad = forbiddenKey(file);
  if (bad) return { ok: false, message: `${bad}: the key "${bad.split(/[.[]/).pop()}" is not allowed in a lab file` };
  const { type, version, lab } = file as Record<string, unknown>;
  if (type !== 'convlab') {
    return { ok: false, message: `this is not a ConvLab lab file: "type" is ${type === undefined ? 'missing' : kindOf(type)}, expected "convlab"` };
  }
  if (version === undefined) return { ok: false, message: 'version is missing' };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, message: `version must be a whole number from 1, not ${kindOf(version)}` };
  }
  if (version > LAB_FILE_VERSION) {
    return {
      ok: false,
      message: `this lab was saved by a newer ConvLab (version ${version}); this version reads up to ${LAB_FILE_VERSION}`,
    };
  }
  if (lab === undefined) return { ok: false, message: 'lab is missing' };
  const checked = v.safeParse(VERSIONS[version - 1].schema, lab, { abortEarly: true });
  if (!checked.success) return { ok: false, message: describe(checked.issues[0], 'lab') };
  return { ok: true, lab: restore(version, checked.output), version };
}

/** Brings a checked lab of an older version up to the current one, one version at a time. */
export function restore(version: number, lab: unknown): Lab {
  let out = lab;
  for (let at = version; at < LAB_FILE_VERSION; at++) out = VERSIONS[at - 1].next!(out as never);
  return out as Lab;
}

/** A lab file's bytes as text, or a message naming why they are not UTF-8 (UTF-16 and UTF-32 by name). */
export function decodeLabBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  if (bytes.byteLength > MAX_LAB_FILE_BYTES) {
    return { ok: false, message: `this file is ${(bytes.byteLength / 1048576).toFixed(1)} MB; a lab file holds at most ${MAX_LAB_FILE_BYTES / 1048576} MB` };
  }
  const [a, b, c, d] = bytes;
  const utf8Please = 'a lab file is UTF-8 text (save it again as UTF-8)';
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    return { ok: false, message: `this file is UTF-32 text; ${utf8Please}` };
  }
  // A byte-order mark, or the NULs that ASCII characters leave in UTF-16 ('{' as 7B 00 or 00 7B).
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff) || (bytes.byteLength >= 2 && (a === 0) !== (b === 0))) {
    return { ok: false, message: `this file is UTF-16 text; ${utf8Please}` };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, message: `this file is not UTF-8 text; ${utf8Please}` };
  }
}

/** gateLabText for a file's bytes: its encoding is checked first. */
export function gateLabBytes(bytes: Uint8Array): GateResult {
  const decoded = decodeLabBytes(bytes);
  return decoded.ok ? gateLabText(decoded.text) : decoded;
}

/** A lab nests about six deep; far deeper is no lab, and would cost seconds to parse and walk. */
const MAX_NESTING = 64;

/** How deep lists and objects nest in JSON text (strings skipped), counted only up to just past `limit`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return depth;
}

/** Parses and gates a file's text: not JSON, too large or bad content are all refused by name. */
export function gateLabText(text: string): GateResult {
  if (text.length > MAX_LAB_FILE_BYTES) {
    return { ok: false, message: `this file is ${Math.round(text.length / 1048576)} MB; a lab file holds at most ${MAX_LAB_FILE_BYTES / 1048576} MB` };
  }
  const depth = nestingDepth(text, MAX_NESTING);
  if (depth > MAX_NESTING) {
    return { ok: false, message: `this file nests lists or objects more than ${MAX_NESTING} deep; a lab file nests at most ${MAX_NESTING}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `this file is not JSON (${(error as Error).message})` };
  }
  return gateLab(parsed);
}

/** Indented JSON that keeps each list of numbers on one line, so a file stays readable in an editor. */
function format(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'number')) return `[${value.join(', ')}]`;
    if (value.length === 0) return '[]';
    const inner = indent + '  ';
    return `[\n${value.map((item) => inner + format(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${format(item, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The text of a lab file of the current version. */
export function serializeLab(lab: Lab): string {
  return `${format({ type: 'convlab', version: LAB_FILE_VERSION, lab }, '')}\n`;
}

/** A file name's display form: without its folder and without `.convlab.json`. */
export function labDisplayName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.endsWith(LAB_FILE_EXTENSION) ? base.slice(0, -LAB_FILE_EXTENSION.length) : base.replace(/\.json$/, '');
}
