"""`radar worker`: the stages as jobs of procrastinate, a PostgreSQL-backed task queue.

queue.py writes jobs (the queue, locks and connection each is written through), jobs.py
holds the job bodies (thin calls of radar.pipeline), tick.py decides what is due, app.py
builds the procrastinate app and runs the worker process. Only this path imports
procrastinate: SQLite and `radar serve` stay as they are.
"""
