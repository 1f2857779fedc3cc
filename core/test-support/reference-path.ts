/** Where the tests find the PyTorch reference cases (for vitest and the Playwright specs alike). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root is two folders above this file; shared/ sits beside the repo (CI clones it elsewhere). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_REFERENCE = path.resolve(repoRoot, '../shared/reference/reference.json');
const SHARED_REFERENCE_2 = path.resolve(repoRoot, '../shared/reference/reference-2.json');

/**
 * The team's shared reference when it sits beside the repo (it may hold newer cases); otherwise the copy kept here,
 * so a plain clone on anyone's machine runs the same parity tests.
 */
export const REFERENCE_PATH = existsSync(SHARED_REFERENCE) ? SHARED_REFERENCE : path.resolve(repoRoot, 'core/test-support/reference.json');

/** The same choice for the convlab-reference/2 file (chapter 5's layers, architectures and training runs). */
export const REFERENCE_2_PATH = existsSync(SHARED_REFERENCE_2) ? SHARED_REFERENCE_2 : path.resolve(repoRoot, 'core/test-support/reference-2.json');
