from acsid_cli.cli.app import main

main()
