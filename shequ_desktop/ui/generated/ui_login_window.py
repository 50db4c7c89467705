# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'login_window.ui'
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
from PySide6.QtWidgets import (QApplication, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_LoginWindow(object):
    def setupUi(self, LoginWindow):
        if not LoginWindow.objectName():
            LoginWindow.setObjectName(u"LoginWindow")
        LoginWindow.resize(420, 340)
        self.main_layout = QVBoxLayout(LoginWindow)
        self.main_layout.setSpacing(10)
        self.main_layout.setObjectName(u"main_layout")
        self.main_layout.setContentsMargins(36, 28, 36, 20)
        self.title_label = QLabel(LoginWindow)
        self.title_label.setObjectName(u"title_label")
        self.title_label.setStyleSheet(u"font-size: 20pt; font-weight: bold;")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.main_layout.addWidget(self.title_label)

        self.community_label = QLabel(LoginWindow)
        self.community_label.setObjectName(u"community_label")
        self.community_label.setStyleSheet(u"font-size: 12pt; color: #555555;")
        self.community_label.setText(u"-")
        self.community_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.main_layout.addWidget(self.community_label)

        self.top_spacer = QSpacerItem(20, 12, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.main_layout.addItem(self.top_spacer)

        self.credentials_layout = QFormLayout()
        self.credentials_layout.setObjectName(u"credentials_layout")
        self.login_label = QLabel(LoginWindow)
        self.login_label.setObjectName(u"login_label")

        self.credentials_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.login_label)

        self.login_edit = QLineEdit(LoginWindow)
        self.login_edit.setObjectName(u"login_edit")
        self.login_edit.setMaxLength(64)

        self.credentials_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.login_edit)

        self.password_label = QLabel(LoginWindow)
        self.password_label.setObjectName(u"password_label")

        self.credentials_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.password_label)

        self.password_edit = QLineEdit(LoginWindow)
        self.password_edit.setObjectName(u"password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(128)

        self.credentials_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.password_edit)

        self.password_error_label = QLabel(LoginWindow)
        self.password_error_label.setObjectName(u"password_error_label")
        self.password_error_label.setStyleSheet(u"color: #c0392b;")
        self.password_error_label.setText(u"")
        self.password_error_label.setWordWrap(True)

        self.credentials_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.password_error_label)


        self.main_layout.addLayout(self.credentials_layout)

        self.button_layout = QHBoxLayout()
        self.button_layout.setObjectName(u"button_layout")
        self.button_spacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.button_layout.addItem(self.button_spacer)

        self.login_button = QPushButton(LoginWindow)
        self.login_button.setObjectName(u"login_button")

        self.button_layout.addWidget(self.login_button)

        self.quit_button = QPushButton(LoginWindow)
        self.quit_button.setObjectName(u"quit_button")

        self.button_layout.addWidget(self.quit_button)


        self.main_layout.addLayout(self.button_layout)

        self.bottom_spacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.main_layout.addItem(self.bottom_spacer)

        self.version_label = QLabel(LoginWindow)
        self.version_label.setObjectName(u"version_label")
        self.version_label.setStyleSheet(u"color: #888888;")
        self.version_label.setText(u"-")
        self.version_label.setAlignment(Qt.AlignmentFlag.AlignRight)

        self.main_layout.addWidget(self.version_label)

#if QT_CONFIG(shortcut)
        self.login_label.setBuddy(self.login_edit)
        self.password_label.setBuddy(self.password_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.login_edit, self.password_edit)
        QWidget.setTabOrder(self.password_edit, self.login_button)
        QWidget.setTabOrder(self.login_button, self.quit_button)

        self.retranslateUi(LoginWindow)

        self.login_button.setDefault(True)


        QMetaObject.connectSlotsByName(LoginWindow)
    # setupUi

    def retranslateUi(self, LoginWindow):
        LoginWindow.setWindowTitle(QCoreApplication.translate("LoginWindow", u"Community Workstation - Log in", None))
        self.title_label.setText(QCoreApplication.translate("LoginWindow", u"Community Workstation", None))
        self.login_label.setText(QCoreApplication.translate("LoginWindow", u"&Login:", None))
        self.password_label.setText(QCoreApplication.translate("LoginWindow", u"&Password:", None))
        self.login_button.setText(QCoreApplication.translate("LoginWindow", u"Log in", None))
        self.quit_button.setText(QCoreApplication.translate("LoginWindow", u"Quit", None))
    # retranslateUi

