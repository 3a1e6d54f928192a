"""acsid: Azure Communication Services identities from the command line."""

__version__ = "0.1.0"
