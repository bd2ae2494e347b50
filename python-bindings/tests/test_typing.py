"""The installed package's stubs, checked by mypy --strict on an app as users write it."""

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent / "typed_app"


def mypy(path):
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", path.name],
        cwd=HERE, capture_output=True, text=True,
    )


def test_an_example_app_passes_mypy_strict():
    run = mypy(HERE / "example_app.py")
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_wrong_policy_type_is_a_type_error():
    run = mypy(HERE / "misuse.py")
    assert run.returncode == 1
    assert 'Argument 1 to "Preflight" has incompatible type "int"' in run.stdout
