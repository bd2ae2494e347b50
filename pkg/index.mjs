// Node, ES modules: the same objects as the CommonJS entry (one module
// instance, one PolicyError class whichever way the package is loaded).
export { Preflight, PolicyError, preflightIntegration } from './index.js';
