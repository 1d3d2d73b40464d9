/* Per-interface sysctls through procfs (see if_sysctl.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "if_sysctl.h"

/* "/proc/sys/net/ipv6/conf/" + name + "/" + key: the longest key we use
 * is far below this. */
#define SYSCTL_PATH_MAX 128

static int sysctl_path(int family, const char *ifname, const char *key, char *buf,
		       size_t len)
{
	int n;

	if ((family != AF_INET && family != AF_INET6) || ifname[0] == '\0' ||
	    strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/') || strchr(key, '/'))
		return -EINVAL;
	n = snprintf(buf, len, "/proc/sys/net/%s/conf/%s/%s",
		     family == AF_INET ? "ipv4" : "ipv6", ifname, key);
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

int if_sysctl_get(int family, const char *ifname, const char *key, int *out)
{
	char path[SYSCTL_PATH_MAX], text[32], *end;
	ssize_t n;
	long v;
	int fd, rc = sysctl_path(family, ifname, key, path, sizeof(path));

	if (rc < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc < 0)
		return rc;
	text[n] = '\0';
	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || errno || v < -2147483647L || v > 2147483647L ||
	    (*end != '\n' && *end != '\0'))
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int if_sysctl_set(int family, const char *ifname, const char *key, int value)
{
	char path[SYSCTL_PATH_MAX], text[16];
	int fd, len, rc = sysctl_path(family, ifname, key, path, sizeof(path));

	if (rc < 0)
		return rc;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(text, sizeof(text), "%d\n", value);
	errno = 0;
	if (write(fd, text, (size_t)len) != len)
		rc = errno ? -errno : -EIO;
	close(fd);
	return rc;
}
