"""The station's own identity (name, address, phones, office hours, seal line): first-start set-up."""

from shequ_desktop.ui.station.setup_dialog import StationSetupDialog, install_station_setup

__all__ = ["StationSetupDialog", "install_station_setup"]
