"""Assessment and oversight, part B (考核监督): hotline, questionnaires and the dual evaluation, the
supervision committee and its inspections, incentives, and their papers. One module per area."""
