"""``scan.Sharing``: equal values end up as one object, and nothing changes but memory."""

from __future__ import annotations

import copy
from dataclasses import replace

from docaudit.pipeline.sharing import Sharing

from ..store.conftest import make_result


def test_equal_verdicts_and_signatures_are_shared_and_unchanged() -> None:
    share = Sharing()
    first = make_result(1)
    copy_of_first = replace(first, evidence=copy.deepcopy(first.evidence))  # equal, not the same objects
    other = make_result(2)  # other serial numbers: other signatures, the same signer and CA
    results = [share.result(r) for r in (first, copy_of_first, other, first)]
    assert results == [first, copy_of_first, other, first]
    verdicts = [r.evidence.verdict for r in results]
    assert verdicts[0] is verdicts[1] is verdicts[3] and verdicts[2] is not verdicts[0]
    a, b = verdicts[0].signatures[0], verdicts[2].signatures[0]
    assert a is not b and a.issuer is b.issuer and a.key_usage is b.key_usage
    assert results[0].findings[0] is results[1].findings[0]


def test_unhashable_values_are_kept_as_they_are() -> None:
    share = Sharing()
    assert share.seen([1, 2]) is None and share.one([1, 2]) == [1, 2]
