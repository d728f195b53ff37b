"""Is a signer certificate a person's or an organisation's?

Vietnamese certificates do not say so in one standard field (DOMAIN.md §4). We combine signals
seen in practice and record which ones decided, so an auditor can check — and so a rule pack can
override the decision by issuer or subject later:

organisation signals
  * a tax or budget code in the subject: ``MST:`` / ``MNS:`` / ``MSNS:`` in UID, serialNumber or CN
  * CN equal to O or to OU (the certificate is named after the organisation)
  * CN starts with an organisation word (Ủy ban nhân dân, UBND, Sở, Bộ, Văn phòng, Huyện ủy …)
person signals
  * a personal identity number: ``CMND:`` / ``CCCD:`` / ``HC:`` (passport) / ``CMT:``
  * givenName or surname attributes
  * CN of the form ``<name> - <unit>`` whose first part is not an organisation word

Identity numbers and tax codes are the strongest signals (weight 3); the others weigh 1.
A tie (including no signal) gives ``None``: role unknown.
"""

from __future__ import annotations

import re
import unicodedata

from asn1crypto import x509

ORG_CODE = re.compile(r"\b(MST|MNS|MSNS|MSDN)\s*:", re.IGNORECASE)
PERSON_CODE = re.compile(r"\b(CMND|CCCD|CMT|HC|PASSPORT)\s*:", re.IGNORECASE)

# Compared without diacritics and in lower case.
ORG_WORDS = (
    "uy ban nhan dan", "ubnd", "hdnd", "hoi dong nhan dan", "so ", "bo ", "van phong", "phong ",
    "huyen uy", "tinh uy", "thanh uy", "thi uy", "dang uy", "dang bo", "ban ", "cuc ", "chi cuc",
    "tong cuc", "trung tam", "truong ", "benh vien", "cong ty", "toa an", "vien kiem sat",
    "kho bac", "thanh tra", "doan ", "hoi ", "mat tran", "quan uy", "cong an",
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower().strip()


def _looks_like_org_name(text: str) -> bool:
    folded = _fold(text) + " "
    return any(folded.startswith(word) for word in ORG_WORDS)


def classify(cert: x509.Certificate) -> tuple[str | None, str]:
    """Return (``person`` | ``organisation`` | ``None``, the signals that decided)."""
    subject = cert.subject.native  # dict: common_name, organization_name, …
    def values(key: str) -> list[str]:
        value = subject.get(key)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    cn = " ".join(values("common_name"))
    orgs = values("organization_name")
    units = values("organizational_unit_name")
    ids = " ".join(values("user_id") + values("serial_number") + [cn])

    org, person, basis = 0, 0, []
    if ORG_CODE.search(ids):
        org += 3
        basis.append("tax/budget code (MST/MNS) in subject")
    if PERSON_CODE.search(ids):
        person += 3
        basis.append("identity number (CMND/CCCD/HC) in subject")
    if cn and any(_fold(cn) == _fold(o) for o in orgs + units):
        org += 1
        basis.append("CN equals O/OU")
    if cn and _looks_like_org_name(cn):
        org += 1
        basis.append("CN is an organisation name")
    if values("given_name") or values("surname"):
        person += 1
        basis.append("givenName/surname present")
    if " - " in cn and not _looks_like_org_name(cn.split(" - ", 1)[0]):
        person += 1
        basis.append("CN is '<person> - <unit>'")
    if org > person:
        return "organisation", "; ".join(basis)
    if person > org:
        return "person", "; ".join(basis)
    return None, "; ".join(basis) or "no person/organisation signal in the certificate"
