'use strict';
// The shared vectors through the npm package: same output as Rust and Python.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Preflight, PolicyError } = require('./helpers/package.js');

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
        () => new Preflight(vector.policy, { sdkSendDefaultPii: sdkPii(vector) }),
        (error) => {
          assert.ok(error instanceof PolicyError);
          assert.equal(error.path, vector.error.path);
          assert.equal(error.reason, vector.error.reason);
          return true;
        },
      );
      return;
    }
    const clock = { now: undefined };
    const pf = new Preflight(vector.policy, { clock: () => clock.now, sdkSendDefaultPii: sdkPii(vector) });
    if (vector.kind === 'sampling') {
      assert.deepStrictEqual(decide(pf, vector.input, clock), vector.expected);
      return;
    }
    if (vector.kind === 'sequence') {
      assert.deepStrictEqual(processInOrder(pf, vector.input, clock), vector.expected);
      return;
    }
    const hooks = {
      breadcrumb: pf.beforeBreadcrumb,
      span: pf.beforeSendSpan,
      log: pf.beforeSendLog,
      metric: pf.beforeSendMetric,
      'security-report': pf.beforeSend,
    };
    const hook = hooks[vector.kind] || pf.beforeSend;
    assert.deepStrictEqual(hook(structuredClone(vector.input), {}), vector.expected);
  });
}

/** What the vector says the SDK's options say of personal data, as an integration reads it. */
function sdkPii(vector) {
  return vector.sdk ? vector.sdk.send_default_pii : undefined;
}

function generatedTraceId(index) {
  const id = (BigInt(index) * 0x9e3779b97f4a7c15f39cc0605cedc835n) % (1n << 128n);
  return id.toString(16).padStart(32, '0');
}

/** Each event as sent, or null when dropped, processed in order at its time. */
function processInOrder(pf, input, clock) {
  return input.steps.map((step) => {
    clock.now = step.now;
    return pf.beforeSend(structuredClone(step.event), {});
  });
}

/** Decisions for the listed contexts, and a digest of thousands more. */
function decide(pf, input, clock) {
  const decisions = input.contexts.map((context) => {
    clock.now = context.now;
    return pf.decideTrace(context);
  });
  const generated = input.generated.map((batch) => {
    clock.now = batch.template.now;
    let kept = 0;
    let keptIndexSum = 0;
    let randSum = 0;
    for (let index = 0; index < batch.count; index += 1) {
      const decision = pf.decideTrace({ ...batch.template, trace_id: generatedTraceId(index) });
      if (decision.sampled) {
        kept += 1;
        keptIndexSum += index;
      }
      randSum += decision.sample_rand;
    }
    return { kept, kept_index_sum: keptIndexSum, rand_sum: randSum };
  });
  return { decisions, generated };
}
