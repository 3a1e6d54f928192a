"""The acsid command line: the app and its error boundary, options, input checks, output, and the commands."""
