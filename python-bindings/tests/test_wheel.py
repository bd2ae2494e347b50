"""The package is one abi3 wheel: it installs and works on the oldest and the newest CPython here."""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def interpreter(version):
    """A working `pythonX.Y`: on PATH, or installed by pyenv (whose shims run only the active version)."""
    pyenv = pathlib.Path(os.environ.get("PYENV_ROOT", pathlib.Path.home() / ".pyenv")) / "versions"
    candidates = [shutil.which(f"python{version}"), *sorted(pyenv.glob(f"{version}.*/bin/python{version}"))]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return str(candidate)
    return None


# The oldest CPython the wheel claims (3.9) and the newest; those present on this machine are tried.
INTERPRETERS = {version: path for version in ("3.9", "3.13") if (path := interpreter(version))}
PROBE = """
import sentry_preflight, sys
pf = sentry_preflight.Preflight({})
event = {"extra": {"password": "hunter2", "note": "mail bob@example.com, ça va", "raw": b"token=abcdefghij"}}
pf.before_send(event, {})
assert event["extra"] == {"password": "[Filtered]", "note": "mail [Filtered], ça va", "raw": "token=[Filtered]"}, event
print(sys.version_info[:2])
"""


def the_wheel():
    wheels = sorted((ROOT / "target" / "wheels").glob("sentry_preflight-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_one_abi3_wheel_for_cpython_3_9_and_later():
    assert "-cp39-abi3-" in the_wheel().name


@pytest.mark.parametrize("version", sorted(INTERPRETERS))
def test_the_wheel_installs_and_scrubs_on(version, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([INTERPRETERS[version], "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "pip", "install", "--quiet", "--no-index", "--no-deps", the_wheel()], check=True)
    run = subprocess.run([venv / "bin" / "python", "-c", PROBE], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(tuple(int(part) for part in version.split(".")))
