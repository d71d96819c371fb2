"""Run by the tests in a child process: publish the staged files of OUTPUTS under code version CODE,
SIGKILL-ing itself just before the N-th file-system step (rename, replace, symlink, copy, fsync).

Usage: python publish_in_subprocess.py RAW OUTPUTS CODE N   (N = 0: never; prints the step count)
"""

import os
import shutil
import signal
import sys
from pathlib import Path

raw, outputs, code, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
steps = 0


def counted(function):
    def wrapper(*args, **kwargs):
        global steps
        steps += 1
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)

    return wrapper


os.replace = counted(os.replace)
os.rename = counted(os.rename)
os.symlink = counted(os.symlink)
os.fsync = counted(os.fsync)
shutil.copyfile = counted(shutil.copyfile)

from pipeline.defs.release import _renderer  # noqa: E402
from pipeline.publish.release import publish  # noqa: E402
from pipeline.raw.registry import load_registry  # noqa: E402
from pipeline.store.workspace import Workspace  # noqa: E402

workspace = Workspace(outputs)
sources = load_registry(raw)  # the staged files were re-labelled with CODE by the test (recode)
result = publish(workspace, sources, raw, code, _renderer(workspace, sources, raw))
print(f"{result.release_id} {steps}")
