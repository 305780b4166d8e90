# The README's two commands: `make run` and `make test`. Both install what they lack first.
.PHONY: run test deps build-release build-debug bench clean format

DATA ?= var
PORT ?= 8080

deps:
	@./scripts/deps.sh

build-release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -- --quiet

build-debug: deps
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

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
