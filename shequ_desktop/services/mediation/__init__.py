"""Dispute mediation (矛盾调解): patrol, cases, clocks, sessions, outcomes, agreement, archive, rates.

Rules: DOMAIN.md R24–R29, R35, §1.1, §1.3, §4.6. Modules: ``cases`` (intake to archive), ``agreement``
(人民调解协议书 and follow-up), ``council`` (居民议事会 on the meeting record), ``patrol`` (daily log),
``oversight`` (lists, the chief's clocks, the due list, the success rate), ``documents`` (printing).
"""
