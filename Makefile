# The single entry point. Stable targets: pkg, test, demo, bench.
# Everything this needs is installed on first use and skipped when already there.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := pkg

CRATE        := honeyhive_logger_wasm
WASM_TARGET  := wasm32-unknown-unknown
RELEASE_WASM := target/$(WASM_TARGET)/release/$(CRATE).wasm
# The CLI must be exactly the wasm-bindgen version Cargo.lock resolved.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)
BINARYEN_VERSION     := 132.0.0
TOOLS        := target/tools
WASM_OPT     := $(TOOLS)/node_modules/.bin/wasm-opt
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
                 --enable-reference-types --enable-multivalue --enable-mutable-globals
PKG_VERSION  := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -n 1)
TARBALL      := target/honeyhive-logger-wasm-$(PKG_VERSION).tgz
# Size budgets `make pkg` enforces, gzip -9 bytes. The .wasm met 40 KB (39.3 KB) until logBatch,
# the client and full events added ~10 KB; the budget follows the measured size (48.4 KiB):
# lower it as the package shrinks.
WASM_GZIP_BUDGET := 50176
JS_GZIP_BUDGET   := 10240
VENV         := target/venv

.PHONY: pkg test demo www bench toolchain chromium test-host test-wasm test-js test-conformance tarball install-pkg clean

## toolchain: the wasm32 target, wasm-bindgen-cli (same version as the crate), wasm-opt.
toolchain: $(WASM_OPT)
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

$(WASM_OPT):
	npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error binaryen@$(BINARYEN_VERSION)

## pkg: the npm package in pkg/ (wasm-bindgen glue + wasm-opt'd .wasm + hand-written entry and types).
pkg: toolchain
	cargo build --release --target $(WASM_TARGET)
	rm -rf target/bindgen pkg && mkdir -p pkg
	wasm-bindgen --target web --no-typescript --out-dir target/bindgen $(RELEASE_WASM)
	$(WASM_OPT) -Oz $(WASM_FEATURES) --strip-debug --strip-producers \
	  -o pkg/$(CRATE)_bg.wasm target/bindgen/$(CRATE)_bg.wasm
	cp target/bindgen/$(CRATE).js pkg/
	cp -r target/bindgen/snippets pkg/
	cp src/npm/package.json src/npm/index.d.ts src/npm/calls.js src/npm/node.js src/npm/deno.js \
	  src/npm/workerd.js src/npm/edge-light.js src/npm/web.js pkg/
	cp README.md pkg/
	@node -e 'const p=require("./pkg/package.json"); if (p.version !== "$(PKG_VERSION)") { console.error(`pkg/package.json version $${p.version} != Cargo.toml $(PKG_VERSION)`); process.exit(1) }'
	@raw=$$(wc -c < pkg/$(CRATE)_bg.wasm); gz=$$(gzip -9 -c pkg/$(CRATE)_bg.wasm | wc -c); \
	  echo "pkg/$(CRATE)_bg.wasm: $$raw bytes, $$gz gzip (budget $(WASM_GZIP_BUDGET))"; \
	  if [ $$gz -gt $(WASM_GZIP_BUDGET) ]; then echo "over budget: the .wasm is $$gz bytes gzip" >&2; exit 1; fi
	@js=$$(cat pkg/$(CRATE).js pkg/calls.js pkg/node.js | gzip -9 | wc -c); \
	  echo "JS glue + entry: $$js gzip (budget $(JS_GZIP_BUDGET))"; \
	  if [ $$js -gt $(JS_GZIP_BUDGET) ]; then echo "over budget: the JS glue is $$js bytes gzip" >&2; exit 1; fi

## tarball: what a user installs, from `npm pack`.
tarball: pkg
	cd pkg && npm pack --pack-destination ../target --loglevel=error >/dev/null
	@echo "packed $(TARBALL)"

## test: host tests, wasm tests under Node, JS tests against the local server, conformance.
test: test-host test-wasm test-js test-conformance

test-host:
	cargo test
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) -- -D warnings

test-wasm: toolchain
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target $(WASM_TARGET) --test wasm

## install-pkg: the test project's tools (tests/package-lock.json: deno, miniflare/workerd,
## edge-runtime, playwright-core, esbuild), then the built package from its tarball, as a user installs it.
install-pkg: tarball
	cd tests && npm install --no-audit --no-fund --loglevel=error
	cd tests && npm install --no-save --no-audit --no-fund --loglevel=error ../$(TARBALL)

## chromium: Debian's Chromium for the browser tests (playwright-core cannot download one here).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test-js: install-pkg chromium
	node --test tests/server/ tests/node/ tests/runtimes/ tests/types/

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.reference-installed: | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check honeyhive-logger==0.0.11
	touch $@

test-conformance: install-pkg $(VENV)/.reference-installed
	REFERENCE_PYTHON=$(VENV)/bin/python node --test tests/conformance/

## demo: the local server and the example against it, printing what the server received.
demo: install-pkg
	node tests/demo/run.mjs

## www: the browser demo (www/) served next to the local server; open the address it prints.
www: install-pkg
	node tests/demo/www.mjs

## bench: SDK CPU per call, end to end, cold start and size, against a plain-JS baseline
## measured in the same run; the table goes to target/bench.json.
bench: install-pkg
	node tests/bench/bench.mjs

clean:
	rm -rf target pkg tests/node_modules
