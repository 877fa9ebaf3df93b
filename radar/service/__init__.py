"""`radar serve`: one long-running scheduler process.

stop.py carries the cooperative stop flag, lock.py the one-instance-per-database lock,
schedule.py the job definitions and triggers, tasks.py the job bodies, serve.py the
process loop that ties them together.
"""
