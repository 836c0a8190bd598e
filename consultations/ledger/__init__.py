"""The consultation ledger (台账, 三(六)), the procedure checklist and the compliance report.

`figures.py` is the one place participant and activity figures are computed; every screen,
export and feed reads them from there or from the ledger entries it keeps current.
"""
