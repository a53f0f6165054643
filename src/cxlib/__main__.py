from cxlib.cli.entry import run

run()
