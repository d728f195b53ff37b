"""``docaudit trust list`` lists the trust packs; ``docaudit trust show vn`` prints one pack's
certificates: name, SHA-256, validity and status ("confirm before release" marked)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..report.i18n import t, word
from ..signatures.packs import TrustPack, load_pack, pack_names

_LANG = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


def _console(width: int = 170) -> Console:
    """The terminal's width, or (piped, redirected) one wide enough that a name and a fingerprint
    stay on one line each, for grep."""
    return Console() if Console().is_terminal else Console(width=width)


def _counts(pack: TrustPack) -> dict[str, int]:
    return {
        "anchors": sum(1 for c in pack.certificates if c.anchor),
        "intermediates": sum(1 for c in pack.certificates if c.status == "intermediate"),
        "listed": sum(1 for c in pack.certificates if c.status == "not-trusted"),
    }


@click.group()
def trust() -> None:
    """Trust packs shipped with docaudit: the certificates of the Vietnamese PKI."""


@trust.command("list")
@_LANG
@_FORMAT
def list_packs(lang: str, fmt: str) -> None:
    """List the trust packs: name, version, what each holds."""
    packs = [load_pack(name) for name in pack_names()]
    if fmt == "json":
        click.echo(json.dumps({"schema": "docaudit.trust/1", "packs": [
            {"pack": p.id, "version": p.version, "title": p.title_in(lang), "sha256": p.digest, **_counts(p)}
            for p in packs]}, ensure_ascii=False, indent=2))
        return
    table = Table(show_lines=False)
    for column in ("pack", "version", "anchors", "intermediates", "listed", "title"):
        table.add_column(t(f"trust.{column}", lang), overflow="fold")
    for pack in packs:
        counts = _counts(pack)
        table.add_row(pack.id, pack.version, str(counts["anchors"]), str(counts["intermediates"]),
                      str(counts["listed"]), pack.title_in(lang))
    _console().print(table)


@trust.command("show")
@click.argument("name")
@_LANG
@_FORMAT
def show(name: str, lang: str, fmt: str) -> None:
    """Print each certificate of the pack NAME (or a pack YAML file): name, SHA-256, validity, status."""
    pack = load_pack(name)
    if fmt == "json":
        click.echo(json.dumps({"schema": "docaudit.trust/1", "pack": pack.id, "version": pack.version,
                               "title": pack.title_in(lang), "reference": pack.reference, "sha256": pack.digest,
                               "certificates": [_certificate_json(c) for c in pack.certificates]},
                              ensure_ascii=False, indent=2))
        return
    console = _console(240)
    console.print(t("trust.heading", lang, pack=pack.id, version=pack.version, title=pack.title_in(lang)),
                  highlight=False, markup=False)
    if pack.reference:
        console.print(t("trust.reference", lang, reference=pack.reference), highlight=False, markup=False)
    table = Table(show_lines=False)
    for column in ("name", "fingerprint", "valid", "status", "hierarchy"):
        table.add_column(t(f"trust.{column}", lang), overflow="fold", no_wrap=column in ("name", "fingerprint", "valid"))
    for cert in pack.certificates:
        status = word("trust_status", cert.status, lang)
        if cert.status == "anchor-confirm":
            status = f"[yellow]{escape(status)}[/yellow]"
        elif cert.status == "not-trusted":
            status = f"[dim]{escape(status)}[/dim]"
        else:
            status = escape(status)
        table.add_row(escape(cert.subject), cert.sha256.upper(),
                      f"{cert.valid_from} → {cert.valid_until}", status,
                      escape(word("trust_hierarchy", cert.hierarchy, lang) or "—"))
    console.print(table)
    to_confirm = sum(1 for c in pack.certificates if c.status == "anchor-confirm")
    if to_confirm:
        console.print(t("trust.to-confirm", lang, count=to_confirm), highlight=False, markup=False)
    folders = sorted({str(c.file.parent) for c in pack.certificates})
    console.print(t("trust.files", lang, folder=", ".join(folders)), highlight=False, markup=False, soft_wrap=True)
    if pack.verify:
        console.print(t("trust.verify", lang, sites=", ".join(pack.verify)), highlight=False, markup=False,
                      soft_wrap=True)
    console.print(t("trust.use", lang, pack=pack.id if Path(name).suffix.lower() not in (".yaml", ".yml") else name),
                  highlight=False, markup=False, soft_wrap=True)


def _certificate_json(cert) -> dict:
    return {
        "file": cert.file.name, "sha256": cert.sha256, "subject": cert.subject, "issuer": cert.issuer,
        "valid_from": cert.valid_from.isoformat() if cert.valid_from else None,
        "valid_until": cert.valid_until.isoformat() if cert.valid_until else None,
        "key": cert.key, "status": cert.status, "hierarchy": cert.hierarchy, "reference": cert.reference,
        "note": cert.note or None, "sources": cert.sources, "found": list(cert.found),
    }
