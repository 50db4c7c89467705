# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'resident_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QGridLayout, QHBoxLayout, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

from shequ_desktop.ui.date_field import DateField

class Ui_ResidentDialog(object):
    def setupUi(self, ResidentDialog):
        if not ResidentDialog.objectName():
            ResidentDialog.setObjectName(u"ResidentDialog")
        ResidentDialog.resize(540, 480)
        self.dialog_layout = QVBoxLayout(ResidentDialog)
        self.dialog_layout.setObjectName(u"dialog_layout")
        self.field_layout = QGridLayout()
        self.field_layout.setObjectName(u"field_layout")
        self.field_layout.setVerticalSpacing(4)
        self.name_label = QLabel(ResidentDialog)
        self.name_label.setObjectName(u"name_label")

        self.field_layout.addWidget(self.name_label, 0, 0, 1, 1)

        self.name_edit = QLineEdit(ResidentDialog)
        self.name_edit.setObjectName(u"name_edit")
        self.name_edit.setMaxLength(64)

        self.field_layout.addWidget(self.name_edit, 0, 1, 1, 1)

        self.name_error_label = QLabel(ResidentDialog)
        self.name_error_label.setObjectName(u"name_error_label")
        self.name_error_label.setStyleSheet(u"color: #c0392b;")
        self.name_error_label.setText(u"")
        self.name_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.name_error_label, 1, 1, 1, 1)

        self.id_number_label = QLabel(ResidentDialog)
        self.id_number_label.setObjectName(u"id_number_label")

        self.field_layout.addWidget(self.id_number_label, 2, 0, 1, 1)

        self.id_number_layout = QHBoxLayout()
        self.id_number_layout.setObjectName(u"id_number_layout")
        self.id_number_edit = QLineEdit(ResidentDialog)
        self.id_number_edit.setObjectName(u"id_number_edit")
        self.id_number_edit.setMaxLength(24)

        self.id_number_layout.addWidget(self.id_number_edit)

        self.id_reveal_button = QPushButton(ResidentDialog)
        self.id_reveal_button.setObjectName(u"id_reveal_button")

        self.id_number_layout.addWidget(self.id_reveal_button)


        self.field_layout.addLayout(self.id_number_layout, 2, 1, 1, 1)

        self.id_number_error_label = QLabel(ResidentDialog)
        self.id_number_error_label.setObjectName(u"id_number_error_label")
        self.id_number_error_label.setStyleSheet(u"color: #c0392b;")
        self.id_number_error_label.setText(u"")
        self.id_number_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.id_number_error_label, 3, 1, 1, 1)

        self.derived_label = QLabel(ResidentDialog)
        self.derived_label.setObjectName(u"derived_label")

        self.field_layout.addWidget(self.derived_label, 4, 0, 1, 1)

        self.derived_value_label = QLabel(ResidentDialog)
        self.derived_value_label.setObjectName(u"derived_value_label")
        self.derived_value_label.setStyleSheet(u"color: #555555;")
        self.derived_value_label.setText(u"-")

        self.field_layout.addWidget(self.derived_value_label, 4, 1, 1, 1)

        self.phone_label = QLabel(ResidentDialog)
        self.phone_label.setObjectName(u"phone_label")

        self.field_layout.addWidget(self.phone_label, 5, 0, 1, 1)

        self.phone_edit = QLineEdit(ResidentDialog)
        self.phone_edit.setObjectName(u"phone_edit")
        self.phone_edit.setMaxLength(32)

        self.field_layout.addWidget(self.phone_edit, 5, 1, 1, 1)

        self.phone_error_label = QLabel(ResidentDialog)
        self.phone_error_label.setObjectName(u"phone_error_label")
        self.phone_error_label.setStyleSheet(u"color: #c0392b;")
        self.phone_error_label.setText(u"")
        self.phone_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.phone_error_label, 6, 1, 1, 1)

        self.address_label = QLabel(ResidentDialog)
        self.address_label.setObjectName(u"address_label")

        self.field_layout.addWidget(self.address_label, 7, 0, 1, 1)

        self.address_edit = QLineEdit(ResidentDialog)
        self.address_edit.setObjectName(u"address_edit")
        self.address_edit.setMaxLength(200)

        self.field_layout.addWidget(self.address_edit, 7, 1, 1, 1)

        self.address_error_label = QLabel(ResidentDialog)
        self.address_error_label.setObjectName(u"address_error_label")
        self.address_error_label.setStyleSheet(u"color: #c0392b;")
        self.address_error_label.setText(u"")
        self.address_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.address_error_label, 8, 1, 1, 1)

        self.grid_label = QLabel(ResidentDialog)
        self.grid_label.setObjectName(u"grid_label")

        self.field_layout.addWidget(self.grid_label, 9, 0, 1, 1)

        self.grid_combo = QComboBox(ResidentDialog)
        self.grid_combo.setObjectName(u"grid_combo")

        self.field_layout.addWidget(self.grid_combo, 9, 1, 1, 1)

        self.grid_error_label = QLabel(ResidentDialog)
        self.grid_error_label.setObjectName(u"grid_error_label")
        self.grid_error_label.setStyleSheet(u"color: #c0392b;")
        self.grid_error_label.setText(u"")
        self.grid_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.grid_error_label, 10, 1, 1, 1)

        self.relation_label = QLabel(ResidentDialog)
        self.relation_label.setObjectName(u"relation_label")

        self.field_layout.addWidget(self.relation_label, 11, 0, 1, 1)

        self.relation_combo = QComboBox(ResidentDialog)
        self.relation_combo.setObjectName(u"relation_combo")
        self.relation_combo.setEditable(True)

        self.field_layout.addWidget(self.relation_combo, 11, 1, 1, 1)

        self.relation_error_label = QLabel(ResidentDialog)
        self.relation_error_label.setObjectName(u"relation_error_label")
        self.relation_error_label.setStyleSheet(u"color: #c0392b;")
        self.relation_error_label.setText(u"")
        self.relation_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.relation_error_label, 12, 1, 1, 1)

        self.moved_in_label = QLabel(ResidentDialog)
        self.moved_in_label.setObjectName(u"moved_in_label")

        self.field_layout.addWidget(self.moved_in_label, 13, 0, 1, 1)

        self.moved_in_edit = DateField(ResidentDialog)
        self.moved_in_edit.setObjectName(u"moved_in_edit")

        self.field_layout.addWidget(self.moved_in_edit, 13, 1, 1, 1)

        self.moved_in_error_label = QLabel(ResidentDialog)
        self.moved_in_error_label.setObjectName(u"moved_in_error_label")
        self.moved_in_error_label.setStyleSheet(u"color: #c0392b;")
        self.moved_in_error_label.setText(u"")
        self.moved_in_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.moved_in_error_label, 14, 1, 1, 1)

        self.note_label = QLabel(ResidentDialog)
        self.note_label.setObjectName(u"note_label")

        self.field_layout.addWidget(self.note_label, 15, 0, 1, 1)

        self.note_edit = QPlainTextEdit(ResidentDialog)
        self.note_edit.setObjectName(u"note_edit")
        self.note_edit.setMaximumSize(QSize(16777215, 70))
        self.note_edit.setTabChangesFocus(True)

        self.field_layout.addWidget(self.note_edit, 15, 1, 1, 1)

        self.note_error_label = QLabel(ResidentDialog)
        self.note_error_label.setObjectName(u"note_error_label")
        self.note_error_label.setStyleSheet(u"color: #c0392b;")
        self.note_error_label.setText(u"")
        self.note_error_label.setWordWrap(True)

        self.field_layout.addWidget(self.note_error_label, 16, 1, 1, 1)


        self.dialog_layout.addLayout(self.field_layout)

        self.bottom_spacer = QSpacerItem(20, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialog_layout.addItem(self.bottom_spacer)

        self.form_error_label = QLabel(ResidentDialog)
        self.form_error_label.setObjectName(u"form_error_label")
        self.form_error_label.setStyleSheet(u"color: #c0392b;")
        self.form_error_label.setText(u"")
        self.form_error_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.form_error_label)

        self.button_box = QDialogButtonBox(ResidentDialog)
        self.button_box.setObjectName(u"button_box")
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.dialog_layout.addWidget(self.button_box)

#if QT_CONFIG(shortcut)
        self.name_label.setBuddy(self.name_edit)
        self.id_number_label.setBuddy(self.id_number_edit)
        self.phone_label.setBuddy(self.phone_edit)
        self.address_label.setBuddy(self.address_edit)
        self.grid_label.setBuddy(self.grid_combo)
        self.relation_label.setBuddy(self.relation_combo)
        self.moved_in_label.setBuddy(self.moved_in_edit)
        self.note_label.setBuddy(self.note_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.name_edit, self.id_number_edit)
        QWidget.setTabOrder(self.id_number_edit, self.id_reveal_button)
        QWidget.setTabOrder(self.id_reveal_button, self.phone_edit)
        QWidget.setTabOrder(self.phone_edit, self.address_edit)
        QWidget.setTabOrder(self.address_edit, self.grid_combo)
        QWidget.setTabOrder(self.grid_combo, self.relation_combo)
        QWidget.setTabOrder(self.relation_combo, self.moved_in_edit)
        QWidget.setTabOrder(self.moved_in_edit, self.note_edit)

        self.retranslateUi(ResidentDialog)

        QMetaObject.connectSlotsByName(ResidentDialog)
    # setupUi

    def retranslateUi(self, ResidentDialog):
        ResidentDialog.setWindowTitle(QCoreApplication.translate("ResidentDialog", u"Resident", None))
        self.name_label.setText(QCoreApplication.translate("ResidentDialog", u"&Name:", None))
        self.id_number_label.setText(QCoreApplication.translate("ResidentDialog", u"&ID number:", None))
        self.id_reveal_button.setText(QCoreApplication.translate("ResidentDialog", u"Show", None))
        self.derived_label.setText(QCoreApplication.translate("ResidentDialog", u"Birth date / sex / age:", None))
        self.phone_label.setText(QCoreApplication.translate("ResidentDialog", u"&Phone:", None))
        self.address_label.setText(QCoreApplication.translate("ResidentDialog", u"&Address:", None))
        self.grid_label.setText(QCoreApplication.translate("ResidentDialog", u"&Grid:", None))
        self.relation_label.setText(QCoreApplication.translate("ResidentDialog", u"&Relation to head:", None))
        self.moved_in_label.setText(QCoreApplication.translate("ResidentDialog", u"&Moved in:", None))
        self.note_label.setText(QCoreApplication.translate("ResidentDialog", u"N&ote:", None))
    # retranslateUi

