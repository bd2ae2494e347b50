'use strict';
// The package under test: sentry-preflight as js-tests installs it (pkg/), or
// the package directory named by PREFLIGHT_PACKAGE. scripts/test-wasm-route
// uses the second to run these suites against a module built by another
// toolchain route without touching pkg/.

const path = require('node:path');

const directory = process.env.PREFLIGHT_PACKAGE;
module.exports = directory ? require(path.resolve(directory)) : require('sentry-preflight');
