"""parsers.kit.pdf: the one place that tells a locked PDF from a damaged one, for the PDF
reader and the image decoder alike."""

from __future__ import annotations

import pytest

from dexa.contract import Corrupt, Encrypted
from parsers.image.decode import pdf_pages_without_text, render_pdf_pages
from parsers.kit.pdf import open_pdf
from parsers.pdf.geometry import image_coverage, read_page_words
from tests.synth import pdf as synth

_READERS = [open_pdf, read_page_words, image_coverage, pdf_pages_without_text, render_pdf_pages]


@pytest.mark.parametrize("read", _READERS, ids=lambda f: f.__name__)
def test_a_pdf_that_needs_a_password_is_encrypted_everywhere(read) -> None:
    with pytest.raises(Encrypted) as caught:
        read(synth.encrypted_pdf())
    assert caught.value.code == "encrypted"
    assert "secret" not in caught.value.message


@pytest.mark.parametrize("read", _READERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("data", [b"%PDF-1.7\n garbage", b"%PDF-1.4\n%%EOF"],
                         ids=["garbage", "no-objects"])
def test_a_damaged_pdf_is_corrupt_not_encrypted(read, data: bytes) -> None:
    with pytest.raises(Corrupt) as caught:
        read(data)
    assert not isinstance(caught.value, Encrypted)
    assert caught.value.code == "corrupt"


def test_a_readable_pdf_opens_and_the_caller_closes_it() -> None:
    document = open_pdf(synth.text_pdf("Lumbar spine L1-L4 BMD 1.058"))
    try:
        assert len(document) == 1
    finally:
        document.close()


def test_owner_password_only_is_not_encrypted() -> None:
    """Permissions without a user password: anyone may open it, so it is read, not rejected."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.cell(text="DXA Results Summary")
    pdf.set_encryption(owner_password="owner")
    document = open_pdf(bytes(pdf.output()))
    document.close()
