bin_PROGRAMS += genhash/genhash
genhash_genhash_SOURCES = genhash/genhash.c check/check_tls.c
genhash_genhash_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/check $(OPENSSL_CFLAGS)
genhash_genhash_LDADD = check/libcheck.a lib/libka.a $(OPENSSL_LIBS)
