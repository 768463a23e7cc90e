# SPDX-License-Identifier: MIT
# The two commands of the README, and the builds behind them.
#   make          build into build/ (the program is build/bienphong)
#   make run      install what is missing, build, make the demo, show it
#   make test     install what is missing, build with sanitizers, run ctest
#   make bench    build with optimisation and run the benchmarks
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DB ?= demo.sqlite

.PHONY: all setup run test bench clean format web

all: build/bienphong web

build/Makefile: CMakeLists.txt
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo

build/bienphong: build/Makefile FORCE
	cmake --build build -j $(JOBS)

FORCE:

# The web UI: npm ci when the lockfile changed or node_modules is missing,
# vite build when a source changed or web/dist is missing. Skipped with a
# note when npm is absent (make setup installs it).
WEB_SRC := $(wildcard web/index.html web/package.json web/vite.config.ts \
	web/tsconfig.json web/public/* web/src/*.ts web/src/*.tsx web/src/*.css \
	web/src/*/*.ts web/src/*/*.tsx)

web:
	@if command -v npm >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory web/dist/index.html; \
	else echo "bienphong: npm not found, web UI not built (make setup)"; fi

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	cd web && npm run build

setup:
	@scripts/setup

run: setup
	@$(MAKE) --no-print-directory all
	@scripts/run-demo "$(DB)"

test: setup
	@$(MAKE) --no-print-directory web
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DBP_SANITIZE=ON
	cmake --build build-test -j $(JOBS)
	cd build-test && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: setup
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBP_BENCH=ON -DBP_TESTS=OFF
	cmake --build build-bench -j $(JOBS)
	@scripts/run-bench build-bench

format:
	clang-format -i include/bienphong/*.h src/*/*.c src/*/*.h tests/unit/*.c bench/*.c

clean:
	rm -rf build build-test build-bench web/dist
