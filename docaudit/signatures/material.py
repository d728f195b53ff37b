"""What pyHanko needs of a trust set, built once per trust set and process.

A ``ValidationContext`` takes a trust manager (the roots) and a certificate registry (everything
offered for path building: the trust set's intermediates and roots, then each signature's own
certificates). Built from lists, a context registers every certificate again — with the ``vn``
pack's 72 certificates about 2 ms per context, and a signature with a timestamp needs two. So the
trust manager and a registry holding the trust set's certificates are built once
(:func:`trust_material`), and each context gets a registry of its own layered over that one
(:meth:`Material.registry`: nothing recomputed, a key copied only when a validation reads it),
which remembers what the validation adds (``added``: the certificates of the signature's CMS).
The path memo (:mod:`.memo`) keys on those and on the trust set, and classes the validation moment
against the trust set's validity bounds at once (:meth:`Material.moment_class`) instead of
certificate by certificate.
"""

from __future__ import annotations

import bisect
import datetime as dt

from asn1crypto import x509
from pyhanko_certvalidator.registry import CertificateRegistry, SimpleTrustManager

from .trust import TrustStore


class _Layer(dict):
    """One of a registry's maps (key → list of certificates) over the trust set's: a key is
    copied from the trust set's map the first time it is read, so a validation that adds to it
    never changes the trust set's (copy on first use: a validation reads a handful of keys)."""

    __slots__ = ("_base",)

    def __init__(self, base: dict) -> None:
        super().__init__()
        self._base = base

    def __missing__(self, key):
        value = self[key] = list(self._base.get(key, ()))
        return value


class _Certificates(dict):
    """The registry's certificates by issuer and serial: the trust set's, then the validation's own."""

    __slots__ = ("_base",)

    def __init__(self, base: dict) -> None:
        super().__init__()
        self._base = base

    def __missing__(self, key):
        return self._base[key]  # KeyError when neither has it, as a plain dict

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self._base

    def values(self):
        return [*self._base.values(), *dict.values(self)]


class TrustRegistry(CertificateRegistry):
    """A certificate registry that starts as a copy of its trust set's and records what is added."""

    def __init__(self, *, cert_fetcher=None, material: "Material | None" = None) -> None:
        super().__init__(cert_fetcher=cert_fetcher)
        self.material = material
        self.added: list[x509.Certificate] = []
        """Certificates registered after the copy (the signature's own), in order."""

    def register(self, cert: x509.Certificate) -> bool:
        if super().register(cert):
            self.added.append(cert)
            return True
        return False


class Material:
    """The trust manager and certificate registry of one trust set."""

    def __init__(self, trust: TrustStore) -> None:
        self.key = trust.fingerprint
        self.trust_manager = SimpleTrustManager.build(trust_roots=list(trust.roots))
        template = CertificateRegistry.build(trust.intermediates)
        for root in trust.roots:
            template.register(root)
        self._template = template
        self._certificates = tuple(template)
        self._thresholds: dict[dt.timedelta, list[dt.datetime]] = {}

    def registry(self, cert_fetcher=None) -> TrustRegistry:
        """A fresh registry holding the trust set's certificates, layered over the trust set's
        own (nothing copied until used): what a validation adds stays in it."""
        template = self._template
        layered = TrustRegistry(cert_fetcher=cert_fetcher, material=self)
        layered.certs = _Certificates(template.certs)
        layered._subject_map = _Layer(template._subject_map)
        layered._key_identifier_map = _Layer(template._key_identifier_map)
        layered._key_hash_map = _Layer(template._key_hash_map)
        return layered

    def moment_class(self, moment: dt.datetime, tolerance: dt.timedelta) -> tuple[int, int]:
        """Where ``moment`` falls among every validity bound of the trust set's certificates, exact
        and ± ``tolerance``: two moments with the same class compare alike (before, at, after) with
        each bound, which is all that path validation reads of the moment (see :mod:`.memo`).
        Raises ``ValueError`` when a certificate's validity cannot be read."""
        thresholds = self._thresholds.get(tolerance)
        if thresholds is None:
            thresholds = []
            for cert in self._certificates:
                validity = cert["tbs_certificate"]["validity"]
                for bound in (validity["not_before"].native, validity["not_after"].native):
                    thresholds += [bound - tolerance, bound, bound + tolerance]
            thresholds.sort()
            self._thresholds[tolerance] = thresholds
        return bisect.bisect_left(thresholds, moment), bisect.bisect_right(thresholds, moment)


_materials: dict[str, Material] = {}


def trust_material(trust: TrustStore) -> Material:
    """The material of ``trust``, built on first use in this process."""
    key = trust.fingerprint
    found = _materials.get(key)
    if found is None:
        if len(_materials) >= 16:  # a process meets one or two trust sets; tests meet more
            _materials.clear()
        found = _materials[key] = Material(trust)
    return found
