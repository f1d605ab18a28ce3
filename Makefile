# supervise - build, test, bench and install.  See doc/HACKING.md.
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/supervise
VERSION  := 0.1.0

CC       ?= cc
PKGS     := libseccomp sqlite3 libunwind-ptrace
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
            -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu17 $(WARN) -fstack-protector-strong -D_GNU_SOURCE \
            -DSUPERVISE_VERSION='"$(VERSION)"' -DSUPERVISE_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS)
LDFLAGS  += -Wl,-z,relro,-z,now -pthread
LDLIBS   += $(PKG_LIBS)

# SAN=1 builds everything with ASan+UBSan into build-san/.
ifeq ($(SAN),1)
B        := build-san
CFLAGS   += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
else
B        := build
CFLAGS   += -D_FORTIFY_SOURCE=3
endif

LIBDIRS  := common policy learn db core jail notify tracer cli
LIBSRC   := $(filter-out cli/main.c,$(foreach d,$(LIBDIRS),$(wildcard $(d)/*.c)))
LIBOBJ   := $(patsubst %.c,$(B)/%.o,$(LIBSRC)) $(B)/gen/shipped.o
UNITSRC  := $(wildcard tests/unit/test_*.c)
UNITBIN  := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNITSRC))
KERNSRC  := $(wildcard tests/kernel/test_*.c)
KERNBIN  := $(patsubst tests/kernel/%.c,$(B)/ktests/%,$(KERNSRC))
BENCHSRC := $(wildcard bench/*.c)
BENCHBIN := $(patsubst bench/%.c,$(B)/bench/%,$(BENCHSRC))

.PHONY: all deps check unit kernel e2e demo bench install clean tests fuzz
all: $(B)/supervise

$(B)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# the shipped profiles, compiled in (tools/embed.sh)
$(B)/gen/shipped.c: $(wildcard policies/*.profile) tools/embed.sh
	@mkdir -p $(dir $@)
	./tools/embed.sh $(wildcard policies/*.profile) > $@

$(B)/gen/shipped.o: $(B)/gen/shipped.c core/shipped.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libsupervise.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/supervise: $(B)/cli/main.o $(B)/libsupervise.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libsupervise.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(B)/libsupervise.a $(LDLIBS) -lcmocka

$(B)/ktests/%: tests/kernel/%.c $(B)/libsupervise.a tests/kernel/ktest.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(B)/libsupervise.a $(LDLIBS)

$(B)/bench/%: bench/%.c $(B)/libsupervise.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(B)/libsupervise.a $(LDLIBS)

tests: $(B)/supervise $(UNITBIN) $(KERNBIN) $(BENCHBIN)

deps:
	@./tools/deps.sh

# make fuzz FUZZ_S=N: the libFuzzer targets of tests/fuzz/ (clang, ASan+UBSan, every UBSan report
# fatal), built with the pure objects they test into build-fuzz/, each run N seconds on a copy of
# its corpus by tests/fuzz/run.sh, which fails on any crash, leak or report. See doc/HACKING.md.
FUZZ_S   ?= 10
FUZZ_CC  ?= clang
FB       := build-fuzz
FUZZ_CFLAGS := -std=gnu17 $(WARN) -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer \
            -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
            $(shell pkg-config --cflags libseccomp 2>/dev/null)
FUZZ_LIBS := $(shell pkg-config --libs libseccomp 2>/dev/null || echo -lseccomp)
FUZZPURE := common/util.c common/event.c common/path.c common/strmap.c policy/policy.c \
            policy/netrule.c policy/sysgroups.c learn/learn.c learn/classify.c learn/render.c
FUZZSRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZBIN  := $(patsubst tests/fuzz/%.c,$(FB)/%,$(FUZZSRC))

$(FB)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/libpure.a: $(patsubst %.c,$(FB)/%.o,$(FUZZPURE))
	@rm -f $@
	ar rcs $@ $^

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FB)/libpure.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FB)/libpure.a $(FUZZ_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZBIN)
	@FUZZ_S=$(FUZZ_S) ./tests/fuzz/run.sh $(FUZZBIN)

# make check: every tier; prints "N passed, N failed" last.
check: deps
	@$(MAKE) --no-print-directory tests
	@B=$(B) ./tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@B=$(B) ./tools/demo.sh

bench: deps
	@$(MAKE) --no-print-directory tests
	@B=$(B) ./bench/run.sh

install: $(B)/supervise
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DATADIR)/policies
	install -m 0755 $(B)/supervise $(DESTDIR)$(BINDIR)/supervise
	# the pages name the default DATADIR; the installed ones name this one
	for m in man1/supervise.1 man5/supervise.profile.5; do \
		sed 's|/usr/local/share/supervise|$(DATADIR)|g' doc/$${m#*/} > $(DESTDIR)$(MANDIR)/$$m && \
		chmod 0644 $(DESTDIR)$(MANDIR)/$$m || exit 1; \
	done
	install -m 0644 policies/*.profile $(DESTDIR)$(DATADIR)/policies/

clean:
	rm -rf build build-san build-clang
