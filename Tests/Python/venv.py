#!/usr/bin/env python3
"""Provision the Python the report-format tests use to validate reports against the official schemas.

Usage: python3 Tests/Python/venv.py            prints the path of a Python 3 that imports the modules of
                                               Tests/Python/requirements.txt, or exits 1 with the reason

The first call creates a virtual environment in `.build/test-venv` (`python3 -m venv`, then `pip install -r
requirements.txt` from PyPI, about 5 s) and records the requirements it was made from; later calls reuse it,
and a changed requirements file rebuilds it. Test processes run in parallel, so creation is serialised by an
exclusive lock on `.build/test-venv.lock`: the first caller builds, the others wait and reuse.

When the environment cannot be made (no `venv` module, no network) and this interpreter already imports every
module, this interpreter is used instead, with a note on stderr. Otherwise the message says what to install.
"""
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
VENV = os.environ.get("IMAGELINT_TEST_VENV") or os.path.join(ROOT, ".build", "test-venv")
LOCK = VENV + ".lock"
STAMP = os.path.join(VENV, "imagelint-requirements.sha256")


def modules():
    names = []
    with open(REQUIREMENTS) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line.split("==")[0].split(">=")[0].strip())
    return names


def python_in(venv):
    return os.path.join(venv, "Scripts" if os.name == "nt" else "bin", "python")


def imports_all(python, names):
    script = "import importlib, sys\n" + "".join(f"importlib.import_module({n!r})\n" for n in names)
    return subprocess.run([python, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def create(digest, names):
    """Builds the environment from scratch; returns None or the reason it failed."""
    shutil.rmtree(VENV, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", VENV],
        [python_in(VENV), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS],
    ]
    for step in steps:
        r = subprocess.run(step, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            return f"`{' '.join(step)}` failed ({r.returncode}):\n{r.stdout.strip()}"
    if not imports_all(python_in(VENV), names):
        shutil.rmtree(VENV, ignore_errors=True)
        return f"the new environment {VENV} does not import {', '.join(names)}"
    with open(STAMP, "w") as f:
        f.write(digest + "\n")
    return None


def main():
    names = modules()
    with open(REQUIREMENTS, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    os.makedirs(os.path.dirname(VENV), exist_ok=True)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        try:
            with open(STAMP) as f:
                ready = f.read().strip() == digest
        except OSError:
            ready = False
        if ready and imports_all(python_in(VENV), names):
            print(python_in(VENV))
            return 0
        reason = create(digest, names)
    if reason is None:
        print(python_in(VENV))
        return 0
    if imports_all(sys.executable, names):
        print(f"note: using {sys.executable} (it imports {', '.join(names)}); could not make {VENV}: {reason}",
              file=sys.stderr)
        print(sys.executable)
        return 0
    print(
        f"cannot provision the schema validators ({', '.join(names)}) in {VENV}: {reason}\n"
        f"Fix the cause above (Debian: `apt-get install python3-venv`; PyPI must be reachable), or install them "
        f"for {sys.executable}: `{sys.executable} -m pip install -r {REQUIREMENTS}`.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
