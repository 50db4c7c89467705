"""QR codes for the verification code printed on every document (ReportLab's own encoder, vector output)."""

from __future__ import annotations

from functools import lru_cache
from itertools import zip_longest

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

QR_MASK = 0  # any mask is valid for decoders; scoring all 8 took 3 ms a notice in batch prints
_LEVEL = qrencoder.QRErrorCorrectLevel.M
_EXP = qrencoder.EXP_TABLE
_LOG = qrencoder.LOG_TABLE


@lru_cache(maxsize=64)
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    """log α of the Reed-Solomon generator polynomial's coefficients after the leading 1."""
    poly = qrencoder.QRUtil.getErrorCorrectPolynomial(ec_count).num
    return tuple(_LOG[c] for c in poly[1:])


def _ec_codewords(data: list[int], ec_count: int) -> list[int]:
    """The remainder of data·x^ec modulo the generator (what ReportLab's QRPolynomial.mod computes)."""
    gen = _generator_logs(ec_count)
    rem = [0] * ec_count
    for byte in data:
        factor = byte ^ rem[0]
        del rem[0]
        rem.append(0)
        if factor:
            lf = _LOG[factor]
            for i, g in enumerate(gen):
                rem[i] ^= _EXP[(g + lf) % 255]
    return rem


def _codewords(code: qrencoder.QRCode) -> list[int]:
    """Data and error-correction codewords, interleaved (= QRCode.createData, with a fast RS encoder)."""
    rs_blocks = qrencoder.QRRSBlock.getRSBlocks(code.version, code.errorCorrectLevel)
    buffer = qrencoder.QRBitBuffer()
    for data in code.dataList:
        data.write(buffer, code.version)
    total_data = sum(block.dataCount for block in rs_blocks) * 8
    if buffer.getLengthInBits() > total_data:
        raise ValueError(f"code length overflow. ({buffer.getLengthInBits()} > {total_data})")
    if buffer.getLengthInBits() + 4 <= total_data:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = (qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1)
    i = 0
    while buffer.getLengthInBits() < total_data:
        buffer.put(pads[i % 2], 8)
        i += 1
    dcdata, ecdata, offset = [], [], 0
    for block in rs_blocks:
        dc = buffer.buffer[offset:offset + block.dataCount]
        offset += block.dataCount
        dcdata.append(dc)
        ecdata.append(_ec_codewords(dc, block.totalCount - block.dataCount))
    return [c for group in (zip_longest(*dcdata), zip_longest(*ecdata)) for column in group
            for c in column if c is not None]


@lru_cache(maxsize=16)
def _template(version: int, mask: int) -> tuple[tuple[tuple[bool, ...], ...], tuple[tuple[int, int], ...]]:
    """Function patterns and format bits with every data module light (masked), and the data module order."""
    code = qrencoder.QRCode(version, _LEVEL)
    rs_blocks = qrencoder.QRRSBlock.getRSBlocks(version, _LEVEL)
    code.dataCache = [0] * sum(block.totalCount for block in rs_blocks)
    code.makeImpl(False, mask)
    return tuple(tuple(row) for row in code.modules), tuple(code.dataPosIterator())


def qr_matrix(payload: str) -> list[list[bool]]:
    """Dark/light modules of the QR code (error correction M, smallest version that fits)."""
    code = qrencoder.QRCode(None, _LEVEL)
    code.addData(payload)
    code.version = code.calculate_version()
    base, positions = _template(code.version, QR_MASK)
    modules = [list(row) for row in base]
    bits = ((byte >> shift) & 1 for byte in _codewords(code) for shift in range(7, -1, -1))
    for (col, row), bit in zip(positions, bits):
        if bit:  # the template holds 0 XOR mask; a dark data bit flips it
            modules[row][col] = not modules[row][col]
    return modules


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
