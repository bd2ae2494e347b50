# Shared by scripts/demo and scripts/test: install what is missing, build what is stale.
#
# Everything the project needs is installed here, unattended, so that a fresh
# machine works with the README's two commands; what is already installed at
# the right version is reused. Sourced, not run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
WASM_TARGET_DIR="$ROOT/target-wasm"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=""
# ensure_apt PACKAGE...: installs the Debian packages that are not installed yet.
ensure_apt() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq || die "apt-get update failed"
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# ensure_cargo_tool CRATE VERSION BINARY: cargo install, unless BINARY --version already says VERSION.
ensure_cargo_tool() {
  local crate="$1" version="$2" binary="$3"
  if command -v "$binary" >/dev/null 2>&1 && "$binary" --version 2>/dev/null | grep -qF "$version"; then
    return 0
  fi
  log "cargo install $crate $version"
  cargo install --quiet "$crate" --version "$version" || die "cargo install $crate $version failed"
}

ensure_rust() {
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs)"
}

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Picks the WASM route (TOOLCHAIN.md): rustup's wasm32 target where it is
# installed; else `rustup target add` it; else Debian's rustc-web with the
# standard library built from source. PREFLIGHT_WASM_ROUTE=rustup|debian (or
# the first argument) forces one.
#
# The Debian route's compiler, RUSTC_BOOTSTRAP and linker live in WASM_ENV and
# reach only the commands run through wasm_cargo: exported, they would make
# every later `cargo test` build with Debian's rustc while rustdoc stays
# rustup's, and the doctests fail with E0514.
WASM_BUILD_ARGS=()
WASM_ENV=()
WASM_ROUTE=""
prepare_wasm_toolchain() {
  ensure_cargo_tool wasm-bindgen-cli "$(wasm_bindgen_version)" wasm-bindgen
  local route="${1:-${PREFLIGHT_WASM_ROUTE:-auto}}"
  if [ "$route" = auto ]; then
    route=debian
    if rustup_has_wasm_target; then
      route=rustup
    elif command -v rustup >/dev/null 2>&1; then
      log "rustup target add wasm32-unknown-unknown"
      if rustup target add wasm32-unknown-unknown >&2 && rustup_has_wasm_target; then
        route=rustup
      else
        log "rustup could not add the target: falling back to Debian's rustc-web"
      fi
    fi
  fi
  WASM_ROUTE="$route"
  case "$route" in
    rustup)
      rustup_has_wasm_target || die "PREFLIGHT_WASM_ROUTE=rustup, but rustup has no wasm32-unknown-unknown target"
      log "WASM route: rustup's wasm32-unknown-unknown target"
      WASM_ENV=()
      WASM_BUILD_ARGS=()
      ;;
    debian)
      log "WASM route: Debian rustc-web with -Zbuild-std"
      ensure_apt rustc-web cargo-web rust-web-src lld-22
      WASM_ENV=(RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22)
      WASM_BUILD_ARGS=(-Zbuild-std=std,panic_abort)
      ;;
    *) die "PREFLIGHT_WASM_ROUTE must be auto, rustup or debian, not $route" ;;
  esac
}

rustup_has_wasm_target() {
  command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

# wasm_cargo TARGET_DIR ARGS...: cargo for wasm32 with the chosen route's
# environment, in the route's own target dir (the two compilers must never
# share artifacts).
wasm_cargo() {
  local target_dir="$1"
  shift
  env "${WASM_ENV[@]}" CARGO_TARGET_DIR="$target_dir" cargo "$@" --target wasm32-unknown-unknown "${WASM_BUILD_ARGS[@]}"
}

# build_wasm_module: compiles the core for wasm32 by the chosen route, twice:
# without its default features `relay`, `policy-rules` and `regexes` (the module every
# policy loads first: see src/left_out.rs) and whole (loaded only for a
# policy that needs it), each in its own target dir so that neither rebuild
# undoes the other. Sets
# WASM_MODULE and WASM_FULL_MODULE to their paths.
WASM_MODULE=""
WASM_FULL_MODULE=""
build_wasm_module() {
  local core_dir="$WASM_TARGET_DIR/$WASM_ROUTE-core" full_dir="$WASM_TARGET_DIR/$WASM_ROUTE"
  # Cargo ignores RUSTFLAGS when CARGO_ENCODED_RUSTFLAGS is set, which would
  # drop the inlining threshold below without a word.
  [ -z "${CARGO_ENCODED_RUSTFLAGS:-}" ] || die "unset CARGO_ENCODED_RUSTFLAGS: the WASM build sets RUSTFLAGS"
  log "cargo build (wasm32, $WASM_ROUTE route, without Relay's rules, the rule sections and regexes)"
  # The first module is built with LLVM's inlining threshold at 50 (225 at
  # -O3): 9.5 KB gzipped less, at no measured cost in speed (README, the
  # module's size); the whole core keeps the default.
  RUSTFLAGS="${RUSTFLAGS:-} -Cllvm-args=-inline-threshold=50" \
    wasm_cargo "$core_dir" build --quiet --release --lib --no-default-features --manifest-path "$ROOT/Cargo.toml" \
    || die "the wasm32 build (without Relay's rules, the rule sections and regexes) failed"
  log "cargo build (wasm32, $WASM_ROUTE route, the whole core)"
  wasm_cargo "$full_dir" build --quiet --release --lib --manifest-path "$ROOT/Cargo.toml" \
    || die "the wasm32 build (the whole core) failed"
  WASM_MODULE="$core_dir/wasm32-unknown-unknown/release/sentry_preflight.wasm"
  WASM_FULL_MODULE="$full_dir/wasm32-unknown-unknown/release/sentry_preflight.wasm"
}

# bind_wasm PACKAGE_DIR: each module, two kinds of glue under PACKAGE_DIR/wasm:
# `nodejs` (CommonJS, loads the module synchronously) and `web` (ES module,
# for browsers and bundlers); `preflight_wasm` is the core without Relay's
# rules and the rule sections, `preflight_full` the whole core. wasm-bindgen is run directly,
# not through wasm-pack, for the flags wasm-pack does not pass: no name
# section (a fifth of the module), and a function that resets the instance
# after a trap.
bind_wasm() {
  local package_dir="$1" glue name module
  for glue in nodejs web; do
    log "wasm-bindgen --target $glue into ${package_dir#"$ROOT/"}/wasm/$glue"
    rm -rf "$package_dir/wasm/$glue"
    for name in preflight_wasm preflight_full; do
      module="$WASM_MODULE"
      [ "$name" = preflight_full ] && module="$WASM_FULL_MODULE"
      wasm-bindgen --target "$glue" --out-dir "$package_dir/wasm/$glue" --out-name "$name" \
        --remove-name-section --remove-producers-section --experimental-reset-state-function \
        "$module" || die "wasm-bindgen --target $glue ($name) failed"
    done
  done
  optimise_wasm "$package_dir"
}

# binaryen's wasm-opt, from npm (a pinned version, in target-wasm/ beside the
# builds): WASM_OPT is its path.
BINARYEN_VERSION=132.0.0
WASM_OPT=""
ensure_wasm_opt() {
  local prefix="$WASM_TARGET_DIR/binaryen-$BINARYEN_VERSION"
  WASM_OPT="$prefix/node_modules/.bin/wasm-opt"
  wasm_opt_works && return 0
  ensure_node
  log "npm install binaryen@$BINARYEN_VERSION (wasm-opt)"
  rm -rf "$prefix"
  npm install --silent --no-audit --no-fund --no-save --ignore-scripts --prefix "$prefix" "binaryen@$BINARYEN_VERSION" \
    || die "npm install binaryen@$BINARYEN_VERSION failed"
  wasm_opt_works || die "binaryen@$BINARYEN_VERSION gave no working wasm-opt at $WASM_OPT"
}

# Whether WASM_OPT runs and is the pinned version (not an install cut short).
wasm_opt_works() {
  [ -x "$WASM_OPT" ] && "$WASM_OPT" --version 2>/dev/null | grep -qF "version_${BINARYEN_VERSION%%.*}"
}

# optimise_wasm PACKAGE_DIR: wasm-opt -O3 over each module after
# wasm-bindgen (which must see the sections wasm-opt drops): 2.9 KB gzipped
# less on the first module, speed unchanged. The features are read from the
# module's own target_features section. Both kinds of glue load the same
# module, so it is optimised once and copied.
optimise_wasm() {
  local package_dir="$1" name web nodejs
  ensure_wasm_opt
  for name in preflight_wasm preflight_full; do
    web="$package_dir/wasm/web/${name}_bg.wasm"
    nodejs="$package_dir/wasm/nodejs/${name}_bg.wasm"
    cmp -s "$web" "$nodejs" || die "wasm-bindgen wrote two different $name modules for web and nodejs"
    log "wasm-opt -O3 ${web#"$ROOT/"}"
    "$WASM_OPT" -O3 "$web" -o "$web" || die "wasm-opt -O3 $name failed"
    cp "$web" "$nodejs"
  done
}

# The npm package in pkg/: the module by the chosen route, its glue, then the
# CommonJS copy of the wrapper.
build_wasm() {
  prepare_wasm_toolchain "$@"
  build_wasm_module
  bind_wasm "$ROOT/pkg"
  ensure_node
  node "$ROOT/scripts/commonjs.js" "$ROOT/pkg/preflight.mjs" "$ROOT/pkg/preflight.cjs" \
    || die "writing pkg/preflight.cjs failed"
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "python venv in .venv"
    python3 -m venv "$VENV" 2>/dev/null || { ensure_apt python3-venv; python3 -m venv "$VENV"; } \
      || die "cannot create a Python venv"
  fi
  local requirements="$ROOT/python-bindings/requirements-dev.txt"
  local stamp="$VENV/.requirements-installed"
  if ! cmp -s "$requirements" "$stamp"; then
    log "pip install -r python-bindings/requirements-dev.txt"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" || die "pip install failed"
    cp "$requirements" "$stamp"
  fi
}

build_python() {
  ensure_venv
  log "maturin build (abi3 wheel) and install into .venv"
  rm -rf "$ROOT/target/wheels"
  "$VENV/bin/maturin" build --quiet --release -m "$ROOT/python-bindings/Cargo.toml" -o "$ROOT/target/wheels" \
    || die "maturin build failed"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$ROOT"/target/wheels/*.whl \
    || die "installing the wheel failed"
}

ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || ensure_apt nodejs npm
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 18 ] || die "Node.js 18 or newer is needed, found $(node --version)"
}

install_js_tests() {
  ensure_node
  # The browser test drives Debian's Chromium (never a tool's own download).
  ensure_apt chromium
  local stamp="$ROOT/js-tests/node_modules/.package-lock-installed"
  if ! cmp -s "$ROOT/js-tests/package-lock.json" "$stamp"; then
    log "npm ci in js-tests"
    (cd "$ROOT/js-tests" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
    cp "$ROOT/js-tests/package-lock.json" "$stamp"
  fi
}

build_cli() {
  log "cargo build --release (the preflight CLI)"
  cargo build --quiet --release -p preflight-cli --manifest-path "$ROOT/Cargo.toml" || die "cargo build failed"
}

build_everything() {
  ensure_rust
  build_cli
  build_wasm
  build_python
  install_js_tests
}

# cargo-fuzz needs a nightly toolchain (libFuzzer's instrumentation flags).
ensure_nightly() {
  command -v rustup >/dev/null 2>&1 || die "rustup not found: fuzzing needs a nightly toolchain"
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    log "rustup toolchain install nightly"
    rustup toolchain install nightly --profile minimal || die "installing the nightly toolchain failed"
  fi
}
