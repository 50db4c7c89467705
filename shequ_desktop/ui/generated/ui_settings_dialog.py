# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'settings_dialog.ui'
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
    QDialogButtonBox, QFormLayout, QLabel, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(380, 160)
        self.dialog_layout = QVBoxLayout(SettingsDialog)
        self.dialog_layout.setObjectName(u"dialog_layout")
        self.settings_layout = QFormLayout()
        self.settings_layout.setObjectName(u"settings_layout")
        self.language_label = QLabel(SettingsDialog)
        self.language_label.setObjectName(u"language_label")

        self.settings_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.language_label)

        self.language_combo = QComboBox(SettingsDialog)
        self.language_combo.setObjectName(u"language_combo")

        self.settings_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.language_combo)

        self.idle_lock_label = QLabel(SettingsDialog)
        self.idle_lock_label.setObjectName(u"idle_lock_label")

        self.settings_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.idle_lock_label)

        self.idle_lock_value_label = QLabel(SettingsDialog)
        self.idle_lock_value_label.setObjectName(u"idle_lock_value_label")
        self.idle_lock_value_label.setText(u"-")

        self.settings_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.idle_lock_value_label)


        self.dialog_layout.addLayout(self.settings_layout)

        self.hint_label = QLabel(SettingsDialog)
        self.hint_label.setObjectName(u"hint_label")
        self.hint_label.setStyleSheet(u"color: #888888;")
        self.hint_label.setWordWrap(True)

        self.dialog_layout.addWidget(self.hint_label)

        self.button_box = QDialogButtonBox(SettingsDialog)
        self.button_box.setObjectName(u"button_box")
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.dialog_layout.addWidget(self.button_box)

#if QT_CONFIG(shortcut)
        self.language_label.setBuddy(self.language_combo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SettingsDialog)

        QMetaObject.connectSlotsByName(SettingsDialog)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings", None))
        self.language_label.setText(QCoreApplication.translate("SettingsDialog", u"&Language:", None))
        self.idle_lock_label.setText(QCoreApplication.translate("SettingsDialog", u"Lock when idle:", None))
        self.hint_label.setText(QCoreApplication.translate("SettingsDialog", u"The idle-lock time is part of the station policy; the admin changes it.", None))
    # retranslateUi

