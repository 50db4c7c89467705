# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'lock_dialog.ui'
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
from PySide6.QtWidgets import (QApplication, QDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_LockDialog(object):
    def setupUi(self, LockDialog):
        if not LockDialog.objectName():
            LockDialog.setObjectName(u"LockDialog")
        LockDialog.resize(380, 200)
        self.dialog_layout = QVBoxLayout(LockDialog)
        self.dialog_layout.setObjectName(u"dialog_layout")
        self.message_label = QLabel(LockDialog)
        self.message_label.setObjectName(u"message_label")
        self.message_label.setText(u"")
        self.message_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.message_label)

        self.password_layout = QFormLayout()
        self.password_layout.setObjectName(u"password_layout")
        self.password_label = QLabel(LockDialog)
        self.password_label.setObjectName(u"password_label")

        self.password_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.password_label)

        self.password_edit = QLineEdit(LockDialog)
        self.password_edit.setObjectName(u"password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.password_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.password_edit)

        self.password_error_label = QLabel(LockDialog)
        self.password_error_label.setObjectName(u"password_error_label")
        self.password_error_label.setStyleSheet(u"color: #c0392b;")
        self.password_error_label.setText(u"")
        self.password_error_label.setWordWrap(True)

        self.password_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.password_error_label)


        self.dialog_layout.addLayout(self.password_layout)

        self.button_layout = QHBoxLayout()
        self.button_layout.setObjectName(u"button_layout")
        self.button_spacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.button_layout.addItem(self.button_spacer)

        self.unlock_button = QPushButton(LockDialog)
        self.unlock_button.setObjectName(u"unlock_button")

        self.button_layout.addWidget(self.unlock_button)

        self.quit_button = QPushButton(LockDialog)
        self.quit_button.setObjectName(u"quit_button")

        self.button_layout.addWidget(self.quit_button)


        self.dialog_layout.addLayout(self.button_layout)

#if QT_CONFIG(shortcut)
        self.password_label.setBuddy(self.password_edit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(LockDialog)

        self.unlock_button.setDefault(True)


        QMetaObject.connectSlotsByName(LockDialog)
    # setupUi

    def retranslateUi(self, LockDialog):
        LockDialog.setWindowTitle(QCoreApplication.translate("LockDialog", u"Locked", None))
        self.password_label.setText(QCoreApplication.translate("LockDialog", u"&Password:", None))
        self.unlock_button.setText(QCoreApplication.translate("LockDialog", u"Unlock", None))
        self.quit_button.setText(QCoreApplication.translate("LockDialog", u"Quit program", None))
    # retranslateUi

