"""What acsid gives other projects' tests: a pytest plugin with a running ACS Identity emulator."""
