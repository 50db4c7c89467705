"""Special-group files (特殊群体档案, issue 12): files, 1+1+N rosters, schedules and tasks, contact logs,
assessments, the service package, reviews, follow-ups, satisfaction.

- ``files``: open/close/reopen, flags and needs, reveal, proposals, vulnerable residents of a building
- ``rosters``: 1+1+N and support teams, with history
- ``records``: contacts, assessments, package versions, reviews, follow-ups, surveys (append-only)
- ``schedule``: 我的今日, the due list, the compliance grid, the chief's overview
"""

from shequ_desktop.services.special_groups import files, records, rosters, schedule

__all__ = ["files", "records", "rosters", "schedule"]
