/* Script security (global_defs enable_script_security): a program is run
 * only if nobody but root, and the user it runs as, could have changed it.
 *
 * A path is safe when, walking it from / down and following every symbolic
 * link to its target (the directories a link sits in and those of its
 * target are all checked), every directory and the final file is
 *  - owned by root or by the user the program runs as ("trusted"),
 *  - not writable by a group other than root's (gid 0, whose members are
 *    treated as root), and
 *  - not writable by others.
 * A directory writable by a group or others is still accepted when it has
 * the sticky bit (like /tmp): only an entry's owner may then replace it, and
 * every entry on the path is itself required to be trusted-owned, symbolic
 * links in such a directory included.  Outside sticky directories the owner
 * of a symbolic link does not matter (nobody but the directory's writers
 * can replace a link).  The final file must be a regular file with at least
 * one execute bit.
 *
 * The checks read the file system: run them at configuration time. */
#ifndef KA_SCRIPT_SEC_H
#define KA_SCRIPT_SEC_H

#include <stddef.h>
#include <sys/types.h>

struct proc_cmd;

/* Resolve the program word of a command into a path in `out`: a word with
 * a '/' is taken as is (relative to the current directory if not absolute);
 * a bare name is looked up in PROC_PATH like the exec will, taking the
 * first regular file with an execute bit.  Returns 0, or -1 with a reason
 * in `why` ("no-such-cmd: not found in /usr/sbin:/usr/bin:/sbin:/bin"). */
int script_sec_resolve(const char *prog, char *out, size_t outlen, char *why, size_t whylen);

/* Whether `path` is safe to run as `runs_as` (see above).  Returns 0 if
 * safe, -1 if not or if the path cannot be examined, with a reason in `why`
 * ("/tmp/x.sh is writable by group nogroup"). */
int script_sec_check(const char *path, uid_t runs_as, char *why, size_t whylen);

/* Check what `cmd` would execute as `runs_as`: its program resolved as by
 * script_sec_resolve, and in shell mode PROC_SHELL too.  A shell command
 * whose program cannot be told (it starts with shell syntax such as
 * "$DIR/x" or "(...)") is refused.  Returns 0 or -1 with a reason. */
int script_sec_check_cmd(const struct proc_cmd *cmd, uid_t runs_as, char *why, size_t whylen);

#endif
