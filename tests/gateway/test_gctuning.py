"""The gateway's garbage-collector settings (applied when the app starts)."""

from __future__ import annotations

import gc

from gateway import gctuning


def test_tune_freezes_start_up_objects_and_collects_less_often() -> None:
    before = gc.get_threshold()
    try:
        gctuning.tune()
        assert gc.get_threshold() == gctuning.THRESHOLDS
        assert gc.get_freeze_count() > 0
        assert gctuning.THRESHOLDS[0] > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
