"""Pages about printed documents: 文书核验 (check a code) and 作废 (void, the chief)."""

from shequ_desktop.ui.documents.verify_page import VerifyPage

__all__ = ["VerifyPage"]
