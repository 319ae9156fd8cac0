"""`ProgressLine`: one updating line with count, rate and ETA."""

from __future__ import annotations

import io

from passport_registry.progress import ProgressLine


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_shows_count_share_rate_and_eta() -> None:
    out, clock = io.StringIO(), Ticks()
    bar = ProgressLine(out, 1000, label="passports", clock=clock)
    clock.now += 10
    bar(250)
    assert out.getvalue() == "\rpassports [######------------------] 250/1,000  25%  25.0/s  ETA 0:30"


def test_redraws_are_throttled_but_the_last_one_always_drawn() -> None:
    out, clock = io.StringIO(), Ticks()
    bar = ProgressLine(out, 3, clock=clock, interval=1.0)
    bar(1)
    clock.now += 0.1
    bar(2)  # too soon after the first draw
    assert out.getvalue().count("\r") == 1
    clock.now += 0.1
    bar(3)  # the total: drawn at once
    bar.finish()
    lines = out.getvalue().split("\r")
    assert len(lines) == 4 and lines[2].startswith("[" + "#" * 24 + "] 3/3 100%")
    assert out.getvalue().endswith("\n")


def test_a_shorter_line_wipes_the_longer_one_and_an_unknown_total_has_no_eta() -> None:
    out, clock = io.StringIO(), Ticks()
    bar = ProgressLine(out, None, clock=clock, interval=0.0)
    clock.now += 1
    bar(12_345)
    clock.now += 1_000_000
    bar(12_346)
    first, second = out.getvalue().split("\r")[1:]
    assert first == "12,345 done  12345.0/s"
    assert second.startswith("12,346 done  0.0/s") and len(second) == len(first) and "ETA" not in second
