# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QDialog,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QProgressBar, QPushButton, QSizePolicy, QSpacerItem,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_ImportDialog(object):
    def setupUi(self, ImportDialog):
        if not ImportDialog.objectName():
            ImportDialog.setObjectName(u"ImportDialog")
        ImportDialog.resize(720, 520)
        self.dialog_layout = QVBoxLayout(ImportDialog)
        self.dialog_layout.setObjectName(u"dialog_layout")
        self.file_layout = QHBoxLayout()
        self.file_layout.setObjectName(u"file_layout")
        self.file_label = QLabel(ImportDialog)
        self.file_label.setObjectName(u"file_label")

        self.file_layout.addWidget(self.file_label)

        self.file_edit = QLineEdit(ImportDialog)
        self.file_edit.setObjectName(u"file_edit")
        self.file_edit.setReadOnly(True)

        self.file_layout.addWidget(self.file_edit)

        self.browse_button = QPushButton(ImportDialog)
        self.browse_button.setObjectName(u"browse_button")

        self.file_layout.addWidget(self.browse_button)


        self.dialog_layout.addLayout(self.file_layout)

        self.file_error_label = QLabel(ImportDialog)
        self.file_error_label.setObjectName(u"file_error_label")
        self.file_error_label.setStyleSheet(u"color: #c0392b;")
        self.file_error_label.setText(u"")
        self.file_error_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.file_error_label)

        self.progress_bar = QProgressBar(ImportDialog)
        self.progress_bar.setObjectName(u"progress_bar")
        self.progress_bar.setValue(0)

        self.dialog_layout.addWidget(self.progress_bar)

        self.count_layout = QHBoxLayout()
        self.count_layout.setObjectName(u"count_layout")
        self.add_count_label = QLabel(ImportDialog)
        self.add_count_label.setObjectName(u"add_count_label")
        self.add_count_label.setText(u"")

        self.count_layout.addWidget(self.add_count_label)

        self.update_count_label = QLabel(ImportDialog)
        self.update_count_label.setObjectName(u"update_count_label")
        self.update_count_label.setText(u"")

        self.count_layout.addWidget(self.update_count_label)

        self.unchanged_count_label = QLabel(ImportDialog)
        self.unchanged_count_label.setObjectName(u"unchanged_count_label")
        self.unchanged_count_label.setText(u"")

        self.count_layout.addWidget(self.unchanged_count_label)

        self.reject_count_label = QLabel(ImportDialog)
        self.reject_count_label.setObjectName(u"reject_count_label")
        self.reject_count_label.setStyleSheet(u"color: #c0392b;")
        self.reject_count_label.setText(u"")

        self.count_layout.addWidget(self.reject_count_label)


        self.dialog_layout.addLayout(self.count_layout)

        self.rejected_table = QTableWidget(ImportDialog)
        if (self.rejected_table.columnCount() < 3):
            self.rejected_table.setColumnCount(3)
        __qtablewidgetitem = QTableWidgetItem()
        self.rejected_table.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.rejected_table.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.rejected_table.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        self.rejected_table.setObjectName(u"rejected_table")
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_table.setWordWrap(True)
        self.rejected_table.setColumnCount(3)
        self.rejected_table.horizontalHeader().setStretchLastSection(True)
        self.rejected_table.verticalHeader().setVisible(False)

        self.dialog_layout.addWidget(self.rejected_table)

        self.status_label = QLabel(ImportDialog)
        self.status_label.setObjectName(u"status_label")
        self.status_label.setText(u"")
        self.status_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.status_label)

        self.button_layout = QHBoxLayout()
        self.button_layout.setObjectName(u"button_layout")
        self.skip_rejected_check = QCheckBox(ImportDialog)
        self.skip_rejected_check.setObjectName(u"skip_rejected_check")

        self.button_layout.addWidget(self.skip_rejected_check)

        self.button_spacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.button_layout.addItem(self.button_spacer)

        self.import_button = QPushButton(ImportDialog)
        self.import_button.setObjectName(u"import_button")
        self.import_button.setEnabled(False)

        self.button_layout.addWidget(self.import_button)

        self.close_button = QPushButton(ImportDialog)
        self.close_button.setObjectName(u"close_button")

        self.button_layout.addWidget(self.close_button)


        self.dialog_layout.addLayout(self.button_layout)

#if QT_CONFIG(shortcut)
        self.file_label.setBuddy(self.browse_button)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportDialog)

        QMetaObject.connectSlotsByName(ImportDialog)
    # setupUi

    def retranslateUi(self, ImportDialog):
        ImportDialog.setWindowTitle(QCoreApplication.translate("ImportDialog", u"Import residents", None))
        self.file_label.setText(QCoreApplication.translate("ImportDialog", u"File:", None))
        self.file_edit.setPlaceholderText(QCoreApplication.translate("ImportDialog", u"Choose an .xlsx or .csv file", None))
        self.browse_button.setText(QCoreApplication.translate("ImportDialog", u"&Choose file...", None))
        ___qtablewidgetitem = self.rejected_table.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("ImportDialog", u"Line", None))
        ___qtablewidgetitem1 = self.rejected_table.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("ImportDialog", u"Name", None))
        ___qtablewidgetitem2 = self.rejected_table.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("ImportDialog", u"Problems", None))
        self.skip_rejected_check.setText(QCoreApplication.translate("ImportDialog", u"&Skip rows with errors", None))
        self.import_button.setText(QCoreApplication.translate("ImportDialog", u"&Import", None))
        self.close_button.setText(QCoreApplication.translate("ImportDialog", u"Close", None))
    # retranslateUi

