# The README's two commands: `make run` and `make test`. Both install what they lack first.
.PHONY: run test deps deps-test web build-release build-debug bench clean format tidy

DATA ?= var
PORT ?= 8080

deps:
	@./scripts/deps.sh

deps-test:
	@./scripts/deps.sh test

# The web front end (web/dist, served by `jobaid serve`), rebuilt when its sources change.
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts \
               web/tsconfig.json web/package-lock.json
web/dist/index.html: $(WEB_SOURCES)
	@cd web && npm run --silent build -- --logLevel warn

web: deps web/dist/index.html

build-release: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -- --quiet

build-debug: deps-test
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -- --quiet

# Builds a Release binary, creates $(DATA)/jobaid.db with demo data on first run, serves until Ctrl-C.
run: build-release
	@./build/release/src/jobaid serve --data $(DATA) --port $(PORT) --demo-if-empty

# Debug build with ASan and UBSan, then every test through CTest, next to a throw-away
# PostgreSQL server so that the store tests run on both backends.
test: build-debug
	@./scripts/with-postgres.sh ctest --preset debug

bench: build-release
	@./bench/import/run.sh

# Every source through the clang-tidy checks (make test checks the changed ones).
tidy: build-debug
	@./scripts/tidy.sh --all

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build web/dist
