from cxlib.cli.main import run

run()
