'use strict';
// Real events give the same bytes from the npm package as from the Rust CLI:
// both serialise with serde_json, so the output must be identical, not just equal.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { execFileSync } = require('node:child_process');
const { Preflight } = require('sentry-preflight');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'target', 'release', 'preflight');

const policies = {
  defaults: {},
  'Relay legacy settings and a Relay PII config': {
    scrub: {
      datascrubbing: { scrubData: true, scrubDefaults: true, scrubIpAddresses: true, sensitiveFields: ['card_token'] },
      relay: { applications: { '$frame.vars.**': ['@anything:hash'], '$http.headers.*': ['@email:mask'] } },
    },
  },
};

for (const [name, policy] of Object.entries(policies)) {
  for (const sample of ['samples/sentry-python-events.jsonl', 'samples/sentry-python-large-events.jsonl']) {
    test(`${sample}, ${name}: the npm package matches the Rust CLI byte for byte`, () => {
      assert.ok(fs.existsSync(cli), 'scripts/test builds the CLI first');
      const file = path.join(root, sample);
      const policyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-')), 'policy.json');
      fs.writeFileSync(policyFile, JSON.stringify(policy));
      const rust = execFileSync(cli, ['process', '--policy', policyFile, file], { encoding: 'utf8' }).trimEnd().split('\n');
      const pf = new Preflight(policy);
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      assert.equal(lines.length, rust.length);
      lines.forEach((line, index) => {
        const event = JSON.parse(line);
        const hook = event.type === 'transaction' ? pf.beforeSendTransaction : pf.beforeSend;
        assert.equal(JSON.stringify(hook(event)), rust[index], `event ${index}`);
      });
    });
  }
}
