"""Run untrusted notebook code in an isolated process.

A *zygote* (``python -m autograder.grading.sandbox``) starts once per grading command,
imports numpy (and matplotlib and sympy when the assignment uses them), forks one
server per grading worker, and never sees a test or a solution. For each
submission a server forks a helper, which forks the sandbox process itself:

- the sandbox unshares user, mount, PID, network and IPC namespaces (the helper,
  still privileged, writes its uid/gid maps; as root the sandbox later drops to a uid of its own);
- in its mount namespace it builds a fresh root on a tmpfs holding only the
  system and Python directories (read-only) and an empty ``/work``, then
  chroots there: no project files, tests, solutions or other submissions;
- it forks once more so the student code runs as PID 1 of the new PID
  namespace: killing that process kills every process the student started;
- rlimits cap memory, CPU time, file size, processes and open files.

Where namespaces are not allowed (compute nodes often forbid them; ``XENT_SANDBOX_ISOLATION=limited``
forces this), the sandbox falls back to the strongest isolation left: a separate process in its own
session, an unprivileged uid of its own when the grader is root, rlimits, a private temporary folder,
and, where the kernel has Landlock, no file access outside the system and Python directories (read-only)
and that folder, no TCP, and no signals out of the sandbox. It reports ``mode: "limited+landlock"`` or
``"limited"``, which each result records, so the grader can warn.

The sandbox then serves requests from the trusted side over a socket, one
length-prefixed JSON message at a time: run a cell, list names, get a value,
call a function. Answers are plain data (see codec.py).
"""

from __future__ import annotations

import array
import ctypes
import io
import json
import os
import resource
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import Path

from autograder.processes import run_on

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
PR_CAPBSET_DROP, PR_SET_SECUREBITS, PR_SET_NO_NEW_PRIVS = 24, 28, 38
SECURE_NOROOT_LOCKED = 0x3  # SECBIT_NOROOT and its lock: exec as uid 0 grants no capabilities
CAPABILITY_VERSION_3 = 0x20080522
# As the machine's root, each sandbox runs as a uid of its own (this base plus its helper's pid): not
# ``nobody``, whose process count (RLIMIT_NPROC is per uid) a fork bomb would share with every other
# sandbox and with the machine's own daemons running as nobody.
SANDBOX_ID_BASE = 1 << 20
# The only variables of the grader's environment a sandbox sees: the rest may hold the instructor's
# tokens, and a student function could put them in an error message that feedback shows.
KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                    "MKL_NUM_THREADS", "MPLBACKEND", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE")
HEADER = struct.Struct("!I")
OUTPUT_CAP = 64 * 1024
REPLY_LIMIT = 32 * 1024 * 1024  # bytes of one reply to the trusted side; a larger one is that call's error


# ---------------------------------------------------------------- framing (both sides)

def send_message(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(HEADER.pack(len(payload)) + payload)


def recv_exact(sock: socket.socket, size: int, deadline: float | None = None) -> bytes:
    """*size* bytes from *sock*; with a *deadline* (time.monotonic()), the whole read must finish by then.

    One deadline for the whole message, not one per ``recv``: a peer that dribbles a byte at a time
    would otherwise hold the reader for as long as it likes.
    """
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("reply not complete before the deadline")
            ready, _, _ = select.select([sock], [], [], left)
            if not ready:
                raise TimeoutError("reply not complete before the deadline")
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv_message(sock: socket.socket, limit: int, deadline: float | None = None) -> bytes:
    """One length-prefixed message of at most *limit* bytes (the size is checked before anything is read)."""
    (size,) = HEADER.unpack(recv_exact(sock, HEADER.size, deadline))
    if size > limit:
        raise EOFError(f"message of {size} bytes exceeds the limit")
    return recv_exact(sock, size, deadline)


# ---------------------------------------------------------------- isolation (sandbox side)

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source, target, fstype, flags, data=None) -> None:
    _check(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), flags,
                       data and data.encode()), f"mount {target}")


def _needed_paths() -> list[str]:
    """Directories the sandboxed interpreter needs: system and Python installation, never the project."""
    paths = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc"]
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        paths.append(prefix)
    for entry in sys.path:
        if entry and "site-packages" in entry or entry.endswith(".zip"):
            paths.append(entry)
    return paths


def _mount_point() -> str:
    """An existing directory to build the new root on, not holding anything the sandbox needs."""
    needed = [os.path.realpath(p) for p in _needed_paths() if os.path.lexists(p)]
    for candidate in ("/mnt", "/media", "/srv", "/opt", "/home", "/var/tmp"):
        if os.path.isdir(candidate) and not any(p == candidate or p.startswith(candidate + "/") for p in needed):
            return candidate
    raise OSError("no directory to mount the sandbox root on (tried /mnt, /media, /srv, /opt, /home, /var/tmp)")


def _build_root(root: str) -> None:
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=0755")
    done = set()
    for path in _needed_paths():
        if not os.path.lexists(path) or path in done:
            continue
        done.add(path)
        real = os.path.realpath(path)
        target = root + path
        if os.path.islink(path):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.lexists(target):
                os.symlink(os.readlink(path), target)
            path = real
            target = root + real
            if real in done or not os.path.isdir(real):
                continue
            done.add(real)
        if os.path.lexists(target) and os.path.ismount(target):
            continue
        os.makedirs(target, exist_ok=True)
        _mount(real, target, None, MS_BIND | MS_REC)
        try:
            _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
        except OSError:
            pass  # locked flags: the unprivileged uid still keeps writes out
    os.makedirs(root + "/dev", exist_ok=True)
    for device in ("null", "zero", "urandom", "random"):
        target = f"{root}/dev/{device}"
        open(target, "w").close()
        _mount(f"/dev/{device}", target, None, MS_BIND)
    for folder in ("/work", "/tmp", "/proc"):
        os.makedirs(root + folder, mode=0o777, exist_ok=True)
        os.chmod(root + folder, 0o1777 if folder != "/proc" else 0o555)


ISOLATION_VARIABLE = "XENT_SANDBOX_ISOLATION"  # "limited": use the fallback even where namespaces work
_FORCED_LIMITED = False  # set in the zygote from its command line (the trusted side read the variable)
LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446  # one number on every arch
LANDLOCK_CREATE_RULESET_VERSION, LANDLOCK_RULE_PATH_BENEATH = 1, 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2


def _landlock_ruleset(private: str) -> int | None:
    """A Landlock ruleset (fd) for a sandbox without namespaces, or None where the kernel has none.

    Everything the kernel's ABI can restrict is handled; allowed are reading and executing the system and
    Python directories, /proc and the harmless devices, writing /dev/null, and everything inside the
    sandbox's private folder. No rule for TCP: no connect or bind. Scoped: no signal to, and no abstract
    socket of, a process outside the sandbox."""
    syscall = _libc.syscall
    abi = syscall(LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    if abi < 1:
        return None
    fs = (1 << 13) - 1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0) \
        | (FS_IOCTL_DEV if abi >= 5 else 0)
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    attr = struct.pack("=QQQ", fs, net, scoped)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    ruleset = syscall(LANDLOCK_CREATE_RULESET, ctypes.create_string_buffer(attr, len(attr)), len(attr), 0)
    if ruleset < 0:
        return None
    on_files = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | (fs & (FS_TRUNCATE | FS_IOCTL_DEV))
    read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
    rules = [(path, read) for path in [*_needed_paths(), "/proc", "/dev/zero", "/dev/urandom", "/dev/random"]]
    rules += [("/dev/null", FS_READ_FILE | FS_WRITE_FILE), (private, fs)]
    try:
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue  # not on this machine
            try:
                if not os.path.isdir(path):
                    access &= on_files
                rule = struct.pack("=Qi", access, fd)
                _check(syscall(LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH,
                               ctypes.create_string_buffer(rule, len(rule)), 0), f"landlock rule {path}")
            finally:
                os.close(fd)
    except OSError:
        os.close(ruleset)
        return None
    return ruleset


def _isolate() -> str:
    """In the sandbox process: enter namespaces and a minimal root. Returns the isolation mode.

    As root, no user namespace is needed (or useful: its root would map to a real
    uid): the process unshares the other namespaces and later drops to an unprivileged uid.
    Otherwise a user namespace maps our own uid to root inside it, which is what
    allows the other namespaces, the mounts and the chroot.
    """
    base = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
    uid, gid = os.geteuid(), os.getegid()
    if _FORCED_LIMITED:
        os.setsid()
        return "limited"
    if uid == 0 and _libc.unshare(base) == 0:
        mode = "namespaces"
    elif uid != 0 and _libc.unshare(base | CLONE_NEWUSER) == 0:
        mode = "namespaces"
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"0 {gid} 1")
    else:
        os.setsid()
        return "limited"
    root = _mount_point()
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _build_root(root)
    os.chroot(root)
    os.chdir("/work")
    return mode


def _drop_privileges(sandbox_id: int) -> None:
    """Leave the student code no way to undo the isolation.

    As the machine's root we become the sandbox's own unprivileged uid, which clears every capability. In a user namespace the
    process stays uid 0 there with every capability of that namespace: enough to chroot again, walk out
    to the real root and read the grader's files, or to remount the read-only directories writable. So
    empty the bounding set, lock the securebits (an exec as uid 0 regains nothing), then clear the
    capability sets. No new privileges either way (set-uid programs stay ordinary programs).
    """
    if os.geteuid() == 0 and _real_root():
        os.setgroups([])
        os.setgid(sandbox_id)
        os.setuid(sandbox_id)
    elif os.geteuid() == 0:
        for cap in range(64):
            if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                break  # past the last capability this kernel knows
        _check(_libc.prctl(PR_SET_SECUREBITS, SECURE_NOROOT_LOCKED, 0, 0, 0), "prctl securebits")
        header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
        data = (ctypes.c_uint32 * 6)()
        _check(_libc.capset(header, data), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl no_new_privs")


def _limit(limits: dict) -> None:
    memory = int(limits["memory_mb"]) * 1024 * 1024
    cpu = int(limits["cpu_seconds"])
    for name, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                        (resource.RLIMIT_FSIZE, 16 * 1024 * 1024), (resource.RLIMIT_NOFILE, 256),
                        (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NPROC, int(limits.get("processes", 64)))):
        try:
            resource.setrlimit(name, (value, value))
        except (ValueError, OSError):
            pass


def _spawn(channel_fd: int, limits: dict) -> None:
    """In the zygote's forked helper: isolate, then become the sandbox's parent. Never returns."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        mode = _isolate()
        _run_init(channel_fd, limits, mode)
    except BaseException:  # noqa: BLE001 - the sandbox must never fall back into zygote code
        traceback.print_exc()
    os._exit(70)


def _run_init(channel_fd: int, limits: dict, mode: str) -> None:
    """Fork the process that runs student code: PID 1 of the new PID namespace when there is one."""
    sandbox_id = SANDBOX_ID_BASE + os.getpid()  # the helper's pid: unique while the sandbox lives
    # Without a minimal root the sandbox still gets a private working folder (its /tmp and HOME too), so
    # nothing it writes, matplotlib's cache included, lands beside other files; removed once it is gone.
    private = _private_folder(sandbox_id) if mode == "limited" else None
    ruleset = _landlock_ruleset(private) if private else None
    if ruleset is not None:
        mode = "limited+landlock"
    child = os.fork()
    if child:
        # Tell the trusted side whom to kill: this pid, as the zygote's namespace sees it.
        sock = socket.socket(fileno=channel_fd)
        send_message(sock, json.dumps({"hello": True, "pid": child, "mode": mode}).encode())
        sock.detach()
        os.close(channel_fd)
        if ruleset is not None:
            os.close(ruleset)
        _, status = os.waitpid(child, 0)
        if private:
            shutil.rmtree(private, ignore_errors=True)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    # A session and process group of its own, in every mode: a signal to "my process group" (kill(0, ...),
    # killpg(getpgid(0), ...)) then reaches only this sandbox, never the zygote, a server or another
    # sandbox; the trusted side kills this group, descendants included.
    os.setsid()
    if mode != "limited":
        try:
            _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV)
        except OSError:
            pass
    _drop_privileges(sandbox_id)
    if ruleset is not None:  # after no_new_privs; a sandbox that reported Landlock never runs without it
        if _libc.syscall(LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            os._exit(71)
        os.close(ruleset)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, channel_fd)
    os.closerange(channel_fd + 1, 4096)
    kept = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
    os.environ.clear()
    home = private or "/work"
    os.environ.update(kept, HOME=home, TMPDIR=private or "/tmp", MPLCONFIGDIR=private or "/tmp")
    if private:
        os.chdir(private)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _limit(limits)
    Server(socket.socket(fileno=channel_fd)).serve()
    os._exit(0)


def _private_folder(sandbox_id: int) -> str | None:
    """A fresh folder for a sandbox without a minimal root, owned by the uid the sandbox will run as."""
    try:
        folder = tempfile.mkdtemp(prefix="xent-sandbox-")
        if os.geteuid() == 0 and _real_root():
            os.chown(folder, sandbox_id, sandbox_id)
        return folder
    except OSError:
        return None


def _real_root() -> bool:
    """True when uid 0 here is the machine's root (no user namespace maps it)."""
    try:
        with open("/proc/self/uid_map") as handle:
            return handle.read().split()[:3] == ["0", "0", "4294967295"]
    except OSError:
        return True


# ---------------------------------------------------------------- the sandbox's request loop

class CellTimeout(BaseException):
    """Raised by the per-cell alarm inside the sandbox."""


class _CappedOutput(io.TextIOBase):
    def __init__(self):
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def write(self, text):
        text = str(text)
        room = OUTPUT_CAP - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output dropped]"
        self.parts, self.size, self.dropped = [], 0, 0
        return text


class Server:
    def __init__(self, sock: socket.socket):
        from autograder.grading import codec

        self.codec = codec
        self.sock = sock
        self.namespace: dict = {"__name__": "__main__", "__builtins__": __builtins__}
        self.output = _CappedOutput()

    def serve(self) -> None:
        signal.signal(signal.SIGALRM, self._alarm)
        while True:
            try:
                request = json.loads(recv_message(self.sock, 256 * 1024 * 1024))
            except (EOFError, OSError):
                return
            op = request.get("op")
            try:
                reply = getattr(self, f"op_{op}")(request)
            except BaseException as exc:  # noqa: BLE001 - report, keep serving
                reply = {"ok": False, "error": self._describe(exc)}
            if reply is None:
                return
            try:
                payload = json.dumps(reply, separators=(",", ":")).encode()
            except (TypeError, ValueError, RecursionError, MemoryError) as exc:
                payload = json.dumps({"ok": False, "error": {"type": "RuntimeError",
                                                             "message": f"unencodable reply: {exc}"}}).encode()
            if len(payload) > REPLY_LIMIT:
                payload = json.dumps({"ok": False, "error": {
                    "type": "MemoryError", "message": f"the value is too large to hand to the grader "
                                                      f"({len(payload) // 2 ** 20} MB; the limit is "
                                                      f"{REPLY_LIMIT // 2 ** 20} MB)"}}).encode()
            send_message(self.sock, payload)

    @staticmethod
    def _alarm(signum, frame):
        raise CellTimeout()

    def _describe(self, exc: BaseException) -> dict:
        if isinstance(exc, CellTimeout):
            return {"type": "TimeoutError", "message": "time limit reached", "timeout": True}
        tb = traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-4)
        return {"type": self.codec.exception_name(exc), "message": str(exc)[:2000],
                "memory": isinstance(exc, MemoryError), "traceback": "".join(tb)[-4000:]}

    def _timed(self, seconds: float, func):
        signal.setitimer(signal.ITIMER_REAL, max(0.001, float(seconds)))
        old_out, old_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.output
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = func()
            return value, caught
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = old_out, old_err

    def op_cell(self, request):
        code = compile(request["source"], f"<cell {request['index'] + 1}>", "exec")
        try:
            self._timed(request["timeout"], lambda: exec(code, self.namespace))
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            return {"ok": False, "error": self._describe(exc), "output": self.output.take()}
        return {"ok": True, "output": self.output.take()}

    def op_names(self, request):
        kinds = {}
        for name, value in list(self.namespace.items()):
            if type(name) is not str or name.startswith("_"):  # globals()[1] = ... must not hide the rest
                continue
            if type(value).__name__ == "module":
                continue
            kinds[name] = "callable" if callable(value) and not isinstance(value, type) else "value"
        return {"ok": True, "names": kinds}

    def op_get(self, request):
        value = self.namespace.get(request["name"])
        encoded, _ = self._timed(request["timeout"], lambda: self.codec.encode(value))
        return {"ok": True, "value": encoded}

    def op_call(self, request):
        func = self.namespace.get(request["name"])
        args = self.codec.decode(request["args"])
        kwargs = self.codec.decode(request["kwargs"])
        try:
            result, caught = self._timed(request["timeout"], lambda: self.codec.encode(func(*args, **kwargs)))
        except BaseException as exc:  # noqa: BLE001
            return {"ok": False, "error": self._describe(exc), "output": self.output.take()}
        warned = [{"category": type(w.message).__name__ if isinstance(w.message, Warning) else "UserWarning",
                   "message": str(w.message)[:500]} for w in caught[:20]]
        return {"ok": True, "value": result, "warnings": warned, "output": self.output.take()}

    def op_exit(self, request):
        return None


# ---------------------------------------------------------------- the zygote

PRELOADED_WHEN_MENTIONED = {"matplotlib.pyplot": b"matplotlib", "sympy": b"sympy"}  # module: word that asks for it
PRELOADS = ("numpy", *PRELOADED_WHEN_MENTIONED)  # what a zygote may import before forking sandboxes


def preloads_for(*files: Path) -> tuple[str, ...]:
    """The modules worth importing in a zygote for an assignment: numpy always, matplotlib.pyplot and
    sympy when its autograder zip or student notebook (*files*) mentions them.

    Each costs the zygote about 0.6 s at start; one not preloaded is imported by the sandbox of a
    student who uses it, at that student's expense only. An unreadable file counts as mentioning all.
    """
    text = b""
    for path in files:
        try:
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    text += b"".join(archive.read(member) for member in archive.namelist()
                                     if member.endswith((".py", ".ipynb", ".json", ".txt", ".yml", ".yaml")))
            else:
                text += Path(path).read_bytes()
        except (OSError, zipfile.BadZipFile, ValueError):
            return PRELOADS
    return ("numpy",) + tuple(module for module, word in PRELOADED_WHEN_MENTIONED.items() if word in text)


def usable_matplotlib_folder() -> str | None:
    """A writable folder for matplotlib's cache that outlives this command, or None.

    matplotlib's own choice: $MPLCONFIGDIR, else its cache folder under $XDG_CACHE_HOME or ~/.cache. For a
    user without a writable home (a service account) there is none, and matplotlib would create a
    ``/tmp/matplotlib-*`` folder of its own on every import and never remove it; the caller then makes
    a temporary folder and removes it when done (see :func:`matplotlib_folder`).
    """
    configured = os.environ.get("MPLCONFIGDIR")
    if configured:
        candidates = [configured]
    else:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        candidates = [os.path.join(cache, "matplotlib")]
    for folder in candidates:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            continue
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return None


@contextmanager
def matplotlib_folder():
    """For the trusted process: matplotlib's cache in a usable folder, a temporary one removed at the end
    when this user has none (set in MPLCONFIGDIR before matplotlib is imported)."""
    if usable_matplotlib_folder() is not None:
        yield
        return
    folder = tempfile.mkdtemp(prefix="xent-matplotlib-")
    previous = os.environ.get("MPLCONFIGDIR")
    os.environ["MPLCONFIGDIR"] = folder
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("MPLCONFIGDIR", None)
        else:
            os.environ["MPLCONFIGDIR"] = previous
        shutil.rmtree(folder, ignore_errors=True)


def forced_isolation() -> str:
    """The isolation the grader's environment asks for: "limited" forces the fallback (to see what a
    cluster without user namespaces gives); anything else lets the sandbox use the strongest it can."""
    value = os.environ.get(ISOLATION_VARIABLE, "")
    return "limited" if value == "limited" else "auto"


class ZygoteProcess:
    """The trusted side's handle on one zygote process, with one channel (socket) per grading worker.

    Starting it returns at once: the zygote imports *preload* while the caller goes on,
    and a channel's greeting is read on its first use (runner.Zygote). This module imports only the
    standard library, so `autograder grade` can start the zygote before its own heavy imports.
    """

    def __init__(self, channels: int = 1, preload: tuple[str, ...] = PRELOADS):
        pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(max(1, channels))]
        # Only the variables a sandbox may see: its /proc/self/environ is the zygote's, inherited by fork.
        env = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
        self._matplotlib_folder = None
        folder = usable_matplotlib_folder()
        if folder is None:  # no usable home: matplotlib would leave a folder of its own in /tmp
            folder = self._matplotlib_folder = tempfile.mkdtemp(prefix="xent-matplotlib-")
        env["MPLCONFIGDIR"] = folder
        self._log = tempfile.TemporaryFile()
        fds = [child.fileno() for _, child in pairs]
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "autograder.grading.sandbox", ",".join(map(str, fds)),
                                          ",".join(preload), forced_isolation()],
                                         pass_fds=fds, env=env, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=self._log, start_new_session=True)
        except BaseException:
            for parent, _ in pairs:
                parent.close()
            self._log.close()
            raise
        finally:
            for _, child in pairs:
                child.close()
        self.channels = [parent for parent, _ in pairs]
        self.preload = tuple(preload)

    def log_tail(self) -> str:
        try:
            self._log.seek(0)
            return self._log.read().decode(errors="replace")[-2000:]
        except (OSError, ValueError):
            return ""

    def close(self) -> None:
        """Close every channel (each server exits when no process holds its channel any more) and reap the
        zygote. It holds nothing worth waiting for, so it is killed if still running. Safe to call twice."""
        for channel in self.channels:
            channel.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._log.close()
        if self._matplotlib_folder:
            shutil.rmtree(self._matplotlib_folder, ignore_errors=True)

    def __enter__(self) -> ZygoteProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def zygote_main(control_fds: list[int], preload: list[str], isolation: str = "") -> None:
    """Serve spawn requests: each carries a channel fd and limits; fork a sandbox for it.

    *preload* (numpy always, matplotlib.pyplot and sympy when the assignment uses them) is imported
    first, so every sandbox starts with it loaded. With several control fds (one per grading worker),
    the warm process forks one server per extra fd after its imports, so the workers share one start-up.
    """
    global _FORCED_LIMITED
    _FORCED_LIMITED = isolation == "limited"
    os.environ.setdefault("MPLBACKEND", "Agg")
    import importlib

    import numpy  # noqa: F401

    for module in preload:
        if module in PRELOADS:
            if module == "matplotlib.pyplot":
                import matplotlib

                matplotlib.use("Agg")
            importlib.import_module(module)  # warm import, shared with every sandbox by fork

    from autograder.grading import codec  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # helpers (and servers) are reaped automatically
    mine = control_fds[0]
    for fd in control_fds[1:]:
        if os.fork() == 0:
            mine = fd
            break
    for fd in control_fds:  # each server keeps only its own channel: closing it is how its worker ends it
        if fd != mine:
            os.close(fd)
    _serve(socket.socket(fileno=mine))
    os._exit(0)  # nothing to flush or clean up; skipping interpreter shutdown lets the grader reap it at once


def _serve(control: socket.socket) -> None:
    send_message(control, b'{"ready": true}')
    while True:
        fds = array.array("i")
        try:
            msg, ancdata, _, _ = control.recvmsg(65536, socket.CMSG_SPACE(fds.itemsize))
        except OSError:
            return
        if not msg:
            return
        for level, kind, data in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
        request = json.loads(msg)
        if not fds:
            control.sendall(b"no fd\n")
            continue
        pid = os.fork()
        if pid == 0:
            control.close()
            run_on(request.get("cpus"))  # the requesting worker's CPUs (docs/design-decisions.md)
            _spawn(fds[0], request["limits"])
        os.close(fds[0])
        control.sendall(json.dumps({"helper": pid}).encode() + b"\n")


if __name__ == "__main__":
    zygote_main([int(fd) for fd in sys.argv[1].split(",")], sys.argv[2].split(",") if len(sys.argv) > 2 else [],
                sys.argv[3] if len(sys.argv) > 3 else "")
