# lua-cdk: make builds build/cdk/core.so; make test runs the specs and the conformance cases.
LUA ?= lua5.4
LUA_VERSION ?= 5.4
LUA_INCDIR ?= /usr/include/lua$(LUA_VERSION)
CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Icsrc/core -Icsrc/iam -Icsrc/ecr $(CPPFLAGS)
LIBS = -lcjson -lm
BUILD ?= build

CORE_SRC = $(wildcard csrc/core/*.c)
SERVICE_SRC = $(wildcard csrc/iam/*.c) $(wildcard csrc/ecr/*.c)
BIND_SRC = $(wildcard csrc/lua/*.c)
HEADERS = $(wildcard csrc/*/*.h)
OBJ = $(patsubst csrc/%.c,$(BUILD)/obj/%.o,$(CORE_SRC) $(SERVICE_SRC) $(BIND_SRC))

all: $(BUILD)/cdk/core.so

$(BUILD)/obj/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -I$(LUA_INCDIR) $(WARN) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/cdk/core.so: $(OBJ)
	@mkdir -p $(dir $@)
	$(CC) -shared $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

clean:
	rm -rf build build-* cdk.out

.PHONY: all clean
