"""shequ_desktop — 社区工作站桌面端."""

__version__ = "0.1.0"
