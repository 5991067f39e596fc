# leptos-consent: two commands for a newcomer.
#   make demo   install what is missing, build the release demo, serve it on http://127.0.0.1:8080
#               with its consent log (lcc-server, SQLite) on http://127.0.0.1:8790
#   make test   install what is missing, then every test tier plus fmt and clippy
# Each install step checks first, so a warm machine skips straight to the work.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION := 0.21.14
WASM_BINDGEN_VERSION := 0.2.130
BINARYEN_VERSION := 132
ESBUILD_VERSION := 0.28.2
TERSER_VERSION := 5.51.4
# The distribution's version is the crate's: stamped into dist/VERSION and every JS file's first line.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
STAMP := --banner:js="/*! leptos-consent $(VERSION) */"
CARGO_BIN := $(HOME)/.cargo/bin
TOOLS := $(CURDIR)/tools
export PATH := $(TOOLS)/bin:$(CARGO_BIN):$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
E2E := tests/e2e

.PHONY: help demo test build dist serve tools tool-target tool-trunk tool-wasm-bindgen tool-wasm-opt tool-esbuild tool-terser check-config \
	browser tool-postgres log-server-bin bench-server node-deps bench-deps lint test-native test-browser test-e2e size bench fuzz clean

help:
	@echo "make demo   build the release demo and serve it on http://127.0.0.1:8080"
	@echo "make test   run fmt, clippy, native, browser and end-to-end tests"

## ---- installs (each one skips itself when already satisfied) ----

tools: tool-target tool-trunk tool-wasm-bindgen tool-wasm-opt tool-esbuild tool-terser

tool-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

tool-trunk:
	@if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
	  echo "installing trunk $(TRUNK_VERSION) (about 8 minutes)"; \
	  cargo install trunk --version $(TRUNK_VERSION) --locked; fi

tool-wasm-bindgen:
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; fi

# Debian's binaryen is too old (its output fails at runtime): use binaryen from npm behind a wrapper.
tool-wasm-opt: $(TOOLS)/bin/wasm-opt
$(TOOLS)/bin/wasm-opt:
	mkdir -p $(TOOLS)/binaryen $(TOOLS)/bin
	cd $(TOOLS)/binaryen && npm install --no-audit --no-fund --silent binaryen@$(BINARYEN_VERSION)
	printf '#!/bin/sh\nexec node "%s/binaryen/node_modules/binaryen/bin/wasm-opt" "$$@"\n' "$(TOOLS)" > $@
	chmod +x $@

# esbuild bundles the boot script and the early banner (boot/*.mjs), and bundles and minifies
# the wasm-bindgen glue.
# twiggy (what takes the bytes of a wasm), for the benchmark only.
tool-twiggy:
	@command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked

tool-esbuild: $(TOOLS)/bin/esbuild
$(TOOLS)/bin/esbuild:
	mkdir -p $(TOOLS)/esbuild $(TOOLS)/bin
	cd $(TOOLS)/esbuild && npm install --no-audit --no-fund --silent esbuild@$(ESBUILD_VERSION)
	ln -sf $(TOOLS)/esbuild/node_modules/.bin/esbuild $@

# terser minifies what every page view or the first layer loads (the boot script, the early
# banner, the decision code): fewer brotli bytes than esbuild's minifier on these files
# (bench/notes.md).
tool-terser: $(TOOLS)/bin/terser
$(TOOLS)/bin/terser:
	mkdir -p $(TOOLS)/terser $(TOOLS)/bin
	cd $(TOOLS)/terser && npm install --no-audit --no-fund --silent terser@$(TERSER_VERSION)
	ln -sf $(TOOLS)/terser/node_modules/.bin/terser $@

# Postgres for the consent log's tests and benchmark: tests/support/pg.sh makes a throwaway
# cluster per test from the binaries this finds (the machine image's, or Debian's package).
tool-postgres:
	@tests/support/pg.sh bin >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q postgresql; }

browser:
	@if [ ! -x "$(CHROMIUM)" ] || [ ! -x "$(CHROMEDRIVER)" ]; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; fi

node-deps: $(E2E)/node_modules/.installed
$(E2E)/node_modules/.installed: $(E2E)/package.json $(E2E)/package-lock.json
	cd $(E2E) && npm ci --no-audit --no-fund
	touch $@

## ---- build and serve ----

# The distribution, with stable names (what a plain HTML site embeds):
#   leptos-consent-boot.js   every page view: decides for a returning visitor, runs granted tags,
#                            defines window.CookieConsent
#   leptos-consent-banner.js the first layer, drawn while the UI loads (only when asking)
#   leptos-consent-decide.js on a first visit: carries out Accept all / Reject all without the UI, under a
#                            config the core accepts (fetched once the banner shows)
#   leptos-consent-valid.js  checks a config nothing has checked yet (no data-checked stamp): fetched by the above
#   leptos-consent-banner.css
#                            the early banner's stylesheet: style/consent.css up to FIRST_LAYER_END (below)
#   leptos-consent.js, leptos-consent_bg.wasm, leptos-consent.css   the UI, loaded only when needed
#   leptos-consent.d.ts      TypeScript declarations of window.CookieConsent
#   VERSION                  the crate version these files were built from (also on each JS file's first line)
#   i18n/<lang>.json         built-in interface words per language, loaded only for a visitor in that language
WASM_OUT := target/wasm32-unknown-unknown/release/lcc-ui.wasm
# boot/$(1).mjs bundled by esbuild as $(2) (extra flags $(3)), minified by terser into $(DIST)/$(4).
# ES2020 (optional chaining, ??): no browser that runs the UI's wasm (reference types, bulk
# memory: Chrome 96, Firefox 79, Safari 15) lacks it. With $(5) = eager, the file asks V8 to
# compile every function as it loads (Chrome 136's `//# allFunctionsCalledOnLoad`; a comment
# elsewhere): for the decision code, fetched while the banner shows and run at the press,
# that moves its compiling out of the press (docs/embedding.md, "What loads when"). Not
# for the boot script: compiling all of it before it runs made a returning visitor's first
# tag later (bench/notes.md).
define small_js
	esbuild boot/$(1).mjs --bundle --format=$(2) --target=es2020 $(3) --log-level=warning --outfile=target/js/$(1).js
	{ echo "/*! leptos-consent $(VERSION) */"; $(if $(filter eager,$(5)),echo "//# allFunctionsCalledOnLoad";) \
	  terser target/js/$(1).js --ecma 2020 --compress passes=3,unsafe_arrows --mangle $(if $(filter esm,$(2)),--module); } > $(DIST)/$(4)
endef
DIST := dist
# The line of style/consent.css after the early banner's rules (leptos-consent-banner.css is what comes before it).
FIRST_LAYER_END := ^/\* ---- The first layer ends here
dist: tools
	cargo build --release --target wasm32-unknown-unknown --bin lcc-ui --features embed
	rm -rf $(DIST) && mkdir -p $(DIST) target/bindgen target/js
	wasm-bindgen --target web --no-typescript --out-dir target/bindgen --out-name leptos-consent $(WASM_OUT)
	wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
	  --enable-reference-types --enable-multivalue --strip-debug --strip-producers target/bindgen/leptos-consent_bg.wasm -o $(DIST)/leptos-consent_bg.wasm
	esbuild boot/ui.mjs --bundle --minify --format=esm $(STAMP) --log-level=warning --outfile=$(DIST)/leptos-consent.js
	$(call small_js,banner,esm,,leptos-consent-banner.js)
	$(call small_js,decide,esm,--define:LCC_VERSION='"$(VERSION)"',leptos-consent-decide.js,eager)
	$(call small_js,valid,esm,,leptos-consent-valid.js)
	$(call small_js,boot,iife,--define:LCC_VERSION='"$(VERSION)"',leptos-consent-boot.js)
	cp boot/leptos-consent.d.ts $(DIST)/
	mkdir -p $(DIST)/i18n
	node -e 'for (const f of fs.readdirSync("i18n")) fs.writeFileSync("$(DIST)/i18n/" + f, JSON.stringify(JSON.parse(fs.readFileSync("i18n/" + f, "utf8"))))'
	echo "$(VERSION)" > $(DIST)/VERSION
	esbuild style/consent.css --minify --log-level=warning --outfile=$(DIST)/leptos-consent.css
	grep -q '$(FIRST_LAYER_END)' style/consent.css
	sed '\#$(FIRST_LAYER_END)#,$$d' style/consent.css | esbuild --loader=css --minify --log-level=warning > $(DIST)/leptos-consent-banner.css

# The demo site (index.html, preferences.html, the tag stand-ins) with dist/ inside, in site/.
build: dist
	trunk build --release --offline
	$(MAKE) --no-print-directory check-config PAGES="$$(grep -l 'cc-config' site/*.html | tr '\n' ' ')"

# Checks the config of each page in PAGES with the core and stamps it (data-checked): a first
# visit then decides Accept all / Reject all without loading the UI. An invalid config fails here.
check-config:
	cargo build --quiet --bin lcc-check
	target/debug/lcc-check --write $(PAGES)

serve:
	node $(E2E)/serve.mjs site 8080

# The demo with its consent log: lcc-server on 127.0.0.1:8790 keeps each decision in
# target/demo/consent-log.db (examples/demo-with-log.mjs).
demo: build log-server-bin
	@echo "serving the demo on http://127.0.0.1:8080 (Ctrl-C to stop)"
	node examples/demo-with-log.mjs

# The server-rendered example app (examples/ssr-app), built the way cargo-leptos builds it, with
# cargo and the pinned wasm-bindgen directly. cargo-leptos 0.3.11 cannot be installed with
# Rust 1.95 (its locked cargo-util-schemas needs 1.96); 0.3.7 can, in about 12 minutes, and
# builds the example offline with the tools below on PATH (`make ssr-example-cargo-leptos`).
# That is kept out of `make test`. `make ssr-example-serve` runs the example on 127.0.0.1:3000.
SSR_SITE := target/ssr-site
SSR_PROFILE ?= debug
SSR_FLAGS := $(if $(filter release,$(SSR_PROFILE)),--release,)
ssr-example: tools
	cargo build -p lcc-ssr-example --lib --target wasm32-unknown-unknown --features hydrate $(SSR_FLAGS)
	cargo build -p lcc-ssr-example --bin lcc-ssr-example --features ssr $(SSR_FLAGS)
	rm -rf $(SSR_SITE) && mkdir -p $(SSR_SITE)/pkg
	wasm-bindgen --target web --no-typescript --out-dir $(SSR_SITE)/pkg --out-name lcc-ssr-example \
	  target/wasm32-unknown-unknown/$(SSR_PROFILE)/lcc_ssr_example.wasm
	cp style/consent.css $(SSR_SITE)/pkg/lcc-ssr-example.css
	cp -r examples/ssr-app/public/. $(SSR_SITE)/

# The example for the benchmark: release builds with and without the consent components
# (feature `bare`, the control), each wasm-opt'd as the drop-in's; the named wasm kept for twiggy.
SSR_BENCH := target/ssr-bench
WASM_OPT_FLAGS := -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
  --enable-reference-types --enable-multivalue --strip-debug --strip-producers
ssr-bench-build: tools tool-twiggy
	cargo build -p lcc-ssr-example --bin lcc-ssr-example --features ssr --profile ssr-server
	rm -rf $(SSR_BENCH) && mkdir -p $(SSR_BENCH)
	for v in consent bare; do \
	  cargo build -p lcc-ssr-example --lib --target wasm32-unknown-unknown --release \
	    --features "hydrate $$([ $$v = bare ] && echo bare)" || exit 1; \
	  mkdir -p $(SSR_BENCH)/$$v/pkg target/ssr-bindgen-$$v; \
	  wasm-bindgen --target web --no-typescript --out-dir target/ssr-bindgen-$$v --out-name lcc-ssr-example \
	    target/wasm32-unknown-unknown/release/lcc_ssr_example.wasm || exit 1; \
	  cp target/ssr-bindgen-$$v/lcc-ssr-example_bg.wasm $(SSR_BENCH)/$$v-named.wasm; \
	  esbuild target/ssr-bindgen-$$v/lcc-ssr-example.js --minify --log-level=warning --outfile=$(SSR_BENCH)/$$v/pkg/lcc-ssr-example.js; \
	  wasm-opt $(WASM_OPT_FLAGS) target/ssr-bindgen-$$v/lcc-ssr-example_bg.wasm -o $(SSR_BENCH)/$$v/pkg/lcc-ssr-example_bg.wasm || exit 1; \
	  cp -r examples/ssr-app/public/. $(SSR_BENCH)/$$v/; \
	done
	esbuild style/consent.css --minify --log-level=warning --outfile=$(SSR_BENCH)/consent/pkg/lcc-ssr-example.css

# The example as a Leptos developer builds it: cargo-leptos (installed once), which uses the
# wasm-bindgen and wasm-opt on PATH instead of downloading its own.
CARGO_LEPTOS_VERSION := 0.3.7
ssr-example-cargo-leptos: tools
	@cargo leptos --version 2>/dev/null | grep -q ' $(CARGO_LEPTOS_VERSION)$$' || cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	cd examples/ssr-app && cargo leptos build

ssr-example-serve: ssr-example
	LEPTOS_OUTPUT_NAME=lcc-ssr-example LEPTOS_SITE_ROOT=$(SSR_SITE) LEPTOS_SITE_PKG_DIR=pkg \
	  LEPTOS_SITE_ADDR=127.0.0.1:3000 target/$(SSR_PROFILE)/lcc-ssr-example

## ---- tests ----

lint: tool-target
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --features log-server --all-targets -- -D warnings
	cargo clippy -p lcc-loadgen -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets --features embed -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings
	# The library in each of Leptos's modes, as an app builds it: ssr on the server, hydrate
	# and csr in the browser (issue "Leptos apps, server-rendered").
	cargo clippy --lib --features ssr -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --features hydrate -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --features csr -- -D warnings
	# The server-rendered example app: its server, and its hydrating browser side.
	cargo clippy -p lcc-ssr-example --features ssr -- -D warnings
	cargo clippy -p lcc-ssr-example --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings
	@! grep -rnE 'inner_html|innerHTML' src || { echo "no inner_html in src: config text is rendered as text"; exit 1; }
	@! grep -rnE '\b(leptos|web_sys|wasm_bindgen|js_sys|gloo_[a-z]+)::' src/core || { echo "src/core must stay plain Rust"; exit 1; }

# The native tests, then the JS that mirrors the core against the tables they just wrote
# (tests/mirror: Node, no wasm, no browser) and the check that every twin names the other.
test-native: tool-postgres
	cargo test
	# The consent log (lcc-server): its routes in process on a SQLite file; a million hostile
	# bodies through them; kill -9, Postgres stopped and two instances, as processes on real
	# SQLite and Postgres.
	LCC_LOG_FUZZ_INPUTS=1000000 cargo test --features log-server --test log_server --test log_fuzz --test log_faults
	node --test tests/mirror/*.test.mjs

test-browser: tools browser
	cargo test --target wasm32-unknown-unknown --features embed --lib
	# The Leptos API as an app builds it (csr), not as the drop-in does.
	cargo test --target wasm32-unknown-unknown --features csr --test ui_gate

# The consent-log server the end-to-end tests start (tests/e2e/consent-log.test.mjs).
log-server-bin:
	cargo build --features log-server --bin lcc-server

test-e2e: build ssr-example log-server-bin tool-postgres browser node-deps
	cd $(E2E) && node --test --test-concurrency=1 *.test.mjs

# The peers the benchmark measures (pinned npm packages, served locally).
bench-deps: bench/node_modules/.installed
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund
	touch $@

# The benchmark: ours, the page without a consent manager and four peers, three
# profiles; writes bench/results/<date>.md. Timings live here, never in tests.
bench: build ssr-bench-build browser node-deps bench-deps
	node bench/run.mjs site 7
	node bench/ssr.mjs 7

# The consent log's benchmark: lcc-server and @c15t/backend 2.2.1 (bench/c15t), each on SQLite
# and Postgres, 64 clients on loopback; writes bench/results/<date>-server.md. The servers are
# built for speed (profile ssr-server), not for size as the wasm is.
bench/c15t/node_modules/.installed: bench/c15t/package.json bench/c15t/package-lock.json
	cd bench/c15t && npm ci --no-audit --no-fund
	touch $@
bench-server: tool-postgres bench/c15t/node_modules/.installed
	cargo build --profile ssr-server --features log-server --bin lcc-server
	cargo build --profile ssr-server -p lcc-loadgen
	node bench/server.mjs

# The long fuzz run (tests/fuzz.rs): ten million stored records and configs, mutated
# and random; prints the count. A short round of the same runs in `make test`.
LCC_FUZZ_INPUTS ?= 10000000
fuzz:
	LCC_FUZZ_INPUTS=$(LCC_FUZZ_INPUTS) cargo test --release --test fuzz -- --ignored --nocapture the_long_run

# Size budgets on the release distribution (bench/budgets.json): bytes, never time.
size: dist
	node bench/size.mjs $(DIST)

test: lint test-native test-browser test-e2e size
	@echo "make test: all tiers passed"

clean:
	rm -rf dist site target/wasm32-unknown-unknown/release target/bindgen
