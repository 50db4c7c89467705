# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'resident_page.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QSpacerItem, QTableView, QVBoxLayout, QWidget)

class Ui_ResidentPage(object):
    def setupUi(self, ResidentPage):
        if not ResidentPage.objectName():
            ResidentPage.setObjectName(u"ResidentPage")
        ResidentPage.resize(1000, 600)
        self.page_layout = QVBoxLayout(ResidentPage)
        self.page_layout.setObjectName(u"page_layout")
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar_layout = QHBoxLayout()
        self.toolbar_layout.setObjectName(u"toolbar_layout")
        self.search_edit = QLineEdit(ResidentPage)
        self.search_edit.setObjectName(u"search_edit")
        self.search_edit.setMinimumSize(QSize(280, 0))
        self.search_edit.setClearButtonEnabled(True)

        self.toolbar_layout.addWidget(self.search_edit)

        self.total_label = QLabel(ResidentPage)
        self.total_label.setObjectName(u"total_label")
        self.total_label.setMinimumSize(QSize(90, 0))
        self.total_label.setText(u"")

        self.toolbar_layout.addWidget(self.total_label)

        self.toolbar_spacer = QSpacerItem(20, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.toolbar_layout.addItem(self.toolbar_spacer)

        self.add_button = QPushButton(ResidentPage)
        self.add_button.setObjectName(u"add_button")

        self.toolbar_layout.addWidget(self.add_button)

        self.edit_button = QPushButton(ResidentPage)
        self.edit_button.setObjectName(u"edit_button")

        self.toolbar_layout.addWidget(self.edit_button)

        self.reveal_button = QPushButton(ResidentPage)
        self.reveal_button.setObjectName(u"reveal_button")

        self.toolbar_layout.addWidget(self.reveal_button)

        self.import_button = QPushButton(ResidentPage)
        self.import_button.setObjectName(u"import_button")

        self.toolbar_layout.addWidget(self.import_button)

        self.export_button = QPushButton(ResidentPage)
        self.export_button.setObjectName(u"export_button")

        self.toolbar_layout.addWidget(self.export_button)


        self.page_layout.addLayout(self.toolbar_layout)

        self.resident_table = QTableView(ResidentPage)
        self.resident_table.setObjectName(u"resident_table")
        self.resident_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.resident_table.setAlternatingRowColors(True)
        self.resident_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.resident_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.resident_table.setWordWrap(False)
        self.resident_table.horizontalHeader().setStretchLastSection(True)
        self.resident_table.verticalHeader().setVisible(False)

        self.page_layout.addWidget(self.resident_table)

        QWidget.setTabOrder(self.search_edit, self.resident_table)
        QWidget.setTabOrder(self.resident_table, self.add_button)
        QWidget.setTabOrder(self.add_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.reveal_button)
        QWidget.setTabOrder(self.reveal_button, self.import_button)
        QWidget.setTabOrder(self.import_button, self.export_button)

        self.retranslateUi(ResidentPage)

        QMetaObject.connectSlotsByName(ResidentPage)
    # setupUi

    def retranslateUi(self, ResidentPage):
        self.search_edit.setPlaceholderText(QCoreApplication.translate("ResidentPage", u"Search by name, ID number, phone or address (Ctrl+F)", None))
        self.add_button.setText(QCoreApplication.translate("ResidentPage", u"Add", None))
        self.edit_button.setText(QCoreApplication.translate("ResidentPage", u"Edit", None))
        self.reveal_button.setText(QCoreApplication.translate("ResidentPage", u"Show numbers", None))
        self.import_button.setText(QCoreApplication.translate("ResidentPage", u"Import", None))
        self.export_button.setText(QCoreApplication.translate("ResidentPage", u"Export", None))
        pass
    # retranslateUi

