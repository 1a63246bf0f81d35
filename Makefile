# lua-cdk: `make` builds build/cdk/core.so; `make test` runs the specs and the conformance cases;
# `make synth` synthesizes the README's example; `make asan` / `make test-asan` do the same under
# AddressSanitizer + UndefinedBehaviorSanitizer. Missing Debian packages are installed on demand.
# `make test-all` runs the specs under every supported Lua; `make install` installs the modules
# and luacdk; `make embed` builds liblua_cdk.a and the C program of examples/embed.
# The Lua to build for and run under: Debian's lua5.1, lua5.3, lua5.4 or luajit (`make test
# LUA=luajit`); its version, headers and Debian packages follow from the name.
LUA ?= lua5.4
LUA_NAME = $(notdir $(lastword $(LUA)))
LUA_VERSION ?= $(if $(filter luajit%,$(LUA_NAME)),5.1,$(or $(patsubst lua%,%,$(filter lua5.%,$(LUA_NAME))),5.4))
LUA_INCDIR ?= $(if $(filter luajit%,$(LUA_NAME)),/usr/include/luajit-2.1,/usr/include/lua$(LUA_VERSION))
LUA_DEB = $(if $(filter luajit%,$(LUA_NAME)),luajit libluajit-5.1-dev,\
	lua$(LUA_VERSION) liblua$(LUA_VERSION)$(if $(filter 5.1,$(LUA_VERSION)),-0)-dev)
CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
SERVICES = iam kms sns sqs lambda events ecr
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Icsrc/core $(foreach s,$(SERVICES),-Icsrc/$(s)) -Icsrc/include \
	-Icsrc/embed $(CPPFLAGS)
LIBS = -lcjson -lm
BUILD ?= build
LIBFLAG ?= -shared
# The module binds its own functions at link time: no symbol lookups for them when Lua loads it
# and no PLT hop on each call inside the core (a quicker start: N = 1 of make bench). Linux only.
comma := ,
SO_LDFLAGS ?= $(if $(filter Linux,$(shell uname -s)),-Wl$(comma)-Bsymbolic-functions)

# `make install` puts core.so, the Lua modules and bin/luacdk under PREFIX, where Debian's
# $(LUA) looks (/usr/local/lib/lua/5.4, /usr/local/share/lua/5.4); LuaRocks gives its own
# directories (rockspec/lua-cdk-scm-1.rockspec). DESTDIR is prepended, as usual.
PREFIX ?= /usr/local
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_VERSION)
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_VERSION)
INST_BINDIR ?= $(PREFIX)/bin

CORE_SRC = $(wildcard csrc/core/*.c)
SERVICE_SRC = $(foreach s,$(SERVICES),$(wildcard csrc/$(s)/*.c))
BIND_SRC = $(wildcard csrc/lua/*.c)
HEADERS = $(wildcard csrc/*/*.h)
OBJ = $(patsubst csrc/%.c,$(BUILD)/obj/%.o,$(CORE_SRC) $(SERVICE_SRC) $(BIND_SRC))

# Embedding (csrc/include/lua_cdk.h): liblua_cdk.a holds core.so's objects plus the Lua modules
# compiled in (csrc/embed); `make embed` links it into examples/embed/main.c, a program with Lua
# inside, and into examples/embed/core_app.c, which uses the C API without Lua. LUA_LIB is the
# Lua library a program with Lua links.
LUA_LIB ?= $(if $(filter luajit%,$(LUA_NAME)),-lluajit-5.1,-llua$(LUA_VERSION))
LUA_MODULES = $(sort $(wildcard lua/cdk/*.lua))
# The library's modules, which core.so carries precompiled by $(LUA) (csrc/lua/precompiled.c
# uses that bytecode for a module whose file holds the same source); not the command line's.
PRECOMPILED_MODULES = $(filter-out lua/cdk/cli.lua lua/cdk/repl.lua lua/cdk/json.lua lua/cdk/yaml.lua,$(LUA_MODULES))
PRECOMPILED_OBJ = $(BUILD)/obj/precompiled/modules.o
EMBED_LIB = $(BUILD)/liblua_cdk.a
EMBED_OBJ = $(BUILD)/obj/embed/preload.o $(BUILD)/obj/embed/modules.o
EMBED_EXAMPLE = $(BUILD)/embed/lua-cdk-embed
CORE_EXAMPLE = $(BUILD)/embed/core-app

# What building and testing need from Debian; `make deps` installs the missing ones (as root).
DEB_PACKAGES ?= gcc libc6-dev $(LUA_DEB) libcjson-dev lua-busted
DEB_EXTRA ?=
# What only some specs need (spec/install_spec.lua: luarocks; spec/cli/repl_spec.lua: lua-readline,
# the REPL's line editing); `make test` tries to install them and those specs say they were
# skipped when they are missing.
TEST_DEB_OPTIONAL ?= luarocks lua-readline

# busted runs under $(LUA) itself (Debian's /usr/bin/busted would pick plain `lua`).
BUSTED ?= busted
BUSTED_RUN = $(LUA) "$$(command -v $(BUSTED))" --ignore-lua
SPEC_ARGS ?=

# `make test-all` runs `make test` under each of these, building in $(BUILD)-<lua> ($(BUILD) for
# $(LUA) itself): a summary line per Lua, then the sum as the last line.
LUAS ?= lua5.1 lua5.3 lua5.4 luajit

# The sanitizer build and the runtime preloaded into the (uninstrumented) interpreter.
ASAN_BUILD ?= build-asan
# (gcc's -fsanitize=undefined leaves out float-cast-overflow: a double out of an integer's range)
ASAN_CFLAGS ?= -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined,float-cast-overflow
ASAN_PRELOAD ?= $(shell $(CC) -print-file-name=libasan.so) $(shell $(CC) -print-file-name=libubsan.so)
ASAN_ENV = ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	LD_PRELOAD="$(ASAN_PRELOAD)"

# valgrind memcheck over the specs, and over the Lua subprocesses some specs start (through $LUA:
# a wrapper named like the interpreter, in $(BUILD)/valgrind): any error, or anything definitely
# lost, fails. --keep-debuginfo names frames in core.so after Lua has unloaded it at exit.
# spec/support/valgrind.supp holds noise from outside lua-cdk only, each entry with its reason.
VALGRIND ?= valgrind
VALGRIND_FLAGS ?= -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
	--errors-for-leak-kinds=definite --keep-debuginfo=yes --suppressions=$(CURDIR)/spec/support/valgrind.supp
VALGRIND_RUN = $(VALGRIND) $(VALGRIND_FLAGS)

# libFuzzer targets (fuzz/fuzz_*.c) over the core alone, built by clang with ASan + UBSan.
# `make fuzz` runs each for FUZZ_SECONDS, from the kept corpus fuzz/corpus/<target>; new inputs
# go to $(FUZZ_BUILD)/corpus/<target>; `make fuzz-corpus` merges them (minimized) into fuzz/corpus.
FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= token json context
FUZZ_CFLAGS ?= -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1

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

# The objects depend on which Lua headers they were compiled against, so that building for
# another Lua in the same BUILD (`make install LUA=lua5.1`) recompiles instead of linking objects
# made for another Lua.
LUA_STAMP = $(BUILD)/obj/lua-headers$(subst /,-,$(LUA_INCDIR))

$(LUA_STAMP):
	@mkdir -p $(dir $@)
	@rm -f $(BUILD)/obj/lua-headers-*
	@touch $@

$(BUILD)/obj/%.o: csrc/%.c $(HEADERS) $(LUA_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -I$(LUA_INCDIR) $(WARN) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/cdk/core.so: $(OBJ) $(PRECOMPILED_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LIBFLAG) $(CFLAGS) $(SO_LDFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(PRECOMPILED_OBJ) $(LIBS)

$(BUILD)/precompiled/modules.c: csrc/lua/gen_precompiled.lua $(PRECOMPILED_MODULES)
	@mkdir -p $(dir $@)
	$(LUA) csrc/lua/gen_precompiled.lua $@ $(PRECOMPILED_MODULES)

$(PRECOMPILED_OBJ): $(BUILD)/precompiled/modules.c csrc/lua/precompiled.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -Icsrc/lua $(WARN) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/embed/modules.c: csrc/embed/gen_modules.lua $(LUA_MODULES)
	@mkdir -p $(dir $@)
	$(LUA) csrc/embed/gen_modules.lua $@ $(LUA_MODULES)

$(BUILD)/obj/embed/modules.o: $(BUILD)/embed/modules.c csrc/embed/modules.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -fPIC -c $< -o $@

$(EMBED_LIB): $(OBJ) $(PRECOMPILED_OBJ) $(EMBED_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(OBJ) $(PRECOMPILED_OBJ) $(EMBED_OBJ)

$(EMBED_EXAMPLE): examples/embed/main.c csrc/include/lua_cdk.h $(EMBED_LIB)
	@mkdir -p $(dir $@)
	$(CC) -Icsrc/include -I$(LUA_INCDIR) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(EMBED_LIB) $(LUA_LIB) $(LIBS)

$(CORE_EXAMPLE): examples/embed/core_app.c $(HEADERS) $(EMBED_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(EMBED_LIB) $(LIBS)

embed-lib: $(EMBED_LIB)

embed: $(EMBED_EXAMPLE) $(CORE_EXAMPLE)

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
	@$(MAKE) --no-print-directory deps DEB_PACKAGES= DEB_EXTRA="$(TEST_DEB_OPTIONAL)" || \
		echo "test: could not install $(TEST_DEB_OPTIONAL); the specs that need it are skipped" >&2
	@$(MAKE) --no-print-directory -s all embed
	@$(BUSTED_RUN) --cpath="$(BUILD)/?.so" $(SPEC_ARGS)

# The specs with the AWS CDK CLI alone (npm aws-cdk@2, installed on first use into
# ~/.cache/lua-cdk/aws-cdk; pending without npm or the npm registry). `make test` runs them too.
test-cdk-cli:
	@$(MAKE) --no-print-directory test SPEC_ARGS=spec/cli/cdk_cli_spec.lua

test-all:
	@tmp=$$(mktemp -d); \
	for l in $(LUAS); do \
		if [ "$$l" = "$(LUA)" ]; then b="$(BUILD)"; else b="$(BUILD)-$$l"; fi; \
		printf '\n== %s (%s)\n' "$$l" "$$b"; \
		$(MAKE) --no-print-directory test LUA=$$l BUILD=$$b SPEC_ARGS="$(SPEC_ARGS)" 2>&1 | tee $$tmp/log; \
		last=$$(grep -E '^[0-9]+ passed, [0-9]+ failed$$' $$tmp/log | tail -n 1); \
		echo "$$l: $${last:-0 passed, 1 failed (no summary: the build or busted failed)}" >> $$tmp/sums; \
	done; \
	printf '\n== test-all\n'; cat $$tmp/sums; \
	awk '{ p += $$2; f += $$4 } END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' $$tmp/sums; \
	st=$$?; rm -rf $$tmp; exit $$st

asan: deps
	@$(MAKE) --no-print-directory -s BUILD=$(ASAN_BUILD) CFLAGS="$(ASAN_CFLAGS)" all embed

test-asan: asan
	@$(ASAN_ENV) $(BUSTED_RUN) --cpath="$(ASAN_BUILD)/?.so" $(SPEC_ARGS)

test-valgrind: deps
	@$(MAKE) --no-print-directory deps DEB_EXTRA=valgrind
	@$(MAKE) --no-print-directory deps DEB_PACKAGES= DEB_EXTRA="$(TEST_DEB_OPTIONAL)" || \
		echo "test-valgrind: could not install $(TEST_DEB_OPTIONAL); the specs that need it are skipped" >&2
	@$(MAKE) --no-print-directory -s all embed
	@mkdir -p $(BUILD)/valgrind
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(VALGRIND_RUN)' '$(LUA)' > $(BUILD)/valgrind/$(LUA)
	@chmod +x $(BUILD)/valgrind/$(LUA)
	@LUA="$(CURDIR)/$(BUILD)/valgrind/$(LUA)" $(VALGRIND_RUN) $(BUSTED_RUN) --cpath="$(BUILD)/?.so" $(SPEC_ARGS)

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(CORE_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(WARN) $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRC) $(LIBS)

fuzz-build: deps
	@$(MAKE) --no-print-directory deps DEB_EXTRA="clang libclang-rt-dev"
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t $(FUZZ_BUILD)/crashes/$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
		$(FUZZ_BUILD)/fuzz_$$t $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=$(FUZZ_BUILD)/crashes/$$t/ $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t \
			> $(FUZZ_BUILD)/fuzz_$$t.log 2>&1 || { tail -50 $(FUZZ_BUILD)/fuzz_$$t.log; exit 1; }; \
		grep -E '^(Done|stat::number_of_executed_units)' $(FUZZ_BUILD)/fuzz_$$t.log || true; \
	done

fuzz-corpus: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t; \
		$(FUZZ_BUILD)/fuzz_$$t -merge=1 fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t 2>&1 | tail -1; \
	done

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

install: all
	install -d $(DESTDIR)$(INST_LIBDIR)/cdk $(DESTDIR)$(INST_LUADIR)/cdk
	install -m 755 $(BUILD)/cdk/core.so $(DESTDIR)$(INST_LIBDIR)/cdk/core.so
	install -m 644 lua/cdk/*.lua $(DESTDIR)$(INST_LUADIR)/cdk/
	@if [ -f bin/luacdk ]; then \
		echo "install bin/luacdk $(DESTDIR)$(INST_BINDIR)/luacdk (#!/usr/bin/env $(LUA_NAME))"; \
		install -d $(DESTDIR)$(INST_BINDIR) && \
		sed '1s|^#!.*|#!/usr/bin/env $(LUA_NAME)|' bin/luacdk > $(DESTDIR)$(INST_BINDIR)/luacdk && \
		chmod 755 $(DESTDIR)$(INST_BINDIR)/luacdk; \
	fi

clean:
	rm -rf build build-* cdk.out

.PHONY: all embed-lib embed deps test test-all asan test-asan test-valgrind fuzz fuzz-build fuzz-corpus bench synth install clean test-cdk-cli
