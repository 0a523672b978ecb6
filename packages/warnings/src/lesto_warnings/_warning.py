"""``CodedWarning``: a callable that emits one coded warning through ``warnings``."""

from __future__ import annotations

import threading
import warnings

from lesto_errors import format_message


class CodedWarning:
    """A warning with a stable code, emitted by calling the object.

    Made by :func:`~lesto_warnings.create_warning` or
    :func:`~lesto_warnings.create_deprecation`. Calling it emits
    ``[CODE] formatted message`` with :func:`warnings.warn`, once per process
    unless ``unlimited``; Python's warning filters then decide what is shown,
    ignored or raised.

    Attributes:
        name: the name of the warning's category, shown in the warning line.
        code: the stable, upper-cased code.
        message: the printf-style message template.
        unlimited: emit on every call instead of only the first.
        category: the :class:`Warning` subclass passed to :func:`warnings.warn`.
        emitted: whether the object was called before (set even when a filter
            hides the warning); set it back to ``False`` to emit again.
    """

    name: str
    code: str
    message: str
    unlimited: bool
    category: type[Warning]
    emitted: bool

    def __init__(
        self, name: str, code: str, message: str, *, unlimited: bool, category: type[Warning]
    ) -> None:
        self.name = name
        self.code = code
        self.message = message
        self.unlimited = unlimited
        self.category = category
        self.emitted = False
        self._lock = threading.Lock()

    def format(self, *args: object) -> str:
        """The message template filled from ``args`` (without the code); never raises."""
        return format_message(self.message, args)

    def __call__(self, *args: object, stacklevel: int = 2) -> None:
        """Emit the warning, filling the template from ``args``.

        Args:
            *args: values for the template's placeholders (extra ones are appended).
            stacklevel: which frame the warning is attributed to, counted from
                the code that calls this object: 1 is that line, 2 (the default)
                its caller, the user of the function that emits the warning;
                the same meaning as ``warnings.warn``'s ``stacklevel`` on that line.
        """
        if not self._claim():
            return
        text = f"[{self.code}] {self.format(*args)}"
        warnings.warn(text, self.category, stacklevel=stacklevel + 1)

    def _claim(self) -> bool:
        """Mark the warning emitted; ``False`` when a once-only warning already was."""
        if self.emitted and not self.unlimited:
            return False
        with self._lock:
            if self.emitted and not self.unlimited:
                return False
            self.emitted = True
            return True

    def __repr__(self) -> str:
        return (
            f"CodedWarning(name={self.name!r}, code={self.code!r}, message={self.message!r},"
            f" unlimited={self.unlimited!r}, emitted={self.emitted!r})"
        )
