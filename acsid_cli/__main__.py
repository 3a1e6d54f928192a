from acsid_cli.cli import main

main()
