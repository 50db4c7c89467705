"""QR codes for the verification code printed on every document (ReportLab's own encoder, vector output)."""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

QR_MASK = 0  # any mask is valid for decoders; scoring all 8 took 3 ms a notice in batch prints


def qr_matrix(payload: str) -> list[list[bool]]:
    """Dark/light modules of the QR code (error correction M, smallest version that fits)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.version = code.calculate_version()
    code.makeImpl(False, QR_MASK)
    return [[bool(m) for m in row] for row in code.modules]


def draw_qr(canv: Canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """Draw the modules as a black vector square of ``size`` points with its lower-left corner at (x, y)."""
    # one filled path, a rectangle per dark run, written as raw operators: 10x faster than shapes
    cell = size / len(matrix)
    ops = ["q 0 g"]
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * cell
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                ops.append(f"{x + start * cell:.2f} {top:.2f} {(c - start) * cell:.2f} {cell * 1.02:.2f} re")
            else:
                c += 1
    ops.append("f Q")
    canv.addLiteral("\n".join(ops))
