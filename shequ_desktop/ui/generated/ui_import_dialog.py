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
    QTabWidget, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget)

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

        self.result_tabs = QTabWidget(ImportDialog)
        self.result_tabs.setObjectName(u"result_tabs")
        self.changes_tab = QWidget()
        self.changes_tab.setObjectName(u"changes_tab")
        self.changes_layout = QVBoxLayout(self.changes_tab)
        self.changes_layout.setObjectName(u"changes_layout")
        self.changes_table = QTableWidget(self.changes_tab)
        if (self.changes_table.columnCount() < 5):
            self.changes_table.setColumnCount(5)
        __qtablewidgetitem = QTableWidgetItem()
        self.changes_table.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.changes_table.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.changes_table.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.changes_table.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.changes_table.setHorizontalHeaderItem(4, __qtablewidgetitem4)
        self.changes_table.setObjectName(u"changes_table")
        self.changes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes_table.setWordWrap(True)
        self.changes_table.setColumnCount(5)
        self.changes_table.horizontalHeader().setStretchLastSection(True)
        self.changes_table.verticalHeader().setVisible(False)

        self.changes_layout.addWidget(self.changes_table)

        self.result_tabs.addTab(self.changes_tab, "")
        self.rejected_tab = QWidget()
        self.rejected_tab.setObjectName(u"rejected_tab")
        self.rejected_layout = QVBoxLayout(self.rejected_tab)
        self.rejected_layout.setObjectName(u"rejected_layout")
        self.rejected_table = QTableWidget(self.rejected_tab)
        if (self.rejected_table.columnCount() < 3):
            self.rejected_table.setColumnCount(3)
        __qtablewidgetitem5 = QTableWidgetItem()
        self.rejected_table.setHorizontalHeaderItem(0, __qtablewidgetitem5)
        __qtablewidgetitem6 = QTableWidgetItem()
        self.rejected_table.setHorizontalHeaderItem(1, __qtablewidgetitem6)
        __qtablewidgetitem7 = QTableWidgetItem()
        self.rejected_table.setHorizontalHeaderItem(2, __qtablewidgetitem7)
        self.rejected_table.setObjectName(u"rejected_table")
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_table.setWordWrap(True)
        self.rejected_table.setColumnCount(3)
        self.rejected_table.horizontalHeader().setStretchLastSection(True)
        self.rejected_table.verticalHeader().setVisible(False)

        self.rejected_layout.addWidget(self.rejected_table)

        self.result_tabs.addTab(self.rejected_tab, "")

        self.dialog_layout.addWidget(self.result_tabs)

        self.accept_names_check = QCheckBox(ImportDialog)
        self.accept_names_check.setObjectName(u"accept_names_check")
        self.accept_names_check.setEnabled(False)

        self.dialog_layout.addWidget(self.accept_names_check)

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

        self.result_tabs.setCurrentIndex(0)


        QMetaObject.connectSlotsByName(ImportDialog)
    # setupUi

    def retranslateUi(self, ImportDialog):
        ImportDialog.setWindowTitle(QCoreApplication.translate("ImportDialog", u"Import residents", None))
        self.file_label.setText(QCoreApplication.translate("ImportDialog", u"File:", None))
        self.file_edit.setPlaceholderText(QCoreApplication.translate("ImportDialog", u"Choose an .xlsx or .csv file", None))
        self.browse_button.setText(QCoreApplication.translate("ImportDialog", u"&Choose file...", None))
        ___qtablewidgetitem = self.changes_table.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("ImportDialog", u"Line", None))
        ___qtablewidgetitem1 = self.changes_table.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("ImportDialog", u"Resident", None))
        ___qtablewidgetitem2 = self.changes_table.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("ImportDialog", u"Field", None))
        ___qtablewidgetitem3 = self.changes_table.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("ImportDialog", u"Before", None))
        ___qtablewidgetitem4 = self.changes_table.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(QCoreApplication.translate("ImportDialog", u"After", None))
        self.result_tabs.setTabText(self.result_tabs.indexOf(self.changes_tab), QCoreApplication.translate("ImportDialog", u"Changes", None))
        ___qtablewidgetitem5 = self.rejected_table.horizontalHeaderItem(0)
        ___qtablewidgetitem5.setText(QCoreApplication.translate("ImportDialog", u"Line", None))
        ___qtablewidgetitem6 = self.rejected_table.horizontalHeaderItem(1)
        ___qtablewidgetitem6.setText(QCoreApplication.translate("ImportDialog", u"Name", None))
        ___qtablewidgetitem7 = self.rejected_table.horizontalHeaderItem(2)
        ___qtablewidgetitem7.setText(QCoreApplication.translate("ImportDialog", u"Problems", None))
        self.result_tabs.setTabText(self.result_tabs.indexOf(self.rejected_tab), QCoreApplication.translate("ImportDialog", u"Rejected rows", None))
        self.accept_names_check.setText(QCoreApplication.translate("ImportDialog", u"The changed names (red) are correct, not typos in the ID number: change them", None))
        self.skip_rejected_check.setText(QCoreApplication.translate("ImportDialog", u"&Skip rows with errors", None))
        self.import_button.setText(QCoreApplication.translate("ImportDialog", u"&Import", None))
        self.close_button.setText(QCoreApplication.translate("ImportDialog", u"Close", None))
    # retranslateUi

