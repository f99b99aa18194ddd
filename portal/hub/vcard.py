"""Partners as vCards (RFC 6350, version 4.0), for a visitor's address book."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from portal.content import Partner

MEDIA_TYPE = "text/vcard; charset=utf-8"
PRODUCT_ID = "-//Townsquare//Partner directory//EN"

# RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets.
_FOLD_AT = 75
_TEXT_SPECIALS = re.compile(r"([\\,;])")


def partner_vcard(
    partner: Partner,
    page_url: str,
    *,
    logo_url: str | None = None,
    source_url: str | None = None,
) -> str:
    """Return ``partner`` as one vCard: CRLF lines, folded, the same every time."""
    lines = [
        "BEGIN:VCARD",
        # RFC 6350 §6.7.9: VERSION comes right after BEGIN.
        "VERSION:4.0",
        f"PRODID:{PRODUCT_ID}",
        f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page_url)}",
        "KIND:org",
        f"FN:{escape_text(partner.name)}",
        f"ORG:{escape_text(partner.name)}",
        f"CATEGORIES:{escape_text(partner.category)}",
    ]
    if any((partner.address, partner.locality, partner.postcode, partner.country)):
        # §6.3.1: PO box; extended address; street; locality; region; code; country.
        parts = (
            "",
            "",
            partner.address,
            partner.locality,
            "",
            partner.postcode,
            partner.country,
        )
        lines.append("ADR;TYPE=work:" + ";".join(escape_text(p or "") for p in parts))
    if partner.phone:
        lines.append(_telephone(partner.phone))
    if partner.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(partner.email)}")
    lines.append(f"URL;TYPE=work:{partner.website or page_url}")
    if partner.latitude is not None and partner.longitude is not None:
        # §6.5.2 takes a geo URI (RFC 5870): latitude first.
        lines.append(f"GEO:geo:{partner.latitude:.6g},{partner.longitude:.6g}")
    if logo_url:
        lines.append(f"LOGO:{logo_url}")
    if partner.summary:
        lines.append(f"NOTE:{escape_text(partner.summary)}")
    if source_url:
        lines.append(f"SOURCE:{source_url}")
    lines.append("END:VCARD")
    return "".join(f"{folded}\r\n" for folded in _fold_all(lines))


def escape_text(value: str) -> str:
    """Escape a text value as RFC 6350 §3.4 asks: backslash, comma, semicolon, newline."""
    escaped = _TEXT_SPECIALS.sub(r"\\\1", value)
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> list[str]:
    """Split one content line into pieces of at most 75 octets, as §3.2 asks.

    Each piece after the first starts with the one space that marks a
    continuation; no UTF-8 character is cut in two.
    """
    pieces: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _FOLD_AT:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return pieces


def _fold_all(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        yield from fold(line)


def _telephone(phone: str) -> str:
    # §6.4.1 prefers a tel URI (RFC 3966), which needs an international
    # number; any other number is kept as the owner wrote it.
    compact = re.sub(r"[\s().-]", "", phone)
    if re.fullmatch(r"\+\d{4,15}", compact):
        visual = re.sub(r"[\s.-]+", "-", phone.strip())
        return f"TEL;VALUE=uri;TYPE=work,voice:tel:{visual}"
    return f"TEL;VALUE=text;TYPE=work,voice:{escape_text(phone)}"
