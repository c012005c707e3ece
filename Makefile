# The single entry point. Stable targets: pkg, test, demo, bench, www, server.
# Everything this needs is installed on first use and skipped when already there; a missing
# prerequisite stops with one line saying what to install. Targets rebuild only what changed.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := pkg

CRATE        := honeyhive_logger_wasm
# The build's settings, from wasm-pack.toml: `$(call setting,key)` is the value of the one-line
# `key = …` there, without quotes or a trailing comment; an array's items come out separated by
# spaces. A key that is missing stops make (an empty budget would pass every check).
setting = $(or $(strip $(shell sed -n 's/^$(1) *= *\([^#]*\).*/\1/p' wasm-pack.toml | tr -d '[]",')),$(error wasm-pack.toml has no one-line setting `$(1) = …`))
WASM_TARGET    := $(call setting,target)
BINDGEN_TARGET := $(call setting,bindgen-target)
BINARYEN_VERSION := $(call setting,binaryen)
ESBUILD_VERSION  := $(call setting,esbuild)
WASM_OPT_PASSES  := $(call setting,passes)
WASM_FEATURES    := $(addprefix --enable-,$(call setting,features))
WASM_GZIP_BUDGET := $(call setting,wasm-gzip)
JS_GZIP_BUDGET   := $(call setting,js-gzip)
RELEASE_WASM := target/$(WASM_TARGET)/release/$(CRATE).wasm
# The CLI must be exactly the wasm-bindgen version Cargo.lock resolved.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)
TOOLS        := target/tools
TWIGGY_VERSION := 0.8.0
NAMED_WASM   := target/bench/$(CRATE)_named.wasm
NAMED_JS     := target/bench/named/node.js
WASM_OPT     := $(TOOLS)/node_modules/.bin/wasm-opt
ESBUILD      := $(TOOLS)/node_modules/.bin/esbuild
# One entry bundled into one file (wasm-pack.toml [js]). wasm-bindgen's glue imports its snippet
# twice: esbuild's duplicate-key warning says nothing.
ESBUILD_BUNDLE = $(ESBUILD) --bundle --platform=neutral --format=esm --external:'node:*' --external:'*.wasm' \
  --external:'*.wasm?module' --log-level=warning --log-override:duplicate-object-key=silent
# The package's entries, as src/npm/package.json's `exports` names them: one file each with all
# the JS its runtime loads (wasm-bindgen's glue, its host snippet, calls.js, tracing.js,
# ai-sdk.js, unloaded.js), bundled by esbuild. Each is held to the JS budget.
PKG_ENTRIES  := $(shell node -p 'Object.values(require("./src/npm/package.json").exports["."]).filter((f) => f.endsWith(".js")).map((f) => f.slice(2)).filter((f, i, all) => all.indexOf(f) === i).join(" ")' 2>/dev/null)
PKG_VERSION  := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -n 1)
TARBALL      := target/honeyhive-logger-wasm-$(PKG_VERSION).tgz
VENV         := target/venv
# The current platform's reference (HoneyHive's Python SDK), in a venv of its own.
PLATFORM_VENV := target/venv-platform
PLATFORM_SDK  := honeyhive==1.7.0
# The browser the Chromium tests drive: Debian's by default; set CHROMIUM=/path/to/chrome for another.
CHROMIUM     ?= /usr/bin/chromium
export CHROMIUM
# `make server`: the port and the one API key it accepts (empty: any key). `make www`: its page's port.
PORT         ?= 4483
API_KEY      ?=
WWW_PORT     ?= 8080

# What the package is built from, and the files that say it was built / installed.
PKG_SOURCES  := Cargo.toml Cargo.lock wasm-pack.toml $(shell find src -type f)
# Shipped as they are: a change repacks the package without rebuilding it.
PKG_DOCS     := pkg/README.md pkg/LICENSE
PKG_STAMP    := pkg/package.json
# The test project's tools (tests/package.json), then the package installed among them.
TEST_TOOLS   := tests/node_modules/.tools-installed
INSTALLED    := tests/node_modules/.honeyhive-installed

# The node:test flags of the JS suites: what a test prints stays with that test (in the log, and
# in `make test`'s summary when it fails); TEST_RESULTS, set by tests/support/suites.mjs, receives
# the counts and failures.
NODE_TEST    := node --import ./tests/support/per-test-output.mjs --test \
                --test-reporter=spec --test-reporter-destination=stdout \
                --test-reporter=./tests/support/results.mjs --test-reporter-destination=$${TEST_RESULTS:-/dev/null}

# $(call require,command,what to do when it is missing)
require = command -v $(1) >/dev/null 2>&1 || { echo "make: $(1) is missing: $(2)" >&2; exit 127; }
need_rust = $(call require,cargo,install Rust with rustup (https://rustup.rs)) && \
            $(call require,rustup,install Rust with rustup (https://rustup.rs); the wasm32 target is added with it)
need_node = $(call require,node,install Node.js 20 or later) && $(call require,npm,install npm (it comes with Node.js)) && \
            { node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || \
              { echo "make: Node.js $$(node --version) is too old: the tests need Node.js 20 or later" >&2; exit 1; }; }

.PHONY: pkg test demo www bench bench-ab server toolchain twiggy chromium test-setup test-host test-wasm test-js test-conformance \
        tarball install-pkg clean

## toolchain: the wasm32 target, wasm-bindgen-cli (same version as the crate), wasm-opt.
toolchain: $(WASM_OPT) $(ESBUILD)
	@$(need_rust)
	@rustup target list --installed | grep -qx $(WASM_TARGET) || { echo "==> adding the Rust target $(WASM_TARGET)"; rustup target add $(WASM_TARGET); }
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "==> installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) with cargo (first time only, about 2-3 minutes)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

$(ESBUILD): $(WASM_OPT)
	@echo "==> installing esbuild (npm esbuild@$(ESBUILD_VERSION)) into $(TOOLS)"
	npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error esbuild@$(ESBUILD_VERSION)

$(WASM_OPT):
	@$(need_node)
	@echo "==> installing wasm-opt (npm binaryen@$(BINARYEN_VERSION)) into $(TOOLS)"
	npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error binaryen@$(BINARYEN_VERSION)

## pkg: the npm package in pkg/ (wasm-bindgen glue + wasm-opt'd .wasm + hand-written entry and types).
pkg: $(PKG_STAMP) $(PKG_DOCS)

# The recipe copies package.json last: its date says the package is complete.
$(PKG_STAMP): $(PKG_SOURCES) | toolchain
	cargo build --release --target $(WASM_TARGET)
	rm -rf target/bindgen pkg && mkdir -p pkg
	wasm-bindgen --target $(BINDGEN_TARGET) --no-typescript --out-dir target/bindgen $(RELEASE_WASM)
	$(WASM_OPT) $(WASM_OPT_PASSES) $(WASM_FEATURES) -o pkg/$(CRATE)_bg.wasm target/bindgen/$(CRATE)_bg.wasm
	@# Each entry is one file (wasm-pack.toml [js]): a runtime loads one module, not seven.
	cp src/npm/index.d.ts pkg/
	cp src/npm/*.js target/bindgen/
	@test -n "$(PKG_ENTRIES)" || { echo "make: no entries read from src/npm/package.json" >&2; exit 1; }
	@for entry in $(PKG_ENTRIES); do $(ESBUILD_BUNDLE) --minify target/bindgen/$$entry --outfile=pkg/$$entry || exit 1; done
	@node -e 'const p=require("./src/npm/package.json"); if (p.version !== "$(PKG_VERSION)") { console.error(`src/npm/package.json version $${p.version} != Cargo.toml $(PKG_VERSION)`); process.exit(1) }'
	@raw=$$(wc -c < pkg/$(CRATE)_bg.wasm); gz=$$(gzip -9 -c < pkg/$(CRATE)_bg.wasm | wc -c); \
	  echo "pkg/$(CRATE)_bg.wasm: $$raw bytes, $$gz gzip (budget $(WASM_GZIP_BUDGET))"; \
	  if [ $$gz -gt $(WASM_GZIP_BUDGET) ]; then echo "over budget: the .wasm is $$gz bytes gzip" >&2; exit 1; fi
	@for entry in $(PKG_ENTRIES); do \
	  js=$$(gzip -9 -c < pkg/$$entry | wc -c); \
	  echo "pkg/$$entry (all the JS its runtime loads): $$js gzip (budget $(JS_GZIP_BUDGET))"; \
	  if [ $$js -gt $(JS_GZIP_BUDGET) ]; then echo "over budget: pkg/$$entry is $$js bytes gzip" >&2; exit 1; fi; \
	done
	@cp src/npm/package.json pkg/

$(PKG_DOCS): pkg/%: % $(PKG_STAMP)
	cp $< $@

## tarball: what a user installs, from `npm pack`; prints its path.
tarball: $(TARBALL)
	@echo "$(TARBALL)"

$(TARBALL): $(PKG_STAMP) $(PKG_DOCS)
	cd pkg && npm pack --pack-destination ../target --loglevel=error >/dev/null

## install-pkg: the test project's tools (tests/package-lock.json: deno, miniflare/workerd,
## edge-runtime, playwright-core, esbuild), then the built package from its tarball, as a user installs it.
install-pkg: $(INSTALLED)

# (A plain `npm install` removes the package installed with --no-save: the package follows it.)
$(TEST_TOOLS): tests/package.json tests/package-lock.json
	@$(need_node)
	@echo "==> installing the test tools (tests/package.json)"
	cd tests && npm install --no-audit --no-fund --loglevel=error
	touch $@

$(INSTALLED): $(TARBALL) $(TEST_TOOLS)
	@echo "==> installing the package from $(TARBALL) into tests/, as a user installs it"
	cd tests && npm install --no-save --no-audit --no-fund --loglevel=error ../$(TARBALL)
	touch $@

## chromium: the browser of the Chromium tests: $(CHROMIUM), else Debian's package.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$(CHROMIUM)" != /usr/bin/chromium ]; then echo "make: CHROMIUM=$(CHROMIUM) is not an executable" >&2; exit 1; fi; \
	  command -v apt-get >/dev/null 2>&1 || { echo "make: Chromium is missing: install it (Debian: apt-get install chromium) or set CHROMIUM=/path/to/chromium" >&2; exit 127; }; \
	  sudo=; [ "$$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo=sudo; } || \
	    { echo "make: Chromium is missing and installing it needs root: run 'sudo apt-get install chromium', or set CHROMIUM=/path/to/chromium" >&2; exit 1; }; \
	  echo "==> installing Debian's chromium with apt-get (first time only, about a minute)"; \
	  { $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q chromium; } || \
	    { echo "make: apt-get could not install chromium: install it yourself, or set CHROMIUM=/path/to/chromium" >&2; exit 1; }; \
	fi

## test: every suite (host, wasm, js, conformance), each to its log in target/test-logs/, all run
## even when one fails; one summary at the end; non-zero exit if anything failed.
test:
	@$(need_node)
	@node tests/support/suites.mjs setup host wasm js conformance

## test-setup: what the suites need, installed or built once: the toolchain, Chromium, the
## package installed in tests/ from its tarball, the two Python references.
test-setup: toolchain chromium install-pkg $(VENV)/.reference-installed $(PLATFORM_VENV)/.reference-installed

## test-host: formatting, cargo test and clippy (host and wasm32).
test-host:
	@$(need_rust)
	@rustup target list --installed | grep -qx $(WASM_TARGET) || { echo "==> adding the Rust target $(WASM_TARGET)"; rustup target add $(WASM_TARGET); }
	@rustup component list --installed | grep -q '^rustfmt' || { echo "==> adding rustfmt"; rustup component add rustfmt; }
	cargo fmt --check
	cargo test
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) -- -D warnings

## test-wasm: the #[wasm_bindgen_test] tests, under Node.
test-wasm: toolchain
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target $(WASM_TARGET) --test wasm

## test-js: the built package on Node, Deno, workerd, edge-runtime and Chromium, against the local server.
## The Node files run two at a time (the fuzz and load tests are CPU, most others wait on
## sockets), into results of their own; the other runtimes' files one at a time. Both always run.
test-js: install-pkg chromium
	@node_status=0; (export TEST_RESULTS=$${TEST_RESULTS:+$$TEST_RESULTS.node}; \
	  $(NODE_TEST) --test-concurrency=2 tests/node/) || node_status=$$?; \
	  $(NODE_TEST) tests/server/ tests/runtimes/ tests/types/ && exit $$node_status

$(VENV)/bin/python:
	@$(call require,python3,install Python 3 with venv (Debian: apt-get install python3 python3-venv))
	@echo "==> making a Python venv in $(VENV) for the reference logger"
	@python3 -m venv $(VENV) || { echo "make: python3 cannot make a venv: install python3-venv (Debian: apt-get install python3-venv)" >&2; exit 1; }

$(VENV)/.reference-installed: | $(VENV)/bin/python
	@echo "==> installing the reference logger honeyhive-logger==0.0.11 from PyPI"
	$(VENV)/bin/pip install --disable-pip-version-check --progress-bar on honeyhive-logger==0.0.11
	touch $@

$(PLATFORM_VENV)/.reference-installed:
	@$(call require,python3,install Python 3 with venv (Debian: apt-get install python3 python3-venv))
	@echo "==> installing the current platform's reference $(PLATFORM_SDK) from PyPI into $(PLATFORM_VENV) (first time only)"
	@python3 -m venv $(PLATFORM_VENV) || { echo "make: python3 cannot make a venv: install python3-venv" >&2; exit 1; }
	$(PLATFORM_VENV)/bin/pip install --disable-pip-version-check --progress-bar on $(PLATFORM_SDK)
	touch $@

## test-conformance: the same scenarios through the Python references (honeyhive-logger 0.0.11,
## and honeyhive 1.7.0 where its calls overlap ours) and through the package.
test-conformance: install-pkg $(VENV)/.reference-installed $(PLATFORM_VENV)/.reference-installed
	REFERENCE_PYTHON=$(VENV)/bin/python PLATFORM_PYTHON=$(PLATFORM_VENV)/bin/python $(NODE_TEST) tests/conformance/

## demo: the local server and the example against it, printing what the server received.
demo: install-pkg
	node tests/demo/run.mjs

## www: the browser demo (www/) on http://127.0.0.1:$(WWW_PORT) next to the local server (any free port).
www: install-pkg
	PORT=$(WWW_PORT) node tests/demo/www.mjs

## server: the local HoneyHive-compatible server for your own app, on 127.0.0.1:$(PORT), printing
## every request it receives (key masked): the reference's routes and the v2 routes (checked
## against the data plane's schemas, hence the test tools). API_KEY=k makes it accept only that key.
server: $(TEST_TOOLS)
	@echo "node tests/server/server.mjs --print --port $(PORT)$(if $(API_KEY), (the key in HH_SERVER_API_KEY))"
	@$(if $(API_KEY),HH_SERVER_API_KEY='$(API_KEY)') node tests/server/server.mjs --print --port $(PORT)

## bench: SDK CPU per call, end to end, cold start and size, against a plain-JS baseline
## measured in the same run, and the .wasm's largest parts (twiggy); the table goes to
## target/bench.json and docs/performance.md.
bench: install-pkg $(NAMED_WASM) $(NAMED_JS) twiggy
	NAMED_WASM=$(NAMED_WASM) NAMED_JS=$(NAMED_JS) node tests/bench/bench.mjs

## bench-ab: this build's CPU per call against REF's (a commit; default: 6a0dc10, the build with
## a hand-made boundary), interleaved in one Node process, then start-up (import + first start) in
## AB_PAIRS pairs of fresh processes (default 40). REF's package is built in target/ab/REF.
REF ?= 6a0dc10
bench-ab: install-pkg
	@test -f target/ab/$(REF)/pkg/package.json || { \
	  rm -rf target/ab/$(REF) && git worktree add --force --detach target/ab/$(REF) $(REF) >/dev/null && \
	  $(MAKE) -C target/ab/$(REF) pkg >/dev/null; }
	AB_OTHER=target/ab/$(REF)/pkg node tests/bench/ab.mjs

# The Node entry as shipped, but with its names kept, beside the .wasm: the bench's CPU profile
# tells the bundle's parts apart by their function names.
$(NAMED_JS): $(PKG_STAMP)
	@mkdir -p $(dir $@)
	cp pkg/$(CRATE)_bg.wasm $(dir $@)
	$(ESBUILD_BUNDLE) --minify-whitespace --minify-syntax target/bindgen/node.js --outfile=$@

# The shipped .wasm's code with its function names kept (wasm-opt -g), for twiggy.
$(NAMED_WASM): $(PKG_STAMP)
	@mkdir -p $(dir $@)
	$(WASM_OPT) $(filter-out --strip-debug,$(WASM_OPT_PASSES)) -g $(WASM_FEATURES) -o $@ target/bindgen/$(CRATE)_bg.wasm

## twiggy: the size profiler `make bench` runs (first time only, with cargo).
twiggy:
	@$(need_rust)
	@if [ "$$(twiggy --version 2>/dev/null | awk '{print $$2}')" != "$(TWIGGY_VERSION)" ]; then \
	  echo "==> installing twiggy $(TWIGGY_VERSION) with cargo (first time only, about a minute)"; \
	  cargo install twiggy --version $(TWIGGY_VERSION); \
	fi

clean:
	rm -rf target pkg tests/node_modules
