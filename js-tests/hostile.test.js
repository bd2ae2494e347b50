'use strict';
// Hostile events in Node: each ends as a processed event or a drop per
// on_error, never an exception into the SDK (issue: reliability).

const test = require('node:test');
const assert = require('node:assert/strict');
const { Preflight } = require('./helpers/package.js');

const CARD = '4111 1111 1111 1111';

function nested(depth) {
  const root = {};
  let node = root;
  for (let level = 0; level < depth; level += 1) {
    node.a = {};
    node = node.a;
  }
  return root;
}

test('a lone surrogate (a cut emoji) is read as U+FFFD and the event is still scrubbed', () => {
  const out = new Preflight().beforeSend({ message: `cut \ud83d emoji, card ${CARD}`, extra: { text: 'a\udc00b' } });
  assert.equal(out.message, 'cut \ufffd emoji, card [Filtered]');
  assert.equal(out.extra.text, 'a\ufffdb');
});

/** How many levels of `a` the processed value still has. */
function levels(value) {
  let count = 0;
  for (let node = value; node !== null && typeof node === 'object' && 'a' in node; node = node.a) count += 1;
  return count;
}

test('nesting far deeper than JSON.stringify can write is cut at the depth limit, as in Rust and Python', () => {
  const out = new Preflight().beforeSend({ message: `card ${CARD}`, extra: { deep: nested(100000), note: 'kept' } });
  assert.equal(out.message, 'card [Filtered]');
  assert.equal(out.extra.note, 'kept');
  assert.ok(levels(out.extra.deep) < 64, `cut at ${levels(out.extra.deep)} levels`);
  assert.match(JSON.stringify(out._meta.extra.deep), /"!limit","x"/);
});

test('nesting deeper than the core parser reads (128) is cut the same way, and the limit is the policy\'s', () => {
  const shallow = new Preflight({ limits: { max_depth: 10 } });
  const out = shallow.beforeSend({ message: 'm', extra: { deep: nested(300) } });
  assert.equal(levels(out.extra.deep), 8, 'extra.deep is at depth 2; the container at depth 10 is removed');
  const deepest = new Preflight({ limits: { max_depth: 256 } });
  const kept = deepest.beforeSend({ message: 'm', extra: { deep: nested(200) } });
  assert.equal(levels(kept.extra.deep), 200, 'within a limit of 256, 200 levels are all kept');
});

test('a 10 MB string and a million-element array are scrubbed', () => {
  const pf = new Preflight();
  const blob = `${'lorem ipsum '.repeat(84)}card ${CARD}; `.repeat(10000);
  const out = pf.beforeSend({ message: 'x', extra: { blob } });
  assert.ok(blob.length > 10000000 && out.extra.blob.length > 10000000);
  assert.ok(!out.extra.blob.includes(CARD));
  const items = Array.from({ length: 1000000 }, (_, index) => (index % 10000 === 0 ? 'jane@example.com' : 'item'));
  const scrubbed = pf.beforeSend({ message: 'x', extra: { items } }).extra.items;
  assert.equal(scrubbed.length, 1000000);
  assert.equal(scrubbed.filter((item) => item === '[Filtered]').length, 100);
});

test('NaN and Infinity leave as null, as JSON has them', () => {
  // Nothing to scrub: the event comes back as it was given, and the SDK's own
  // JSON.stringify sends what the core read.
  const event = { message: 'x', extra: { nan: NaN, infinity: -Infinity } };
  const out = new Preflight().beforeSend(event);
  assert.equal(out, event);
  assert.deepEqual(JSON.parse(JSON.stringify(out)).extra, { nan: null, infinity: null });
  // Something to scrub: only the changed member is new; what JSON cannot hold
  // is left as it was, and is sent as the core read it.
  const scrubbed = new Preflight().beforeSend({ message: 'x', extra: { nan: NaN, password: 'hunter2' } });
  assert.deepEqual(scrubbed.extra, { nan: NaN, password: '[Filtered]' });
  assert.deepEqual(JSON.parse(JSON.stringify(scrubbed)).extra, { nan: null, password: '[Filtered]' });
});

test('an event with nothing to change comes back as the object given, one with something as a new one', () => {
  const pf = new Preflight();
  const context = { order: 'ORD-1' };
  const clean = { message: 'checkout failed', contexts: { order: context } };
  assert.equal(pf.beforeSend(clean), clean);
  const dirty = { message: 'checkout failed for ada@example.com', contexts: { order: context } };
  const out = pf.beforeSend(dirty);
  assert.notEqual(out, dirty);
  assert.equal(dirty.message, 'checkout failed for ada@example.com', 'the object the application holds is untouched');
  assert.equal(out.message, 'checkout failed for [Filtered]');
});
