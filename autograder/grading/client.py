"""The trusted side's end of the sandbox: start sandboxes from a zygote, talk to them, kill them.

Every reply is read whole within one deadline, bounded in size and structure before it is parsed
(codec.parse); any fault of the channel is the submission's (SandboxDied or SandboxTimeout), never the
grader's. Nothing here runs a test: that is runner.py.
"""

from __future__ import annotations

import array
import json
import os
import signal
import socket
import struct
import time

from autograder.grading import codec
from autograder.grading.limits import Limits
from autograder.grading.sandbox import REPLY_LIMIT, ZygoteProcess, recv_message, send_message
from autograder.processes import current_cpus, pin_to_one_cpu
from xentcore.errors import GradingError

MAX_REPLY = REPLY_LIMIT
GRACE = 2.0  # seconds the trusted side waits beyond a limit the sandbox enforces itself


class SandboxDied(Exception):
    """The sandbox process is gone (it exited, crashed, or was killed)."""


class SandboxTimeout(Exception):
    """The sandbox did not answer in time and has been killed."""


class Zygote:
    """One channel to a zygote, a warm process that forks sandboxes, as used by one grading worker.

    ``Zygote()`` starts a zygote of its own and waits until it is ready; ``Zygote(process, i)`` uses
    channel *i* of a shared ``ZygoteProcess`` (started earlier, ready on first use; its starter closes it).
    """

    def __init__(self, process: ZygoteProcess | None = None, index: int = 0):
        self._owner = process is None
        self.process = ZygoteProcess(1) if process is None else process
        self.control = self.process.channels[index]
        self.control.settimeout(120)
        self._ready = False
        if self._owner:
            try:
                self.wait_ready()
            except GradingError:
                self.process.close()
                raise

    def wait_ready(self) -> None:
        if self._ready:
            return
        try:
            ready = recv_message(self.control, 1024)
        except (EOFError, OSError, socket.timeout):
            raise GradingError("the sandbox process could not start:\n" + self.log_tail()) from None
        if json.loads(ready).get("ready") is not True:
            raise GradingError("the sandbox process sent an unexpected greeting")
        self._ready = True

    def log_tail(self) -> str:
        return self.process.log_tail()

    def spawn(self, limits: Limits) -> Sandbox:
        self.wait_ready()
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        request = json.dumps({"limits": limits.for_sandbox(), "cpus": current_cpus()}).encode()
        self.control.sendmsg([request], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [theirs.fileno()]))])
        theirs.close()
        line = b""
        while not line.endswith(b"\n"):
            chunk = self.control.recv(1024)
            if not chunk:
                raise GradingError("the sandbox zygote stopped:\n" + self.log_tail())
            line += chunk
        sandbox = Sandbox(mine)
        hello = sandbox.receive(timeout=60)
        if not (isinstance(hello, dict) and hello.get("hello") and isinstance(hello.get("pid"), int)):
            raise GradingError("a sandbox did not start properly:\n" + self.log_tail())
        sandbox.pid = hello["pid"]
        sandbox.mode = str(hello.get("mode"))
        return sandbox

    def close(self) -> None:
        if self._owner:
            self.process.close()
        else:
            self.control.close()  # its server ends once no process holds the channel


def channel_queue(context, process: ZygoteProcess):
    """The free channels of a shared zygote process, for the workers forked in *context* to claim."""
    channels = context.SimpleQueue()
    for index in range(len(process.channels)):
        channels.put(index)
    return channels


def claim_channel(process: ZygoteProcess, channels) -> Zygote:
    """In a forked worker: the next free channel of the shared zygote process as this worker's Zygote. The
    other channels are closed here (only their own worker and the main process may hold one), and the worker
    is pinned to the CPU of its channel, with its sandboxes."""
    mine = channels.get()
    for index, channel in enumerate(process.channels):
        if index != mine:
            channel.close()
    pin_to_one_cpu(mine)
    return Zygote(process, mine)


class Sandbox:
    """The trusted end of one sandbox's channel."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.pid: int | None = None
        self.mode = "unknown"
        self.alive = True
        self.last_size = 0  # bytes of the last reply

    def receive(self, timeout: float):
        """The next reply, whole, within *timeout* seconds (one deadline for all of it), bounded in size and
        structure before it is parsed. A late, oversized, malformed or missing reply kills the sandbox:
        every fault of the channel is the submission's (SandboxTimeout or SandboxDied), never the grader's."""
        deadline = time.monotonic() + max(0.0, timeout)
        self.last_size = 0
        try:
            data = recv_message(self.sock, MAX_REPLY, deadline)
        except TimeoutError:
            self.kill()
            raise SandboxTimeout() from None
        except (EOFError, OSError, struct.error, MemoryError):
            self.kill()
            raise SandboxDied() from None
        self.last_size = len(data)
        try:
            return codec.parse(data)
        except codec.CodecError:
            self.kill()
            raise SandboxDied() from None

    def request(self, payload: dict, timeout: float) -> dict:
        if not self.alive:
            raise SandboxDied()
        try:
            send_message(self.sock, json.dumps(payload, separators=(",", ":")).encode())
        except OSError:
            self.kill()
            raise SandboxDied() from None
        reply = self.receive(timeout)
        if not isinstance(reply, dict):
            self.kill()
            raise SandboxDied()
        return reply

    def kill(self) -> None:
        """Kill the sandbox (PID 1 of its namespace: every process in it dies) and wait until it is gone."""
        self.alive = False
        if self.pid is not None:
            for kill in (os.killpg, os.kill):
                try:
                    kill(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _exists(self.pid):
                time.sleep(0.002)
        try:
            self.sock.close()
        except OSError:
            pass


def _exists(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
