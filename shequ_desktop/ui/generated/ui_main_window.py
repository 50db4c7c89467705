# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QListWidget, QListWidgetItem,
    QMainWindow, QMenu, QMenuBar, QSizePolicy,
    QStackedWidget, QStatusBar, QToolBar, QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1280, 700)
        self.settings_action = QAction(MainWindow)
        self.settings_action.setObjectName(u"settings_action")
        self.lock_action = QAction(MainWindow)
        self.lock_action.setObjectName(u"lock_action")
#if QT_CONFIG(shortcut)
        self.lock_action.setShortcut(u"Ctrl+L")
#endif // QT_CONFIG(shortcut)
        self.logout_action = QAction(MainWindow)
        self.logout_action.setObjectName(u"logout_action")
        self.about_action = QAction(MainWindow)
        self.about_action.setObjectName(u"about_action")
        self.quit_action = QAction(MainWindow)
        self.quit_action.setObjectName(u"quit_action")
#if QT_CONFIG(shortcut)
        self.quit_action.setShortcut(u"Ctrl+Q")
#endif // QT_CONFIG(shortcut)
        self.central_widget = QWidget(MainWindow)
        self.central_widget.setObjectName(u"central_widget")
        self.central_layout = QHBoxLayout(self.central_widget)
        self.central_layout.setSpacing(6)
        self.central_layout.setObjectName(u"central_layout")
        self.central_layout.setContentsMargins(6, 6, 6, 6)
        self.nav_list = QListWidget(self.central_widget)
        self.nav_list.setObjectName(u"nav_list")
        self.nav_list.setMinimumSize(QSize(120, 0))
        self.nav_list.setMaximumSize(QSize(160, 16777215))
        self.nav_list.setStyleSheet(u"QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px; }")

        self.central_layout.addWidget(self.nav_list)

        self.page_stack = QStackedWidget(self.central_widget)
        self.page_stack.setObjectName(u"page_stack")

        self.central_layout.addWidget(self.page_stack)

        MainWindow.setCentralWidget(self.central_widget)
        self.menu_bar = QMenuBar(MainWindow)
        self.menu_bar.setObjectName(u"menu_bar")
        self.system_menu = QMenu(self.menu_bar)
        self.system_menu.setObjectName(u"system_menu")
        MainWindow.setMenuBar(self.menu_bar)
        self.main_toolbar = QToolBar(MainWindow)
        self.main_toolbar.setObjectName(u"main_toolbar")
        self.main_toolbar.setMovable(False)
        self.main_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        MainWindow.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.main_toolbar)
        self.status_bar = QStatusBar(MainWindow)
        self.status_bar.setObjectName(u"status_bar")
        MainWindow.setStatusBar(self.status_bar)

        self.menu_bar.addAction(self.system_menu.menuAction())
        self.system_menu.addAction(self.settings_action)
        self.system_menu.addAction(self.lock_action)
        self.system_menu.addAction(self.logout_action)
        self.system_menu.addAction(self.about_action)
        self.system_menu.addSeparator()
        self.system_menu.addAction(self.quit_action)
        self.main_toolbar.addAction(self.settings_action)
        self.main_toolbar.addAction(self.lock_action)
        self.main_toolbar.addAction(self.logout_action)
        self.main_toolbar.addAction(self.quit_action)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"Community Workstation", None))
        self.settings_action.setText(QCoreApplication.translate("MainWindow", u"Settings", None))
        self.lock_action.setText(QCoreApplication.translate("MainWindow", u"Lock", None))
        self.logout_action.setText(QCoreApplication.translate("MainWindow", u"Log out / switch user", None))
        self.about_action.setText(QCoreApplication.translate("MainWindow", u"About", None))
        self.quit_action.setText(QCoreApplication.translate("MainWindow", u"Quit", None))
        self.system_menu.setTitle(QCoreApplication.translate("MainWindow", u"&System", None))
        self.main_toolbar.setWindowTitle(QCoreApplication.translate("MainWindow", u"Toolbar", None))
    # retranslateUi

