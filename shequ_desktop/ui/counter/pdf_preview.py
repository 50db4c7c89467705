"""Preview a printed PDF (QPdfView) and print it: pages rendered at 300 dpi into the QPrinter (TOOLCHAIN §4).

ReportLab's PDF stays the one source of truth; Qt only shows and rasterises it. No printer, a
cancelled dialog or a failing driver ends in a message inside the dialog, never in a crash.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QRect, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shequ_desktop.i18n import _, ngettext
from shequ_desktop.ui.window_state import fit_to_screen

log = logging.getLogger(__name__)
PRINT_DPI = 300


class PrintError(Exception):
    """The printer could not take the document."""


def render_to_printer(document: QPdfDocument, printer: QPrinter, dpi: int = PRINT_DPI) -> int:
    """Draw every page as a ``dpi`` image on its own sheet; returns the number of pages printed."""
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintError("the document is not loaded")
    first = document.pagePointSize(0)
    printer.setFullPage(True)           # the PDF already carries its margins
    printer.setPageSize(QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point,
                                  "", QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if first.width() > first.height()
                               else QPageLayout.Orientation.Portrait)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("the printer did not start")
    try:
        for page in range(document.pageCount()):
            if page and not printer.newPage():
                raise PrintError("the printer refused a new page")
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)))
            if image.isNull():
                raise PrintError(f"page {page + 1} could not be rendered")
            target = painter.viewport()
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return document.pageCount()


class PdfPreviewDialog(QDialog):
    """打印 / 另存为PDF / 关闭 over a QPdfView; open with ``open()`` (never blocks).

    With ``draft=True`` it shows an unnumbered 样稿: 打印 (after the printer is chosen) and 另存为PDF
    (after the file is chosen) first emit ``issue_requested``; the owner issues the document (number,
    register) and hands the numbered PDF back with ``issued(path, title)``, and the print or save goes on
    with it. Closing a 样稿 without printing numbers nothing.
    """

    printed = Signal(int)               # pages
    issue_requested = Signal()          # a 样稿 is about to be printed or saved: give it its number
    issued_document = Signal(object)    # the numbered PDF's path, once ``issued`` was called

    def __init__(self, path: Path | str, title: str = "", parent: QWidget | None = None,
                 draft: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview_dialog")
        self.draft = draft
        self._pending: tuple[str, object] | None = None    # ("print", QPrinter) / ("save", Path) of a 样稿
        self.path = Path(path)
        self.setWindowTitle(title or self.path.name)
        fit_to_screen(self, QSize(760, 900))   # 打印 / 另存为PDF / 关闭 stay on a 768-pixel screen
        self.document = QPdfDocument(self)
        self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("print_message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #a12622;")
        self.print_button = QPushButton(_("Print"), self)
        self.print_button.setObjectName("print_button")
        self.print_button.setDefault(True)
        self.save_button = QPushButton(_("Save as PDF"), self)
        self.save_button.setObjectName("save_pdf_button")
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.setObjectName("close_button")
        buttons = QHBoxLayout()
        buttons.addWidget(self.message_label, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.close)
        if self.document.status() != QPdfDocument.Status.Ready:
            self._message(_("The document could not be opened: {path}").format(path=self.path), error=True)
            self.print_button.setEnabled(False)

    def _message(self, text: str, error: bool = False) -> None:
        self.message_label.setStyleSheet("color: #a12622;" if error else "color: #1d6b3a;")
        self.message_label.setText(text)

    def print_document(self) -> None:
        """Choose the printer (QPrintDialog) and print; without a printer say so and offer Save as PDF."""
        if not QPrinterInfo.availablePrinters():
            self._message(_("No printer is installed on this computer. Save the document as PDF and print it "
                            "elsewhere, or ask the administrator to install the printer."), error=True)
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self.draft:
            self._request_issue("print", printer)
            return
        self.print_to(printer)

    def _request_issue(self, action: str, target: object) -> None:
        self._pending = (action, target)
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self._message(_("Giving the document its number…"))
        self.issue_requested.emit()

    def issued(self, path: Path | str, title: str = "") -> None:
        """The 样稿 was issued: show the numbered PDF and carry out the print or save that asked for it."""
        self.draft = False
        self.path = Path(path)
        self.document.load(str(self.path))
        if title:
            self.setWindowTitle(title)
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self._message("")
        self.issued_document.emit(self.path)
        pending, self._pending = self._pending, None
        if pending is None:
            return
        action, target = pending
        if action == "print":
            self.print_to(target)  # type: ignore[arg-type]
        else:
            self.save_to(target)  # type: ignore[arg-type]

    def issue_failed(self, text: str) -> None:
        """The document could not be issued (a check refused it): say why; nothing was numbered."""
        self._pending = None
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self._message(text, error=True)

    def print_to(self, printer: QPrinter) -> bool:
        try:
            pages = render_to_printer(self.document, printer)
        except Exception as e:  # a driver failure must never take the counter down
            log.warning("printing %s failed", self.path, exc_info=True)
            self._message(_("Printing failed ({reason}). Check the printer and try again, or save as PDF.")
                          .format(reason=e), error=True)
            return False
        self._message(ngettext("Sent to the printer ({n} page).", "Sent to the printer ({n} pages).", pages)
                      .format(n=pages))
        self.printed.emit(pages)
        return True

    def save_as(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), str(Path.home() / self.path.name),
                                                      "PDF (*.pdf)")
        if target:
            self.save_to(Path(target))

    def save_to(self, target: Path) -> bool:
        if self.draft:                  # numbered first; the copy follows in ``issued``
            self._request_issue("save", Path(target))
            return True
        try:
            shutil.copyfile(self.path, target)
        except OSError as e:
            self._message(_("Could not save: {reason}").format(reason=e.strerror or e), error=True)
            return False
        self._message(_("Saved to {path}").format(path=target))
        return True


def open_preview(path: Path | str, title: str, parent: QWidget | None, draft: bool = False) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(path, title, parent, draft=draft)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
