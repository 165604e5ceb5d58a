"""The benchmark script runs (its figures are read by people, never asserted)."""

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_benchmark_quick_mode_runs():
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "bench", "--quick"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for case in ("english N=3:", "edit-site N=3:", "english N=6:", "scaling N=6:"):
        assert case in result.stdout
    assert "pdf N=3: Typst book of" in result.stdout
