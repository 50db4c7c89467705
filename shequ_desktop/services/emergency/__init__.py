"""应急管理: hazard plans, the team and its phone tree, drills and training, incidents with their timeline and
5/15-minute clocks, the vulnerable residents of the affected buildings, and the paper kit for the outage."""
