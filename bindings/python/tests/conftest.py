"""Shared data for the bindings' tests. Run with CXSENT_LIBRARY pointing at libcxsent.so
(CTest sets it and PYTHONPATH); the path insert below lets plain `pytest` find the package."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WAIT_TEXT = "Waited 45 minutes on hold, the staff were rude. Never again."


@pytest.fixture
def texts():
    """A small mixed corpus: positive, negative, neutral, CX facts, emoji, non-ASCII."""
    return [
        "Great service, the staff were lovely and helpful!",
        WAIT_TEXT,
        "The room was a bit small",
        "It was ok",
        "Love it ❤️ but the café was noisy",
        "Chat took 20 minutes to answer, price was ok",
        "Refund took 3 weeks and nobody answered my emails 😡",
        "Will definitely come back, telling all my friends",
        "Kind of disappointing",
        "Not bad at all, could have been better though",
        "Delivery was fast and the food arrived hot 👍",
        "Switching to another bank. Terrible app, hidden fees.",
    ]
