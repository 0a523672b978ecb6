"""The plugin undoes, after each test, the gc.freeze() of apps the test served."""

from __future__ import annotations

import gc

import pytest

pytest_plugins = ["pytester"]


def test_a_freeze_made_by_a_test_is_undone_after_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import gc

        def test_freezes():
            gc.freeze()
            assert gc.get_freeze_count() > 0

        def test_sees_nothing_frozen():
            assert gc.get_freeze_count() == 0
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")  # the plugin loads itself
    result.assert_outcomes(passed=2)
    assert gc.get_freeze_count() == 0
