"""acsid: Azure Communication Services identities from the command line."""

__version__ = "0.2.0"
