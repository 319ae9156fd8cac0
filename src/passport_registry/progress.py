"""A progress bar for long commands: one updating line of text (count, rate, ETA) on a stream."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 24


class ProgressLine:
    """Rewrites one line of `stream` (with a carriage return) as work is done; `finish` ends the line.

    Redraws at most every `interval` seconds (and always at the total), so calling it for every item is
    cheap. Plain text: `[#####-----]  1,200/5,000  38%  241.3/s  ETA 0:15`; without a known total,
    `1,200 done  241.3/s`.
    """

    def __init__(
        self,
        stream: TextIO,
        total: int | None,
        *,
        label: str = "",
        interval: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._total = total
        self._label = label
        self._interval = interval
        self._clock = clock
        self._start = clock()
        self._drawn_at: float | None = None
        self._done = 0
        self._width = 0

    def __call__(self, done: int) -> None:
        """Record that `done` items are handled; redraw if the last draw is old enough."""
        self._done = done
        now = self._clock()
        if self._drawn_at is None or now - self._drawn_at >= self._interval or done == self._total:
            self._draw(now)

    def render(self, now: float) -> str:
        """The line as it reads at time `now`."""
        elapsed = max(now - self._start, 1e-9)
        rate = self._done / elapsed
        prefix = f"{self._label} " if self._label else ""
        if not self._total:
            return f"{prefix}{self._done:,} done  {rate:.1f}/s"
        share = min(self._done / self._total, 1.0)
        filled = round(WIDTH * share)
        eta = "?" if rate == 0 else _clock_time((self._total - self._done) / rate)
        return (
            f"{prefix}[{'#' * filled}{'-' * (WIDTH - filled)}] {self._done:,}/{self._total:,}"
            f" {share:4.0%}  {rate:.1f}/s  ETA {eta}"
        )

    def finish(self) -> None:
        """Draw the final figures and end the line."""
        self._draw(self._clock())
        self._stream.write("\n")
        self._stream.flush()

    def _draw(self, now: float) -> None:
        self._drawn_at = now
        line = self.render(now)
        self._stream.write("\r" + line.ljust(self._width))  # spaces wipe a longer previous line
        self._width = len(line)
        self._stream.flush()


def _clock_time(seconds: float) -> str:
    whole = max(int(seconds + 0.5), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
