/**
 * `npm run -s conformance -- FILE.json`: scores a reference file (convlab-reference/1 or /2) against the engine,
 * one line per case; skipped cases say why and do not fail the run.
 */
import { readFileSync } from 'node:fs';
import { runConformance } from '../../core/conformance';
import { ConvLabError } from '../../core/errors';
import { scoreArchitectureCase } from '../../core/nets/architecture-case';

function fail(message: string): never {
  process.stderr.write(`conformance: ${message}\n`);
  process.exit(1);
}

const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (file === undefined) fail('usage: npm run -s conformance -- FILE.json');

let parsed: unknown;
try {
  parsed = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  fail(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
}

try {
  const report = runConformance(parsed, { architectures: scoreArchitectureCase });
  const width = Math.max(...report.results.map((r) => r.id.length), 4);
  for (const r of report.results) {
    const err = Number.isFinite(r.maxError) ? r.maxError.toExponential(2) : String(r.maxError);
    const verdict = r.skipped === true ? 'skip' : r.pass ? 'pass' : 'FAIL';
    const line = `${r.id.padEnd(width)}  ${err.padStart(9)}  ${verdict}${r.detail && !r.pass ? `  ${r.detail}` : ''}`;
    process.stdout.write(`${line}\n`);
  }
  process.stdout.write(`${report.passed} passed, ${report.failed} failed${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}\n`);
  process.exit(report.failed === 0 ? 0 : 1);
} catch (e) {
  if (e instanceof ConvLabError) fail(`${file}: ${e.message}`);
  throw e;
}
