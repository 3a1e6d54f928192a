"""The ACS Identity client library: connection strings, authentication, the REST client and bulk runs.

No terminal, no CLI words: callers decide how to show results and errors. Import from the modules,
e.g. `from acsid_cli.client.rest import IdentityClient` (this package imports nothing, so that the
CLI pays for `requests` only when it talks to the service).
"""
