# Craton HSM — convenience entry points around CMake/Ninja and ctest.
#
#   make / make build   configure (CMake + Ninja, RelWithDebInfo) into build/ and build everything
#   make deps           install the Debian packages we need (apt-get, as root or via sudo)
#   make demo           deps + build + scripts/demo.sh (a token in build/demo-token, driven by pkcs11-tool)
#   make test           deps + build + the whole ctest suite in build/, again under ASan+UBSan
#                       (build-asan/; without the `slow`, `ct` and `crosstest` labels), and the
#                       `concurrency` tests under TSan (build-tsan/)
#   make check          ctest in build/ only, without the `slow` label (no deps, no sanitizers)
#   make asan / tsan    one sanitizer phase of `make test` (build + ctest)
#   make install        cmake --install build --prefix $(PREFIX)   [PREFIX=/usr/local]
#   make clean          remove build/, build-asan/, build-tsan/
#
# Knobs: JOBS (2), BUILD_TYPE (RelWithDebInfo), PREFIX, CMAKE_FLAGS (extra -D... for every
# configure), CTEST_FLAGS (extra ctest arguments, e.g. CTEST_FLAGS='-R Config').

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
, := ,

BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
TSAN_DIR    ?= build-tsan
BUILD_TYPE  ?= RelWithDebInfo
JOBS        ?= 2
PREFIX      ?= /usr/local
CMAKE_FLAGS ?=
CTEST_FLAGS ?=

# Everything the build, the tests, the demo and the interop clients need on Debian 12.
DEB_PACKAGES := build-essential cmake ninja-build pkg-config binutils \
                libssl-dev libsqlite3-dev libgtest-dev libgmock-dev googletest \
                libbenchmark-dev libcli11-dev \
                openssl sqlite3 opensc python3 python3-pykcs11 softhsm2 \
                gnutls-bin libengine-pkcs11-openssl libnss3-tools openjdk-17-jdk-headless xxd \
                clang-14 libclang-rt-14-dev cppcheck clang-tidy nlohmann-json3-dev valgrind
# Node.js >= 18 and npm (the `crosstest` tests) are not in this list: install-deps.sh --node keeps
# a NodeSource nodejs when there is one and installs Debian's nodejs + npm only when node is missing.

CTEST := ctest --output-on-failure -j$(JOBS) $(CTEST_FLAGS)
# ctest label regexes. `slow`: long vector and cross-test runs, in CI's release phase only (not in
# `make check`). `ct` (valgrind) and `crosstest` (Node.js) run in the release phase only: valgrind
# cannot run sanitizer builds, and neither adds anything under ASan.
CHECK_EXCLUDE := ^slow$$
ASAN_EXCLUDE  := ^(slow|ct|crosstest)$$
# Under TSan, besides the `concurrency` label: the tests that drive the module's own threads and
# shared state (audit writer thread, secure-memory slabs, parsed-key slots, the sharded
# reader/writer lock, the logger).
TSAN_EXTRA    := ^(Audit|SecureMemory|ParsedCache|ShardedMutex|WordSharedMutex|Backends/TokenLazy[.]Concurrent|LogTest[.]Concurrent|FipsIndicator|BuildProduced[.]EachThread|TemplateMemo)

ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
TSAN_ENV := TSAN_OPTIONS='halt_on_error=1 second_deadlock_stack=1'
# gcc 12's TSan cannot map its shadow memory when the kernel randomises mmap with more than 28 bits;
# there, run TSan programs (also gtest discovery at build time) with address randomisation off.
TSAN_RUN := $(shell [ "$$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)" -gt 28 ] && \
                    echo "setarch $$(uname -m) -R")

# $(call cmake_build,DIR,EXTRA CMAKE ARGS,ENV PREFIX): configure (Ninja for a new build tree; an
# existing tree keeps its generator) and build everything.
define cmake_build
	@echo "== configure + build $(1) $(2)"
	@if [ -f $(1)/CMakeCache.txt ]; then gen=(); else gen=(-G Ninja); fi; \
	 cmake -S . -B $(1) "$${gen[@]}" -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(2) $(CMAKE_FLAGS)
	$(3) cmake --build $(1) -j $(JOBS)
endef

.PHONY: all build deps demo test check test-release asan asan-build asan-test tsan tsan-build tsan-test \
        install clean fuzz fuzz-smoke lint cppcheck bench bench-smoke

all: build

build:
	$(call cmake_build,$(BUILD_DIR),,)

deps:
	@bash scripts/install-deps.sh --node $(DEB_PACKAGES)

demo: deps
	@$(MAKE) --no-print-directory build
	BUILD_DIR=$(abspath $(BUILD_DIR)) bash scripts/demo.sh

# Each phase is a make target of its own; this loop times them and stops at the first failure.
TEST_PHASES := build test-release bench-smoke cppcheck asan-build asan-test tsan-build tsan-test fuzz-smoke
test: deps
	@summary=""; total=$$(date +%s); \
	 for phase in $(TEST_PHASES); do \
	   start=$$(date +%s); \
	   if ! $(MAKE) --no-print-directory $$phase; then \
	     echo "make test: phase '$$phase' FAILED"; printf '%s' "$$summary"; exit 1; \
	   fi; \
	   summary+=$$(printf '  %-13s %5d s' "$$phase" $$(( $$(date +%s) - start )))$$'\n'; \
	 done; \
	 echo "make test: all phases passed; timings:"; printf '%s' "$$summary"; \
	 printf '  %-13s %5d s\n' total $$(( $$(date +%s) - total ))

check: build
	@echo "== ctest $(BUILD_DIR) (whole suite except the 'slow' label)"
	$(CTEST) --test-dir $(BUILD_DIR) --no-tests=error -LE '$(CHECK_EXCLUDE)'

# The whole suite, `slow`, `ct` and `crosstest` included.
test-release:
	@echo "== ctest $(BUILD_DIR) (whole suite)"
	$(CTEST) --test-dir $(BUILD_DIR) --no-tests=error

asan: asan-build asan-test

asan-build:
	$(call cmake_build,$(ASAN_DIR),-DCRATON_SANITIZE=address$(,)undefined -DCRATON_BUILD_BENCH=OFF,env $(ASAN_ENV))

# The whole suite except the `slow`, `ct` and `crosstest` labels. Interop tests run their
# uninstrumented clients (pkcs11-tool, python3) with the ASan runtime preloaded and leak detection
# off (the clients' own leaks are not ours); see tests/interop/CMakeLists.txt.
asan-test:
	@echo "== ctest $(ASAN_DIR) (ASan+UBSan; whole suite except the slow, ct and crosstest labels)"
	env $(ASAN_ENV) $(CTEST) --test-dir $(ASAN_DIR) --no-tests=error -LE '$(ASAN_EXCLUDE)'

tsan: tsan-build tsan-test

tsan-build:
	$(call cmake_build,$(TSAN_DIR),-DCRATON_SANITIZE=thread -DCRATON_BUILD_BENCH=OFF,env $(TSAN_ENV) $(TSAN_RUN))

# Only the tests labelled `concurrency`; none matching is not an error.
tsan-test:
	@echo "== ctest $(TSAN_DIR) -L concurrency (TSan)"
	env $(TSAN_ENV) $(TSAN_RUN) $(CTEST) --test-dir $(TSAN_DIR) -L concurrency --no-tests=ignore
	@echo "== ctest $(TSAN_DIR) -R threaded internals (TSan): $(TSAN_EXTRA)"
	env $(TSAN_ENV) $(TSAN_RUN) $(CTEST) --test-dir $(TSAN_DIR) -R '$(TSAN_EXTRA)' --no-tests=ignore

install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# Fuzzing (clang-14 + libFuzzer, build-fuzz/): `make fuzz` runs every target FUZZ_SECONDS each;
# `make test` runs the 20-second smoke of every target.
FUZZ_SECONDS ?= 60
fuzz:
	bash fuzz/run.sh $(FUZZ_SECONDS)

fuzz-smoke:
	@echo "== fuzz smoke (every target 20 s)"
	bash fuzz/run.sh 20

# Static analysis: cppcheck (seconds; part of `make test`) and clang-tidy (minutes; `make lint`).
cppcheck: build
	BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash scripts/static-analysis.sh cppcheck

lint: build
	BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash scripts/static-analysis.sh all

# Benchmarks (Release build in build-bench/); see docs/PERFORMANCE.md. `make bench` measures every
# row on Craton HSM, SoftHSMv2 and the raw floor in 3 interleaved rounds and writes docs/benchmarks/ (about 12 minutes);
# BENCH_ARGS adds options (e.g. BENCH_ARGS='--filter ^sign/'). The PQC primitive and audit
# benchmarks are separate programs in build-bench/bench/.
BENCH_ARGS ?=
bench:
	$(call cmake_build,build-bench,-DCMAKE_BUILD_TYPE=Release -DCRATON_BUILD_TESTS=OFF,)
	build-bench/bench/craton_bench --out docs/benchmarks $(BENCH_ARGS)

# CI: every row once with tiny counts (fails only when a row of ours breaks, never on timing).
bench-smoke: build
	@echo "== benchmark smoke run ($(BUILD_DIR)/bench-smoke)"
	$(BUILD_DIR)/bench/craton_bench --smoke --out $(BUILD_DIR)/bench-smoke

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR) build-fuzz build-bench

