'use strict';
// Writes the CommonJS copy of an ES module that imports nothing: its
// `export` keywords dropped and `module.exports` listing what they exported.
// Node's `require` (and older bundlers) cannot load the ES module itself, and
// the wrapper is written once.
//
//     node scripts/commonjs.js pkg/preflight.mjs pkg/preflight.cjs

const fs = require('node:fs');
const path = require('node:path');

const [source, target] = process.argv.slice(2);
const text = fs.readFileSync(source, 'utf8');
if (/^\s*import\s/m.test(text)) throw new Error(`${source} imports something; only self-contained modules are copied`);
const names = [];
const body = text.replace(/^export (class|function|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
  names.push(name);
  return `${kind} ${name}`;
});
if (/^export\s/m.test(body)) throw new Error(`${source} has an export this copy does not handle`);
const header = `'use strict';\n// Written by scripts/commonjs.js from ${path.basename(source)}: edit that file.\n\n`;
fs.writeFileSync(target, `${header}${body}\nmodule.exports = { ${names.join(', ')} };\n`);
