"""Start and observe our keepalived from the outside: its log, its pid
files, its processes, the signals an operator would send."""
import os
import re
import signal
import subprocess
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("KEEPALIVED_BIN", os.path.join(REPO, "keepalived", "keepalived"))
# The reference implementation (Debian's keepalived 2.2.7) that the VRRP
# tests are validated against, and that the interop tests pair ours with.
# genhash is built next to keepalived: BUILD/keepalived/keepalived, BUILD/genhash/genhash.
GENHASH = os.environ.get("GENHASH_BIN", os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(BINARY))), "genhash", "genhash"))
DEBIAN_BINARY = os.environ.get("KEEPALIVED_DEBIAN_BIN", "/usr/sbin/keepalived")
IMPLS = {"ours": BINARY, "debian": DEBIAN_BINARY}
# Extra arguments per implementation: Debian's also logs to syslog unless -G.
IMPL_ARGS = {"ours": [], "debian": ["-G"]}


def wait_for(predicate, timeout=10.0, interval=0.05, what="condition"):
    """Poll `predicate` until it returns a true value; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): look at its state.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def write_config_file(tmp_path, text, name="keepalived.conf"):
    """Write `text` as tmp_path/name (subdirectories created); its path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def expand_path(lines, path):
    """Expected diagnostics with "{f}" standing for the config file's path."""
    return [l.replace("{f}", str(path)) for l in lines]


def config_test(path, *extra):
    """Run `keepalived -t -f path`; return (exit status, stderr lines)."""
    p = subprocess.run([BINARY, "-t", "-f", str(path)] + list(extra),
                       text=True, capture_output=True, timeout=60)
    return p.returncode, p.stderr.splitlines()


class Daemon:
    """keepalived -n -l -D with its pid files and log in `workdir`.

    impl: "ours" (KEEPALIVED_BIN, the default) or "debian" (/usr/sbin/keepalived)."""

    def __init__(self, workdir, config_text, netns=None, extra_args=(), impl="ours"):
        if impl not in IMPLS:
            raise ValueError("unknown keepalived implementation %r" % impl)
        self.impl = impl
        self.binary = IMPLS[impl]
        self.dir = str(workdir)
        self.conf = os.path.join(self.dir, "keepalived.conf")
        self.pidfile = os.path.join(self.dir, "keepalived.pid")
        self.vrrp_pidfile = os.path.join(self.dir, "vrrp.pid")
        self.check_pidfile = os.path.join(self.dir, "checkers.pid")
        self.logpath = os.path.join(self.dir, "keepalived.log")
        # Ours only: the control socket and dumps, apart from any other daemon's.
        self.run_dir = os.path.join(self.dir, "run")
        self.netns = netns
        self.extra_args = list(extra_args)
        self.proc = None
        self.env = None  # the environment to start with (None: ours)
        self._log = None
        self.write_config(config_text)

    def write_config(self, text):
        with open(self.conf, "w") as f:
            f.write(text)

    def argv(self):
        cmd = [self.binary, "-n", "-l", "-D", "-f", self.conf, "-p", self.pidfile,
               "-r", self.vrrp_pidfile, "-c", self.check_pidfile] + IMPL_ARGS[self.impl]
        if self.impl == "ours":
            cmd += ["--run-dir", self.run_dir]
        cmd += self.extra_args
        if self.netns:
            cmd = ["ip", "netns", "exec", self.netns] + cmd
        return cmd

    def start(self):
        """Start (or, once the previous run has exited, start again: the log
        file is appended to)."""
        if self._log:
            self._log.close()
        self._log = open(self.logpath, "ab")
        self.proc = subprocess.Popen(self.argv(), stdout=self._log, stderr=subprocess.STDOUT,
                                     env=self.env)
        return self

    def log(self):
        with open(self.logpath, errors="replace") as f:
            return f.read()

    def wait_log(self, pattern, timeout=10.0, count=1):
        """Wait until `pattern` (a regex) matches `count` times in the log."""
        rx = re.compile(pattern)
        try:
            return wait_for(lambda: len(rx.findall(self.log())) >= count, timeout,
                            what="log line /%s/ x%d" % (pattern, count))
        except AssertionError as e:
            raise AssertionError("%s; log at the deadline:\n%s" % (e, self.log())) from None

    @staticmethod
    def read_pid(path):
        try:
            with open(path) as f:
                return int(f.read().strip())
        except (FileNotFoundError, ValueError):
            return None

    def pid(self):
        return self.read_pid(self.pidfile)

    def vrrp_pid(self):
        return self.read_pid(self.vrrp_pidfile)

    def check_pid(self):
        return self.read_pid(self.check_pidfile)

    def signal(self, signo):
        os.kill(self.pid(), signo)

    def wait_exit(self, timeout=20.0):
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        return self.proc.returncode if self.proc else None
