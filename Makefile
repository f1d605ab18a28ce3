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

LIBDIRS  := common policy learn db jail trap notify tracer core cli
LIBSRC   := $(filter-out cli/main.c,$(foreach d,$(LIBDIRS),$(wildcard $(d)/*.c)))
LIBOBJ   := $(patsubst %.c,$(B)/%.o,$(LIBSRC)) $(B)/gen/shipped.o
UNITSRC  := $(wildcard tests/unit/test_*.c)
UNITBIN  := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNITSRC))
KERNSRC  := $(wildcard tests/kernel/test_*.c)
KERNBIN  := $(patsubst tests/kernel/%.c,$(B)/ktests/%,$(KERNSRC))
BENCHSRC := $(wildcard bench/*.c)
BENCHBIN := $(patsubst bench/%.c,$(B)/bench/%,$(BENCHSRC))

.PHONY: all deps check unit kernel e2e demo bench soak install clean tests fuzz libsupervise install-lib
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

$(B)/libsv-internal.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/supervise: $(B)/cli/main.o $(B)/libsv-internal.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libsv-internal.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(B)/libsv-internal.a $(LDLIBS) -lcmocka

$(B)/ktests/%: tests/kernel/%.c $(B)/libsv-internal.a tests/kernel/ktest.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(B)/libsv-internal.a $(LDLIBS)

$(B)/bench/%: bench/%.c $(B)/libsv-internal.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(B)/libsv-internal.a $(LDLIBS)

# libsupervise (issue 15, doc/libsupervise.md): the public library, shared and static, made of
# the same sources as supervise compiled position-independent with hidden symbols, so that only
# the sv_* functions of lib/supervise.h leave it (plus lib/libsupervise.map for the shared one).
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
SV_SO      := libsupervise.so.0
SVSRC      := $(wildcard lib/*.c)
SVPIC      := $(patsubst %.c,$(B)/pic/%.o,$(LIBSRC) $(SVSRC)) $(B)/pic/gen/shipped.o
SV_CFLAGS  := -fPIC -fvisibility=hidden -DSV_BUILDING_LIBRARY
SV_NOUNDEF := $(if $(filter 1,$(SAN)),,-Wl,--no-undefined)

$(B)/pic/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SV_CFLAGS) -c -o $@ $<

$(B)/pic/gen/shipped.o: $(B)/gen/shipped.c core/shipped.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SV_CFLAGS) -c -o $@ $<

$(B)/lib/$(SV_SO): $(SVPIC) lib/libsupervise.map
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SV_SO) -Wl,--version-script=lib/libsupervise.map \
		$(SV_NOUNDEF) -o $@ $(SVPIC) $(LDLIBS)

# one relocatable object whose hidden symbols are made local: the library's internal names
# (die, db_open, ...) cannot clash with a program's
$(B)/lib/libsupervise.a: $(SVPIC)
	@mkdir -p $(dir $@)
	$(CC) -r -nostdlib -o $(B)/lib/libsupervise.o $(SVPIC)
	objcopy --localize-hidden $(B)/lib/libsupervise.o
	@rm -f $@
	ar rcs $@ $(B)/lib/libsupervise.o

libsupervise: $(B)/lib/$(SV_SO) $(B)/lib/libsupervise.a

install-lib: libsupervise
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man3
	install -m 0755 $(B)/lib/$(SV_SO) $(DESTDIR)$(LIBDIR)/libsupervise.so.$(VERSION)
	ln -sf libsupervise.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SV_SO)
	ln -sf $(SV_SO) $(DESTDIR)$(LIBDIR)/libsupervise.so
	install -m 0644 $(B)/lib/libsupervise.a $(DESTDIR)$(LIBDIR)/libsupervise.a
	install -m 0644 lib/supervise.h $(DESTDIR)$(INCLUDEDIR)/supervise.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|' lib/libsupervise.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/libsupervise.pc
	$(if $(wildcard doc/man3/*.3),install -m 0644 $(wildcard doc/man3/*.3) $(DESTDIR)$(MANDIR)/man3/)

# The library's tests build against the copy `make install DESTDIR=$(SVDEST)` made, never the
# build tree: the installed header, pkg-config file and libraries (tests/lib/run.sh runs them).
SVDEST   := $(abspath $(B))/destdir
SVLIB    := $(SVDEST)$(LIBDIR)
SVPC     := PKG_CONFIG_PATH=$(SVLIB)/pkgconfig PKG_CONFIG_SYSROOT_DIR=$(SVDEST) pkg-config
SVTSRC   := tests/lib/test_lib.c examples/extract.c
SVTBIN   := $(B)/libtests/test_lib $(B)/libtests/test_lib_static $(if $(wildcard examples/extract.c),$(B)/libtests/sv-extract)

$(SVDEST)/.installed: $(B)/supervise $(B)/lib/$(SV_SO) $(B)/lib/libsupervise.a lib/supervise.h \
		      lib/libsupervise.pc.in $(wildcard doc/man3/*.3)
	rm -rf $(SVDEST)
	$(MAKE) --no-print-directory install B=$(B) SAN=$(SAN) CC=$(CC) DESTDIR=$(SVDEST)
	touch $@

# rpath relative to the binary, so that tests/lib/run.sh may copy the tree for another user
$(B)/libtests/%: tests/lib/%.c $(SVDEST)/.installed
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $$($(SVPC) --cflags --libs libsupervise) \
		-Wl,-rpath,'$$ORIGIN/../destdir$(LIBDIR)'

$(B)/libtests/test_lib_static: tests/lib/test_lib.c $(SVDEST)/.installed
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $$($(SVPC) --cflags libsupervise) \
		$$($(SVPC) --static --libs libsupervise | sed 's/-lsupervise/-l:libsupervise.a/')

$(B)/libtests/sv-extract: examples/extract.c $(SVDEST)/.installed
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $$($(SVPC) --cflags --libs libsupervise) \
		-Wl,-rpath,'$$ORIGIN/../destdir$(LIBDIR)'

tests: $(B)/supervise $(UNITBIN) $(KERNBIN) $(BENCHBIN) $(SVTBIN)

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
FUZZPURE := common/util.c common/event.c common/path.c common/strmap.c core/ctlmsg.c \
            policy/policy.c policy/parse.c policy/escape.c policy/match.c policy/render.c \
            policy/netrule.c policy/options.c policy/desktop.c policy/sysgroups.c learn/learn.c learn/classify.c learn/render.c \
            learn/tree.c learn/want.c
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

# make valgrind: the unit and kernel tiers under memcheck, with the patched valgrind that
# tools/valgrind/build.sh builds into /opt/valgrind-sv (not in CI: that build takes minutes).
.PHONY: valgrind
valgrind: deps
	@$(MAKE) --no-print-directory tests
	@B=$(B) ./tools/valgrind/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@B=$(B) ./tools/demo.sh

bench: deps
	@$(MAKE) --no-print-directory tests
	@B=$(B) ./bench/run.sh

# make soak: load and soak of the supervisor (bench/soak.sh; SOAK_S=1800 by default).
soak: deps
	@$(MAKE) --no-print-directory tests
	@B=$(B) ./bench/soak.sh

install: $(B)/supervise install-lib
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
