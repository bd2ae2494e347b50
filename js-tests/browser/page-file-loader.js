// A page bundled the way the README says for esbuild: the module's URL comes
// from `import wasmUrl from 'sentry-preflight/preflight.wasm'` with the `file`
// loader (esbuild copies it, hashed, beside the bundle), and is given to init().
import { init, Preflight } from 'sentry-preflight';
import wasmUrl from 'sentry-preflight/preflight.wasm';

init(new URL(wasmUrl, import.meta.url))
  .then(() => {
    window.scrubbed = new Preflight().beforeSend({ message: 'card 4111 1111 1111 1111 of jane.doe@example.com' }).message;
  })
  .catch((error) => {
    window.scrubbed = `${error && error.name}: ${error && error.message}`;
  });
