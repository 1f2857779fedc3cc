import { expect, test } from 'vitest';
import { parseHostArgs } from './host-args';

test('the browser host takes --port and --data-dir and names what it refuses', () => {
  expect(parseHostArgs([])).toEqual({ port: 0 });
  expect(parseHostArgs(['--port', '5173', '--data-dir', '/tmp/x'])).toEqual({ port: 5173, dataDir: '/tmp/x' });
  expect(() => parseHostArgs(['--port', 'abc'])).toThrow(/--port takes a whole number/);
  expect(() => parseHostArgs(['--port', '70000'])).toThrow(/0 to 65535/);
  expect(() => parseHostArgs(['--verbose'])).toThrow(/unknown option "--verbose"/);
});
