"""Everything a scan needs, read and checked before any file is opened: a bad option, register,
trust file, target pack or rule selector fails fast (exit 2), before anything is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..errors import OptionError, UsageError
from ..model import Register, agency_key
from ..register import Selection, find_register, read_register, select
from ..rules import RuleEngine
from ..signatures import TrustStore, ValidationSettings, load_trust
from ..signatures.crypto_policy import load_crypto_policy
from ..targets import TargetPack, load_targets
from ..text import Message, message
from .options import ScanOptions, check_online_timeout


def only_agencies(register: Register, selection: Selection, agencies: Sequence[str]) -> tuple[Register, Selection]:
    """Keep the entries, exclusions and row errors of ``agencies`` only. A name matches as the
    grouping does (:func:`~docaudit.model.agency_key`: case, spaces and Unicode form folded)."""
    if not agencies:
        return register, selection
    wanted = {agency_key(a) for a in agencies}
    listed = {agency_key(e.agency): e.agency for e in reversed(register.entries) if e.agency}
    listed.update({agency_key(e.agency): e.agency for e in reversed(register.errors)
                   if e.agency and agency_key(e.agency) not in listed})
    unknown = [a for a in agencies if agency_key(a) not in listed]
    if unknown:  # a typo in a nightly job's filter must not pass green on zero entries
        shown = ", ".join(sorted(listed.values())[:12]) + (" …" if len(listed) > 12 else "")
        raise OptionError("agencies", f"{', '.join(repr(a) for a in unknown)} not in the register "
                                      f"{register.source} (it lists: {shown or 'no agency'})")

    def keep(name: str | None) -> bool:
        return name is not None and agency_key(name) in wanted

    register = replace(register, errors=tuple(e for e in register.errors if e.agency is None or keep(e.agency)))
    selection = replace(
        selection,
        entries=tuple(e for e in selection.entries if keep(e.agency)),
        excluded={k: v for k, v in selection.excluded.items() if keep(k)},
        duplicates=tuple(pair for pair in selection.duplicates if keep(pair[0].agency)),
    )
    return register, selection


@dataclass(frozen=True)
class ScanPlan:
    """Everything a scan needs, read and checked before any file is opened (a bad option,
    register, trust file, target pack or rule selector fails fast, exit 2)."""

    options: ScanOptions
    register_path: Path
    register: Register
    selection: Selection
    targets: TargetPack
    trust: TrustStore
    settings: ValidationSettings
    engine: "RuleEngine"
    started: dt.datetime
    notes: tuple[Message, ...] = ()

    def run_fields(self, register_path: str | None = None) -> dict[str, Any]:
        """``Store.start_run`` keywords for a run of this scan."""
        return run_fields(self.options, register_path or str(self.register_path), self.targets, self.trust)


def run_fields(options: ScanOptions, register_path: str, targets: TargetPack, trust: TrustStore) -> dict[str, Any]:
    return dict(
        root=str(options.root), register_path=register_path,
        period_start=options.period.start, period_end=options.period.end,
        targets=targets.as_json(), trust_fingerprint=trust.fingerprint,
        validation_time=str(options.validation_time), tool_version=__version__,
    )


def prepare_scan(options: ScanOptions) -> ScanPlan:
    """Check the options and read the targets, trust roots, register and rules."""
    started = dt.datetime.now(dt.timezone.utc)
    root = options.root
    if not root.is_dir():
        raise UsageError(f"audit root {root}: no such folder")
    if options.jobs < 1:
        raise UsageError(f"--jobs: expected a positive number, got {options.jobs}")
    if options.limits.max_file_bytes < 1:
        raise UsageError(f"--max-file-size: expected a positive size, got {options.limits.max_file_bytes}")
    online = None
    if options.online:  # online revocation (issue 16 item 4): one resolver per run
        from ..signatures.online import OnlineRevocation

        online = OnlineRevocation(check_online_timeout(options.online_timeout))
    targets = load_targets(options.targets)
    trust = load_trust(options.trust, options.trust_packs)
    crypto_policy = load_crypto_policy(options.crypto_policy)
    register_path = options.register or find_register(root)
    register = read_register(register_path, options.profile)
    selection = select(register, options.period)
    register, selection = only_agencies(register, selection, options.agencies)
    notes: tuple[Message, ...] = ()
    if trust.empty:
        notes = (message("note.no-trust"),)
    return ScanPlan(
        options=options, register_path=register_path, register=register, selection=selection,
        targets=targets, trust=trust,
        settings=ValidationSettings(trust, options.validation_time, crypto_policy=crypto_policy, online=online),
        engine=rule_engine(options), started=started, notes=notes,
    )


def rule_engine(options: ScanOptions) -> RuleEngine:
    """The rule engine a scan applies: the packs, narrowed by ``options.rules`` (docaudit.toml
    ``[rules]`` or ``--select/--ignore``). Built before any file is read, so a bad pack or
    selector fails fast (exit 2)."""
    return RuleEngine(selection=options.rules)

