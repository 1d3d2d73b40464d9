/* Per-interface network sysctls, /proc/sys/net/ipv4/conf/IF/KEY and
 * /proc/sys/net/ipv6/conf/IF/KEY, read and written as integers.  procfs
 * answers at once, so these plain file operations never wait on anything. */
#ifndef KA_IF_SYSCTL_H
#define KA_IF_SYSCTL_H

/* Read KEY of interface `ifname` for `family` (AF_INET or AF_INET6) into
 * *out.  0, or -errno (-ENOENT: no such interface or key, e.g. IPv6
 * disabled in the kernel; -EINVAL: not an integer). */
int if_sysctl_get(int family, const char *ifname, const char *key, int *out);

/* Write `value` to KEY of interface `ifname`.  0 or -errno. */
int if_sysctl_set(int family, const char *ifname, const char *key, int value);

#endif
