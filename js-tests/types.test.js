'use strict';
// The TypeScript declarations compile against @sentry/node's option types.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

test('pkg/index.d.ts fits Sentry.init', () => {
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types')], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('a wrong use of the declarations is a type error', () => {
  const probe = path.join(__dirname, 'types', 'misuse.ts');
  const result = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', probe],
    { encoding: 'utf8' },
  );
  assert.notEqual(result.status, 0);
  assert.match(result.stdout, /misuse\.ts\(6,.*error TS2345: Argument of type '42' is not assignable/);
  assert.match(result.stdout, /misuse\.ts\(7,.*error TS2561: Object literal may only specify known properties, but 'deny_key' does not exist/);
});
