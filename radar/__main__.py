from radar.cli import run

run()
