import { expect, test } from 'vitest';
import { labPathFromArgv } from './launch-args';

test('a lab named on the command line is found, made absolute, and flags are skipped', () => {
  expect(labPathFromArgv(['/opt/ConvLab/convlab', '/home/a/edges.convlab.json'], '/tmp')).toBe('/home/a/edges.convlab.json');
  expect(labPathFromArgv(['electron', 'out/main/main.js', '--no-sandbox', 'labs/Week 1.CONVLAB.JSON'], '/home/a')).toBe('/home/a/labs/Week 1.CONVLAB.JSON');
  expect(labPathFromArgv(['convlab', '--original-process-start-time=1', '--x=a.convlab.json'], '/tmp')).toBeNull();
  expect(labPathFromArgv(['convlab', 'notes.json'], '/tmp')).toBeNull();
  expect(labPathFromArgv(['a.convlab.json'], '/tmp')).toBeNull();
});
