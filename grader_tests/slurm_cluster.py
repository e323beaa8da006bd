"""A real single-node Slurm for tests: Debian's slurmctld, slurmd, slurm-client and munge, installed when
missing (as root, from Debian's packages), started with a generated slurm.conf, stopped at the end.

Session-scoped and shared: the daemons start once. The configuration lives in a temporary folder (state,
spool, logs, pid files); SLURM_CONF points the clients (sbatch, sinfo, squeue) at it for the session.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

PACKAGES = ["slurmctld", "slurmd", "slurm-client", "munge"]
BINARIES = ["slurmctld", "slurmd", "sbatch", "sinfo", "munged"]


def _binary(name: str) -> str | None:
    return shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name,) if p.exists()), None)


def _install_slurm() -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *PACKAGES]):
        if subprocess.run(command, env=env, capture_output=True, timeout=1200).returncode != 0:
            return False
    return all(_binary(name) for name in BINARIES)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slurm_conf(folder: Path, *, host: str, cpus: int, ctld_port: int, slurmd_port: int) -> str:
    return "\n".join([
        "ClusterName=xenttest",
        f"SlurmctldHost={host}(127.0.0.1)",
        f"SlurmctldPort={ctld_port}",
        f"SlurmdPort={slurmd_port}",
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "CredType=cred/munge",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_CPU",
        "SchedulerType=sched/backfill",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "JobCompType=jobcomp/none",
        "MpiDefault=none",
        "ReturnToService=2",
        "SlurmctldTimeout=30",
        "SlurmdTimeout=30",
        "InactiveLimit=0",
        "KillWait=5",
        "MinJobAge=300",
        f"StateSaveLocation={folder}/state",
        f"SlurmdSpoolDir={folder}/spool",
        f"SlurmctldPidFile={folder}/slurmctld.pid",
        f"SlurmdPidFile={folder}/slurmd.pid",
        f"SlurmctldLogFile={folder}/slurmctld.log",
        f"SlurmdLogFile={folder}/slurmd.log",
        f"NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN",
        f"PartitionName=xent Nodes={host} Default=YES MaxTime=INFINITE State=UP",
        ""])


def _munge_works() -> bool:
    munge, unmunge = shutil.which("munge"), shutil.which("unmunge")
    if not munge or not unmunge:
        return False
    token = subprocess.run([munge, "-n"], capture_output=True, timeout=10)
    return token.returncode == 0 and subprocess.run([unmunge], input=token.stdout, capture_output=True,
                                                    timeout=10).returncode == 0


def _start_munge(folder: Path) -> int | None:
    """Start munged as user munge unless one already answers; its pid when this fixture started it."""
    if _munge_works():
        return None
    for path in ("/run/munge", "/var/lib/munge", "/var/log/munge"):
        Path(path).mkdir(parents=True, exist_ok=True)
        shutil.chown(path, "munge", "munge")
    if not Path("/etc/munge/munge.key").exists():
        subprocess.run(["runuser", "-u", "munge", "--", "mungekey", "--create"], check=True, timeout=60)
    pidfile = Path("/run/munge/munged.pid")
    subprocess.run(["runuser", "-u", "munge", "--", _binary("munged")], check=True, timeout=60)
    deadline = time.monotonic() + 20
    while not _munge_works():
        if time.monotonic() > deadline:
            raise RuntimeError("munged did not answer within 20 s (see /var/log/munge/munged.log)")
        time.sleep(0.2)
    return int(pidfile.read_text().split()[0]) if pidfile.exists() else None


def _node_idle(env: dict) -> bool:
    done = subprocess.run(["sinfo", "-h", "-N", "-o", "%T"], capture_output=True, text=True, env=env, timeout=30)
    return done.returncode == 0 and done.stdout.strip() == "idle"


@contextmanager
def running_slurm(folder: Path):
    """Start munged (unless one answers), slurmctld and slurmd with a generated slurm.conf in *folder*;
    yield the clients' environment once the node is idle; stop what was started. RuntimeError when Slurm
    is not installed and cannot be."""
    if not all(_binary(name) for name in BINARIES) and not _install_slurm():
        raise RuntimeError("Slurm (slurmctld, slurmd, slurm-client, munge) is not installed and cannot be "
                           "installed here (needs root and apt-get with Debian's packages)")
    for sub in ("state", "spool"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    host = socket.gethostname().split(".")[0]
    conf = folder / "slurm.conf"
    conf.write_text(slurm_conf(folder, host=host, cpus=os.cpu_count() or 1, ctld_port=_free_port(),
                               slurmd_port=_free_port()))
    env = dict(os.environ, SLURM_CONF=str(conf))
    munged = _start_munge(folder)
    daemons = []
    try:
        for command in ([_binary("slurmctld"), "-D", "-i", "-f", str(conf)], [_binary("slurmd"), "-D", "-f", str(conf)]):
            log = open(folder / f"{Path(command[0]).name}.out", "wb")
            daemons.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True))
            log.close()
        deadline = time.monotonic() + 60
        while not _node_idle(env):
            if time.monotonic() > deadline or any(d.poll() is not None for d in daemons):
                logs = "".join((folder / name).read_text(errors="replace")[-1500:]
                               for name in ("slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out")
                               if (folder / name).exists())
                raise RuntimeError(f"the Slurm node did not become idle within 60 s:\n{logs}")
            time.sleep(0.5)
        previous = os.environ.get("SLURM_CONF")
        os.environ["SLURM_CONF"] = str(conf)  # for `autograder slurm` called in-process
        try:
            yield env
        finally:
            if previous is None:
                os.environ.pop("SLURM_CONF", None)
            else:
                os.environ["SLURM_CONF"] = previous
    finally:
        for daemon in reversed(daemons):
            daemon.terminate()
            try:
                daemon.wait(timeout=20)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        if munged is not None:
            try:
                os.kill(munged, signal.SIGTERM)
            except ProcessLookupError:
                pass


@pytest.fixture(scope="session")
def slurm(tmp_path_factory):
    """A running single-node Slurm, shared by the session: yields the environment (SLURM_CONF set) for its
    clients. Skipped, with the reason, only where the packages cannot be installed."""
    if not all(_binary(name) for name in BINARIES) and not _install_slurm():
        pytest.skip("Slurm (slurmctld, slurmd, slurm-client, munge) is not installed and cannot be installed "
                    "here (needs root and apt-get with Debian's packages)")
    with running_slurm(tmp_path_factory.mktemp("slurm")) as env:
        yield env
