"""Progress on stderr while documents are read: a rich bar on a terminal (files done/total, rate,
ETA), plain periodic lines otherwise (cron mail, CI logs), nothing with ``--quiet``.

    with progress_reporter(quiet=False) as report:
        report.stage("UBND-BQ")                 # optional label (one per source)
        scan(options, progress=report)          # called as report(done, total)
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import IO, Iterator

from .text import decimal, t

PLAIN_EVERY_S = 10.0  # a plain line at most this often …
STEPS = 10  # … or at every 10 % of the files, whichever comes first


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class Progress:
    """Base: does nothing (``--quiet``)."""

    def stage(self, label: str) -> None:
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass


class PlainProgress(Progress):
    """One line now and then: ``docaudit: [source] 500/2000 documents (25%), 41.3/s, ETA 0:00:36``."""

    def __init__(self, stream: IO[str], every: float = PLAIN_EVERY_S, clock=time.monotonic, lang: str = "en") -> None:
        self.stream = stream
        self.lang = lang
        self.every = every
        self.clock = clock
        self.label = ""
        self._reset()

    def _reset(self) -> None:
        self._start = self.clock()
        self._last_time = self._start
        self._last_step = 0
        self._finished = False

    def stage(self, label: str) -> None:
        self.label = label
        self._reset()

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        step = done * STEPS // total if total else STEPS
        last = done >= total
        if last and self._finished:
            return
        if not last and step == self._last_step and now - self._last_time < self.every:
            return
        self._last_step, self._last_time, self._finished = step, now, last
        elapsed = max(now - self._start, 1e-9)
        rate = done / elapsed if done else 0.0
        eta = (total - done) / rate if rate > 0 else None
        where = f"{self.label}: " if self.label else ""
        percent = f"{100 * done / total:.0f}%" if total else "100%"
        lang = self.lang
        tail = (t("progress.done", lang, elapsed=_eta(elapsed)) if last
                else t("progress.rate", lang, rate=decimal(rate, lang, 1), eta=_eta(eta)))
        line = t("progress.line", lang, where=where, done=done, total=total, percent=percent, tail=tail)
        self.stream.write(f"docaudit: {line}\n")
        self.stream.flush()


class RichProgress(Progress):
    """A rich progress bar on the terminal (stderr)."""

    def __init__(self, stream: IO[str], lang: str = "en") -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task):  # files per second
                speed = task.finished_speed or task.speed
                return Text("" if speed is None else f"{speed:.1f} files/s", style="progress.data.speed")

        self.bar = Bar(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=Console(file=stream, stderr=stream is sys.stderr),
            transient=False,
        )
        self.bar.start()
        self.task = None
        self.label = ""
        self.lang = lang

    def stage(self, label: str) -> None:
        self.label = label
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task(self.label or t("progress.bar", self.lang), total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        self.bar.stop()


def make_progress(quiet: bool = False, stream: IO[str] | None = None, mode: str = "auto", lang: str = "en") -> Progress:
    """``mode``: ``auto`` (a bar on a terminal, lines otherwise), ``bar``, ``plain`` or ``none``;
    ``lang``: the language of its words."""
    stream = stream or sys.stderr
    if quiet or mode == "none":
        return Progress()
    if mode == "bar" or (mode == "auto" and getattr(stream, "isatty", lambda: False)()):
        return RichProgress(stream, lang)
    return PlainProgress(stream, lang=lang)


@contextmanager
def progress_reporter(quiet: bool = False, stream: IO[str] | None = None, mode: str = "auto",
                      lang: str = "en") -> Iterator[Progress]:
    progress = make_progress(quiet, stream, mode, lang)
    try:
        yield progress
    finally:
        progress.close()
