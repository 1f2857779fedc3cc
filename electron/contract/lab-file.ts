/**
 * The lab file, `*.convlab.json`: `{ "type": "convlab", "version": n, "lab": … }`. The gate checks a parsed file and
 * answers a typed lab of the current version or a message naming the problem (its path and its rule); restore
 * migrates older versions. Pure (valibot only), so main checks files at the boundary and the page can use it too.
 */
import * as v from 'valibot';
import { LabV1 } from './lab-file-v1';
import { LabV2, labV1toV2 } from './lab-file-v2';

/**
 * One row per version, oldest first: its schema, and how a lab of that version becomes one of the next version
 * (the newest has none). A new version is a file (lab-file-v3.ts) and a row here.
 */
const VERSIONS: readonly { schema: v.GenericSchema; next?: (lab: never) => unknown }[] = [
  { schema: LabV1, next: labV1toV2 },
  { schema: LabV2 },
];

/** The version this ConvLab writes, and the newest it reads. */
export const LAB_FILE_VERSION = VERSIONS.length;
export const LAB_FILE_EXTENSION = '.convlab.json';
/** Larger files are refused before parsing (a full 100,000-step history of a 3×3 kernel is about 15 MB). */
export const MAX_LAB_FILE_BYTES = 64 * 1024 * 1024;

/** The content of a lab of the current version. */
export type Lab = LabV2;
export type GateResult = { ok: true; lab: Lab; version: number } | { ok: false; message: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first key anywhere in the value that could reach an object's prototype, with its path. */
function forbiddenKey(root: unknown): string | null {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (value[i] !== null && typeof value[i] === 'object') stack.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        const at = path ? `${path}.${key}` : key;
        if (FORBIDDEN_KEYS.has(key)) return at;
        stack.push([(value as Record<string, unknown>)[key], at]);
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

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : JSON.stringify(value));

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

/** Parses and gates a file's text: not JSON, too large or bad content are all refused by name. */
export function gateLabText(text: string): GateResult {
  if (text.length > MAX_LAB_FILE_BYTES) {
    return { ok: false, message: `this file is ${Math.round(text.length / 1048576)} MB; a lab file holds at most ${MAX_LAB_FILE_BYTES / 1048576} MB` };
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
