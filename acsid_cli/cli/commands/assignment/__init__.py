"""acsid assignment teams-extension|entra: who may exchange their own Entra token for an ACS identity."""
