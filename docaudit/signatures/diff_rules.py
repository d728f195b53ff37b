"""The difference analysis docaudit applies to revisions added after a signature.

pyHanko's ``DEFAULT_DIFF_POLICY``, plus one whitelisting rule for bookkeeping that changes
nothing a reader sees, which pyHanko 0.38 reports as "unexplained xrefs" and so as an illegal
modification (an ``invalid`` document), where EU DSS accepts the file:

* :class:`StructureTreeRule` — the logical structure tree of a tagged PDF (``/StructTreeRoot``:
  structure elements, the parent tree, role and class maps). Word, LibreOffice and Acrobat tag
  what they add: a signature field or a filled form field gets its own structure element, so a
  later signature on a tagged document rewrites structure elements that the earlier signature
  covered. The tree is for accessibility and reading order; no page draws from it.

The rule clears only the *uses* of an object inside the structure tree (pyHanko's per-path
approval): an object that is also reachable from a page, an annotation or a form field still
needs another rule's justification, so content reached through the structure tree (``/OBJR``
to an annotation, say) is never waved through. New objects are cleared only when the new
revision reaches them through the structure tree alone.

``tests/signatures/test_diff_rules.py`` checks both ways: the conformance file the rule
exists for comes out ``not-invalid``, and a change to page content or an annotation that is
also reachable from the structure tree is still caught.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pyhanko.pdf_utils.generic import Reference
from pyhanko.pdf_utils.reader import HistoricalResolver, RawPdfPath
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, StandardDiffPolicy
from pyhanko.sign.diff_analysis.rules_api import Context, QualifiedWhitelistRule, ReferenceUpdate

_STRUCTURE_TREE = ("/Root", "/StructTreeRoot")


def _under(path: RawPdfPath, prefix: tuple[str, ...]) -> bool:
    return tuple(path.path[: len(prefix)]) == prefix


def _usages(resolver: HistoricalResolver, ref: Reference) -> set[RawPdfPath]:
    # pyHanko's own index of the paths from the trailer to each object (built once per revision,
    # and already built for the old revision by the policy before any rule runs)
    resolver._load_reverse_xref_cache()  # noqa: SLF001 — pyHanko's internal API, pinned version
    return resolver._get_usages_of_ref(ref)  # noqa: SLF001


class StructureTreeRule(QualifiedWhitelistRule):
    """Clears updates of structure-tree objects at ``level`` (see the module docstring)."""

    def __init__(self, level: ModificationLevel = ModificationLevel.FORM_FILLING) -> None:
        self.level = level

    def apply_qualified(
        self, old: HistoricalResolver, new: HistoricalResolver
    ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        old_root, new_root = old.root, new.root
        if "/StructTreeRoot" not in old_root or "/StructTreeRoot" not in new_root:
            return  # adding or dropping the whole tree is the catalog rule's business
        for ref in new.explicit_refs_in_revision():
            yield from self._clear(old, new, ref)

    def _clear(self, old: HistoricalResolver, new: HistoricalResolver,
               ref: Reference) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        before = _usages(old, ref)
        if before:
            # an existing object: clear its uses inside the structure tree, one path at a time;
            # any other use of it must still be justified by another rule
            for path in before:
                if _under(path, _STRUCTURE_TREE):
                    yield self.level, ReferenceUpdate(ref, context_checked=Context.from_absolute(old, path))
            return
        after = _usages(new, ref)
        if after and all(_under(path, _STRUCTURE_TREE) for path in after):
            yield self.level, ReferenceUpdate(ref)  # a new object only the structure tree reaches


DIFF_POLICY = StandardDiffPolicy(
    global_rules=[*DEFAULT_DIFF_POLICY.global_rules, StructureTreeRule()],
    form_rule=DEFAULT_DIFF_POLICY.form_rule,
)
"""pyHanko's default policy (same rules, same settings) with the rule above."""
