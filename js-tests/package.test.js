'use strict';
// The package as users get it: `npm pack` of pkg/, installed from the
// tarball into a separate project, then used from CommonJS, from an ES
// module, through the web build (given the module's bytes, as a page would
// fetch them) and from TypeScript.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const PKG = path.join(__dirname, '..', 'pkg');
const TSC = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const EVENT = { message: 'card 4111 1111 1111 1111', user: { email: 'jane@example.com' } };

function run(command, args, cwd, input) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

test('the packed tarball installs into another project and works from CJS, ESM, the web build and TypeScript', (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-pack-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], PKG));
  const files = packed.files.map((file) => file.path).sort();
  for (const needed of ['index.js', 'index.mjs', 'web.js', 'policy.d.ts', 'preflight.cjs', 'wasm/nodejs/preflight_wasm_bg.wasm', 'wasm/web/preflight_wasm_bg.wasm', 'wasm/nodejs/preflight_full.js', 'wasm/web/preflight_full_bg.wasm']) {
    assert.ok(files.includes(needed), `${needed} is in the tarball`);
  }

  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(work, packed.filename)], app);

  const fromRequire = run(process.execPath, ['-e', `
    const { Preflight, PolicyError } = require('sentry-preflight');
    const out = new Preflight().beforeSend(${JSON.stringify(EVENT)}, {});
    let rejected = false;
    try { new Preflight({ scrub: { nope: 1 } }); } catch (error) { rejected = error instanceof PolicyError && error.path === 'scrub.nope'; }
    console.log(JSON.stringify({ message: out.message, email: out.user.email, rejected }));
  `], app);
  assert.deepEqual(JSON.parse(fromRequire), { message: 'card [Filtered]', email: '[Filtered]', rejected: true });

  const fromImport = run(process.execPath, ['--input-type=module', '-e', `
    import { Preflight } from 'sentry-preflight';
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('sentry-preflight');
    console.log(JSON.stringify({ same: Preflight === cjs.Preflight, message: new Preflight().beforeSend(${JSON.stringify(EVENT)}).message }));
  `], app);
  assert.deepEqual(JSON.parse(fromImport), { same: true, message: 'card [Filtered]' });

  const fromWeb = run(process.execPath, ['--input-type=module', '-e', `
    import { init, Preflight } from 'sentry-preflight/web';
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    let early;
    try { new Preflight(); } catch (error) { early = error.message; }
    await init(readFileSync(createRequire(import.meta.url).resolve('sentry-preflight/preflight.wasm')));
    console.log(JSON.stringify({ early, message: new Preflight().beforeSend(${JSON.stringify(EVENT)}).message }));
  `], app);
  const web = JSON.parse(fromWeb);
  assert.match(web.early, /call `await init\(\)`/);
  assert.equal(web.message, 'card [Filtered]');

  fs.writeFileSync(path.join(app, 'main.ts'), `
    import { Preflight, type Policy } from 'sentry-preflight';
    import { init, Preflight as WebPreflight } from 'sentry-preflight/web';
    const policy: Policy = { scrub: { deny_keys: ['ssn'] }, on_error: 'pass' };
    const event: { message: string } | null = new Preflight(policy).beforeSend({ message: 'x' });
    void init().then(() => new WebPreflight(policy).tracesSampler({ name: '/x' }));
    console.log(event);
  `);
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [] },
    files: ['main.ts'],
  }));
  run(process.execPath, [TSC, '-p', app], app);
});
