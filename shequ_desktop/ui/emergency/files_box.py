"""The files of a drill or training record (photos, sign-in sheets): add, open, save as, remove.

For a record being written the chosen files wait in the dialog and are stored with the record (one
transaction); for a stored record each addition or removal is stored at once (a withdrawal, never a delete).
An image over the size cap is scaled down with Qt (longest side IMAGE_MAX_SIDE, JPEG quality 90) first.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QImageReader, QPainter
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency import files
from shequ_desktop.services.emergency.files import FileView, NewFile
from shequ_desktop.ui.emergency import labels
from shequ_desktop.ui.tasks import TaskRunner

KEY_ROLE = Qt.ItemDataRole.UserRole
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".heic", ".tif", ".tiff")


def shrink_image(data: bytes) -> bytes | None:
    """An image scaled to IMAGE_MAX_SIDE on its longest side as JPEG (quality 90), turned upright as the
    phone took it; None when ``data`` is not an image Qt can read."""
    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buf)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        return None
    if max(image.width(), image.height()) > e.IMAGE_MAX_SIDE:
        image = image.scaled(e.IMAGE_MAX_SIDE, e.IMAGE_MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    if image.hasAlphaChannel():                     # JPEG has no transparency: on white
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(QColor("white"))
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    out = QBuffer()
    out.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(out, "JPG", 90)
    return bytes(out.data().data())


def read_for_attaching(path: str, kind: str) -> tuple[NewFile, bool]:
    """The file at ``path`` as a NewFile (an image over the cap scaled down: the flag says so)."""
    p = Path(path)
    data = p.read_bytes()
    name, shrunk = p.name, False
    if len(data) > e.MAX_FILE_BYTES and p.suffix.lower() in IMAGE_SUFFIXES:
        small = shrink_image(data)
        if small is not None and len(small) <= e.MAX_FILE_BYTES:
            data, name, shrunk = small, p.stem + ".jpg", True
    return NewFile(name, data, kind, personal=kind == "sign_in"), shrunk


def size_text(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, n // 1024)} KB"


class FilesBox(QWidget):
    """List + buttons. ``failed`` carries a UserError for the dialog's error label next to the files field."""

    failed = Signal(object)
    changed = Signal()
    opened = Signal(str)          # the local path handed to the system viewer
    saved = Signal(str)

    def __init__(self, ctx: AppContext, runner: TaskRunner, exercise_id: str | None, chief: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from shequ_desktop.ui.emergency.dialogs import combo
        self._ctx, self._runner, self.exercise_id = ctx, runner, exercise_id
        self.pending: list[NewFile] = []
        self.stored: list[FileView] = []
        self.list = QListWidget(self, objectName="files_list")
        self.list.setProperty("data_role", int(KEY_ROLE))
        self.list.setProperty("user_data", True)              # file names as attached
        self.list.setMaximumHeight(84)
        self.kind_combo = combo(self, "file_kind_combo", [(k, labels.file_kind(k)) for k in e.FILE_KINDS])
        self.add_button = QPushButton(_("Add file…"), self, objectName="add_file_button")
        self.open_button = QPushButton(_("Open attachment"), self, objectName="open_file_button")
        self.save_button = QPushButton(_("Save as…"), self, objectName="save_file_button")
        self.remove_button = QPushButton(_("Remove"), self, objectName="remove_file_button")
        self.note_label = QLabel(self, objectName="files_note_label")
        self.note_label.setWordWrap(True)
        self.note_label.setText(_("At most {max} MB per file; larger photos are scaled down.").format(
            max=e.MAX_FILE_BYTES // 1048576))
        for w in (self.kind_combo, self.add_button):
            w.setVisible(chief)
        self.remove_button.setVisible(chief)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for w in (self.kind_combo, self.add_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.note_label)
        self.add_button.clicked.connect(lambda: self.add())
        self.open_button.clicked.connect(lambda: self.open_current())
        self.save_button.clicked.connect(lambda: self.save_current())
        self.remove_button.clicked.connect(lambda: self.remove_current())
        self.list.currentRowChanged.connect(lambda _r: self._enable())
        self.list.itemDoubleClicked.connect(lambda _i: self.open_current())
        self._enable()
        if exercise_id is not None:
            self.reload()

    # -- contents -----------------------------------------------------------------------------
    def reload(self) -> None:
        ctx, xid = self._ctx, self.exercise_id
        self._runner.submit(lambda: files.list_files(ctx, xid), self._on_loaded, self.failed.emit)

    def _on_loaded(self, views: list[FileView]) -> None:
        self.stored = views
        self._fill()
        self.changed.emit()

    def _fill(self) -> None:
        self.list.clear()
        for v in self.stored:
            text = f"{labels.file_kind(v.kind)} · {v.file_name} · {size_text(v.size)}"
            if not v.complete:
                text += " · " + _("still arriving")
            item = QListWidgetItem(text)
            item.setData(KEY_ROLE, ("stored", v.id))
            self.list.addItem(item)
        for i, f in enumerate(self.pending):
            item = QListWidgetItem(f"{labels.file_kind(f.kind)} · {f.file_name} · {size_text(len(f.content))}")
            item.setData(KEY_ROLE, ("new", i))
            self.list.addItem(item)
        self._enable()

    def _enable(self) -> None:
        on = self.list.currentRow() >= 0
        for b in (self.open_button, self.save_button, self.remove_button):
            b.setEnabled(on)

    def _current(self) -> tuple[str, object] | None:
        item = self.list.currentItem()
        return None if item is None else item.data(KEY_ROLE)

    # -- actions --------------------------------------------------------------------------------
    def add(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _filter = QFileDialog.getOpenFileNames(
                self, _("Attach photos or sign-in sheets"), "",
                _("Photos and documents") + " (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;"
                + _("All files") + " (*)")
        if not paths:
            return
        kind = self.kind_combo.currentData()
        chosen, shrunk = [], []
        try:
            for path in paths:
                f, small = read_for_attaching(path, kind)
                chosen.append(f)
                if small:
                    shrunk.append(f.file_name)
        except OSError as err:
            self.failed.emit(UserError("The file cannot be read: {reason}", field="attachments",
                                       reason=err.strerror or str(err)))
            return
        errors = files.check_files(chosen)
        if errors:
            self.failed.emit(ValidationErrors(errors))
            return
        if shrunk:
            self.note_label.setText(_("Scaled down to fit: {names}").format(names="、".join(shrunk)))
        if self.exercise_id is None:
            self.pending += chosen
            self._fill()
            self.list.setCurrentRow(self.list.count() - 1)
            self.changed.emit()
            return
        ctx, xid = self._ctx, self.exercise_id
        self._runner.submit(lambda: files.attach(ctx, xid, chosen), lambda _v: self.reload(), self.failed.emit)

    def _bytes_then(self, purpose: str, then) -> None:  # noqa: ANN001
        cur = self._current()
        if cur is None:
            return
        where, key = cur
        if where == "new":
            f = self.pending[int(key)]  # type: ignore[call-overload]
            then(f.file_name, f.content)
            return
        ctx = self._ctx
        self._runner.submit(lambda: files.content(ctx, str(key), purpose),
                            lambda pair: then(pair[0].file_name, pair[1]), self.failed.emit)

    def open_current(self) -> None:
        def show(name: str, data: bytes) -> None:
            folder = Path(tempfile.mkdtemp(prefix="shequ-file-"))
            path = folder / name
            path.write_bytes(data)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            self.opened.emit(str(path))
        self._bytes_then("open", show)

    def save_current(self, target: str | None = None) -> None:
        """Ask where first (a cancelled dialog reads nothing and audits nothing), then fetch and write."""
        cur = self._current()
        if cur is None:
            return
        where, key = cur
        name = (self.pending[int(key)].file_name if where == "new"  # type: ignore[call-overload]
                else next((v.file_name for v in self.stored if v.id == key), "file"))
        path = target
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), str(Path.home() / name))
        if not path:
            return

        def write(_name: str, data: bytes) -> None:
            try:
                Path(path).write_bytes(data)
            except OSError as err:
                self.failed.emit(UserError("The file cannot be written: {reason}", field="attachments",
                                           reason=err.strerror or str(err)))
                return
            self.saved.emit(path)
        self._bytes_then("save", write)

    def remove_current(self) -> None:
        cur = self._current()
        if cur is None:
            return
        where, key = cur
        if where == "new":
            del self.pending[int(key)]  # type: ignore[call-overload]
            self._fill()
            self.changed.emit()
            return
        ctx = self._ctx
        self._runner.submit(lambda: files.withdraw(ctx, str(key)), lambda _v: self.reload(), self.failed.emit)
