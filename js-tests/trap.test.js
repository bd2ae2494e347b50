'use strict';
// A trap inside the module (with panic = "abort", what a panic becomes; here
// forced by handing the real module a pointer outside its memory) loses the
// instance. The hook that met it follows on_error, the instance is reset,
// and every Preflight loads its policy again and carries on.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
// The package's own glue module (the same instance: the package is ../pkg).
const glue = require(path.join(__dirname, '..', 'pkg', 'wasm', 'nodejs', 'preflight_wasm.js'));
const { Preflight } = require('sentry-preflight');

const EVENT = { message: 'card 4111 1111 1111 1111' };
const OUTSIDE_MEMORY = 0xfffffff0;

/** Makes the module's next processEvent trap, for real, inside the wrapper's call. */
function trapOnce() {
  const processEvent = glue.WasmPreflight.prototype.processEvent;
  glue.WasmPreflight.prototype.processEvent = function trapping(...args) {
    glue.WasmPreflight.prototype.processEvent = processEvent;
    return processEvent.apply({ __wbg_ptr: OUTSIDE_MEMORY }, args);
  };
}

test('a trap drops the event (on_error drop), then the reset instance serves every policy', () => {
  const dropping = new Preflight();
  const passing = new Preflight({ on_error: 'pass' });
  const loadedBefore = new glue.WasmPreflight('{}');
  assert.throws(() => glue.WasmPreflight.prototype.processEvent.call({ __wbg_ptr: OUTSIDE_MEMORY }, '{}'), WebAssembly.RuntimeError);

  trapOnce();
  assert.equal(dropping.beforeSend({ ...EVENT }), null);
  assert.throws(() => loadedBefore.dropsOnError(), /stale object from previous Wasm instance/, 'the instance was replaced');
  assert.equal(dropping.beforeSend({ ...EVENT }).message, 'card [Filtered]');
  assert.equal(passing.beforeSend({ ...EVENT }).message, 'card [Filtered]');
  assert.equal(passing.tracesSampler({ name: '/x' }), 1);

  trapOnce();
  const event = { ...EVENT };
  assert.equal(passing.beforeSend(event), event, 'on_error pass sends the event as it was');
  assert.equal(dropping.beforeSend({ ...EVENT }).message, 'card [Filtered]');
});

test('a trap while a policy loads resets the instance as well, and the policies made before load theirs again', () => {
  const { PolicyError } = require('sentry-preflight');
  const made = new Preflight();
  const loadedBefore = new glue.WasmPreflight('{}');
  const WasmPreflight = glue.WasmPreflight;
  glue.WasmPreflight = function trapping() {
    glue.WasmPreflight = WasmPreflight;
    return WasmPreflight.prototype.processEvent.call({ __wbg_ptr: OUTSIDE_MEMORY }, 0);
  };
  assert.throws(() => new Preflight({}), PolicyError);
  assert.equal(glue.WasmPreflight, WasmPreflight, 'the trap was met');
  assert.throws(() => loadedBefore.dropsOnError(), /stale object from previous Wasm instance/, 'the instance was replaced');
  assert.equal(made.beforeSend({ ...EVENT }).message, 'card [Filtered]');
  assert.equal(new Preflight().beforeSend({ ...EVENT }).message, 'card [Filtered]');
});

test("a span the core cannot process loses exactly the members the core's strip_span empties", () => {
  const members = glue.spanUserData().split(',');
  assert.deepEqual(members, require(path.join(__dirname, '..', 'pkg', 'preflight.cjs')).SPAN_USER_DATA);
  const span = {
    span_id: 'a1b2c3d4e5f60718',
    trace_id: '67e5504410b1426f9247bb680e5fe0c8',
    name: 'POST /login',
    attributes: { 'user.email': { type: 'string', value: 'ann@example.com' } },
    data: { password: 'hunter2' },
  };
  const processSpan = glue.WasmPreflight.prototype.processSpan;
  glue.WasmPreflight.prototype.processSpan = function trapping(...args) {
    glue.WasmPreflight.prototype.processSpan = processSpan;
    return processSpan.apply({ __wbg_ptr: OUTSIDE_MEMORY }, args);
  };
  const stripped = new Preflight().beforeSendSpan(structuredClone(span));
  for (const [member, value] of Object.entries(span)) {
    assert.deepEqual(stripped[member], members.includes(member) ? {} : value, member);
  }
});
