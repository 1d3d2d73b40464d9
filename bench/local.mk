# The reference prober of bench/checker_scale.py (built, never installed).
noinst_PROGRAMS += bench/tcp_floor
bench_tcp_floor_SOURCES = bench/tcp_floor.c
