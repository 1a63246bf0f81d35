# lua-cdk: `make` builds build/cdk/core.so; `make test` runs the specs and the conformance cases;
# `make synth` synthesizes the README's example; `make asan` / `make test-asan` do the same under
# AddressSanitizer + UndefinedBehaviorSanitizer. Missing Debian packages are installed on demand.
LUA ?= lua5.4
LUA_VERSION ?= 5.4
LUA_INCDIR ?= /usr/include/lua$(LUA_VERSION)
CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
SERVICES = iam kms sns sqs lambda events ecr
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Icsrc/core $(foreach s,$(SERVICES),-Icsrc/$(s)) $(CPPFLAGS)
LIBS = -lcjson -lm
BUILD ?= build

CORE_SRC = $(wildcard csrc/core/*.c)
SERVICE_SRC = $(foreach s,$(SERVICES),$(wildcard csrc/$(s)/*.c))
BIND_SRC = $(wildcard csrc/lua/*.c)
HEADERS = $(wildcard csrc/*/*.h)
OBJ = $(patsubst csrc/%.c,$(BUILD)/obj/%.o,$(CORE_SRC) $(SERVICE_SRC) $(BIND_SRC))

# What building and testing need from Debian; `make deps` installs the missing ones (as root).
DEB_PACKAGES ?= gcc libc6-dev lua5.4 liblua5.4-dev libcjson-dev lua-busted
DEB_EXTRA ?=

# busted runs under $(LUA) itself (Debian's /usr/bin/busted would pick plain `lua`).
BUSTED ?= busted
BUSTED_RUN = $(LUA) "$$(command -v $(BUSTED))" --ignore-lua
SPEC_ARGS ?=

# The sanitizer build and the runtime preloaded into the (uninstrumented) interpreter.
ASAN_BUILD ?= build-asan
ASAN_CFLAGS ?= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_PRELOAD ?= $(shell $(CC) -print-file-name=libasan.so) $(shell $(CC) -print-file-name=libubsan.so)
ASAN_ENV = ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	LD_PRELOAD="$(ASAN_PRELOAD)"

# make bench: bench/fleet.lua at each N against the reference (bench/fleet.js, when node and
# the @aws-cdk packages are found under BENCH_REF), best of BENCH_REPEAT, plus callgrind counts.
BENCH_N ?= 1 1000 10000
BENCH_REPEAT ?= 3
BENCH_CALLGRIND_N ?= 1 1000
BENCH_REF ?= $(firstword $(ORACLE_NODE_MODULES) $(wildcard bench/node_modules /work/ref/node_modules))
NODE ?= node

EXAMPLE ?= examples/readme.lua
SYNTH_OUT ?= cdk.out

all: $(BUILD)/cdk/core.so

$(BUILD)/obj/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -I$(LUA_INCDIR) $(WARN) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/cdk/core.so: $(OBJ)
	@mkdir -p $(dir $@)
	$(CC) -shared $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

deps:
	@missing=""; \
	if ! command -v dpkg >/dev/null 2>&1; then \
		echo "deps: no dpkg here; install $(DEB_PACKAGES) $(DEB_EXTRA) yourself"; exit 0; \
	fi; \
	for p in $(DEB_PACKAGES) $(DEB_EXTRA); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "deps: missing Debian packages:$$missing (run 'make deps' as root)" >&2; exit 1; fi; \
	echo "deps: installing$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get install -y --no-install-recommends $$missing || \
	{ $$sudo apt-get update && $$sudo apt-get install -y --no-install-recommends $$missing; }

test: deps
	@$(MAKE) --no-print-directory -s all
	@$(BUSTED_RUN) --cpath="$(BUILD)/?.so" $(SPEC_ARGS)

asan: deps
	@$(MAKE) --no-print-directory -s BUILD=$(ASAN_BUILD) CFLAGS="$(ASAN_CFLAGS)" all

test-asan: asan
	@$(ASAN_ENV) $(BUSTED_RUN) --cpath="$(ASAN_BUILD)/?.so" $(SPEC_ARGS)

$(BUILD)/bench/runstat: bench/runstat.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<

bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/runstat
	@BENCH_LUA=$(LUA) BENCH_BUILD=$(BUILD) BENCH_N="$(BENCH_N)" BENCH_REPEAT=$(BENCH_REPEAT) \
		BENCH_CALLGRIND_N="$(BENCH_CALLGRIND_N)" BENCH_REF="$(BENCH_REF)" BENCH_NODE=$(NODE) $(LUA) bench/run.lua

synth: deps
	@$(MAKE) --no-print-directory -s all
	@CDK_OUTDIR=$(SYNTH_OUT) LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='$(BUILD)/?.so;;' $(LUA) $(EXAMPLE)
	@LUA_PATH='spec/?.lua;;' $(LUA) spec/support/print_templates.lua $(SYNTH_OUT)

clean:
	rm -rf build build-* cdk.out

.PHONY: all deps test asan test-asan bench synth clean
