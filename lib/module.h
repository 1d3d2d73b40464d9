/* Optional parts of the daemon, in shared objects loaded on first use.
 *
 * SSL_GET needs OpenSSL and the SNMP subagent needs net-snmp (which pulls
 * in Perl, Kerberos and more).  Linked into the binary, every process maps
 * and relocates them at exec: about 4 MiB of RSS per process, for features
 * most configurations never use.  So they live in modules that a process
 * loads when its configuration first asks for them.
 *
 * A module exports one table of functions, which starts with a struct
 * module_head: the loader refuses a module built from another version or
 * with another table layout rather than call into it.  The functions of a
 * table are plain C; the module may call back into the binary only
 * through the symbols keepalived/module_exports.list exports.
 *
 * Where modules are looked for: the directory of our own executable first
 * (in a build tree the binary and its modules sit side by side), then
 * KA_MODULE_DIR (`make install` puts them in $(pkglibdir)).  The file
 * must belong to root (or to us) and not be writable by anyone else: the
 * daemon runs as root and would run its code. */
#ifndef KA_MODULE_H
#define KA_MODULE_H

#include <stddef.h>
#include <stdint.h>

struct module_head {
	uint32_t abi;			/* the table's layout version */
	const char *version;		/* PACKAGE_VERSION of the module's build */
};

/* Load `file` (a bare name such as "keepalived-tls.so") and return its
 * table `symbol`, checked against `abi` and our PACKAGE_VERSION.  Loaded
 * once per process: later calls return the same table.  NULL with the
 * reason (the paths tried, the loader's message) in `err`. */
const struct module_head *module_load(const char *file, const char *symbol, uint32_t abi,
				      char *err, size_t len);

#endif
