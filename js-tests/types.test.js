'use strict';
// The TypeScript declarations compile against @sentry/node's option types.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

test('pkg/index.d.ts fits Sentry.init', () => {
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types')], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('pkg/web.d.ts declares the browser entry, the integration with its module option included', () => {
  const probe = path.join(__dirname, 'types', 'web-usage.ts');
  const result = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--lib', 'es2022,dom', probe],
    { encoding: 'utf8' },
  );
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
  // Each line of misuse.ts from the seventh on is wrong, and each is caught on its own line.
  const wrongLines = [7, 8, 9, 10, 12, 13, 14];
  for (const line of wrongLines) assert.match(result.stdout, new RegExp(`misuse\\.ts\\(${line},`), `line ${line} type-checked:\n${result.stdout}`);
  assert.match(result.stdout, /misuse\.ts\(7,.*error TS2345: Argument of type '42' is not assignable/);
  assert.match(result.stdout, /misuse\.ts\(8,.*error TS2561: Object literal may only specify known properties, but 'deny_key' does not exist/);
  assert.match(result.stdout, /misuse\.ts\(9,.*'"@emial"' is not assignable/);
  const lines = new Set([...result.stdout.matchAll(/misuse\.ts\((\d+),/g)].map((match) => Number(match[1])));
  assert.deepEqual([...lines].sort((a, b) => a - b), wrongLines, 'only the wrong lines are errors');
});

test('the family names the types accept are the core\'s', () => {
  const declared = fs.readFileSync(path.join(__dirname, '..', 'pkg', 'policy.d.ts'), 'utf8');
  const union = declared.match(/export type FamilyName =([^;]*);/)[1];
  const names = [...union.matchAll(/'([^']+)'/g)].map((match) => match[1]).sort();
  const vectors = fs
    .readdirSync(path.join(__dirname, '..', 'tests', 'vectors'))
    .filter((file) => file.startsWith('family-'))
    .map((file) => file.slice('family-'.length, -'.json'.length))
    .sort();
  assert.deepEqual(names, vectors);
});
