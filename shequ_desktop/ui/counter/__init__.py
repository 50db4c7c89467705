"""一窗受理: the window clerk's screen (intake, checklist, steps, printing, case lists, oversight)."""

from shequ_desktop.ui.counter.page import CounterPage

__all__ = ["CounterPage"]
