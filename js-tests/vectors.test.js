'use strict';
// The shared vectors through the npm package: same output as Rust and Python.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Preflight, PolicyError } = require('sentry-preflight');

const directory = path.join(__dirname, '..', 'tests', 'vectors');
const vectors = fs
  .readdirSync(directory)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'))]);

test('the shared vectors are there', () => {
  assert.ok(vectors.length >= 20, `found ${vectors.length}`);
});

for (const [file, vector] of vectors) {
  test(file, () => {
    if (vector.error) {
      assert.throws(
        () => new Preflight(vector.policy),
        (error) => {
          assert.ok(error instanceof PolicyError);
          assert.equal(error.path, vector.error.path);
          assert.equal(error.reason, vector.error.reason);
          return true;
        },
      );
      return;
    }
    const pf = new Preflight(vector.policy);
    const hooks = { breadcrumb: pf.beforeBreadcrumb, span: pf.beforeSendSpan };
    const hook = hooks[vector.kind] || pf.beforeSend;
    assert.deepStrictEqual(hook(structuredClone(vector.input), {}), vector.expected);
  });
}
