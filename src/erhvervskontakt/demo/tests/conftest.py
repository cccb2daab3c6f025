from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def demo_settings(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """DEBUG on (pytest-django turns it off) and uploaded files in a temporary folder."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings
