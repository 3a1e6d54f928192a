"""`acsid emulator`: a local stand-in for the ACS Identity data plane, for tests and demos.

The defaults below are public on purpose (like Azurite's well-known key): they only unlock a local emulator.
"""

DEFAULT_PORT = 10050
DEFAULT_RESOURCE_ID = "ac51dac5-1d00-4e00-8000-00000000e0e0"
# base64 of "acsid-emulator:well-known-key:not-a-secret:never-use-in-azure!!!" (64 bytes, like a real key).
DEFAULT_ACCESS_KEY = "YWNzaWQtZW11bGF0b3I6d2VsbC1rbm93bi1rZXk6bm90LWEtc2VjcmV0Om5ldmVyLXVzZS1pbi1henVyZSEhIQ=="
DEFAULT_SECONDARY_KEY = "YWNzaWQtZW11bGF0b3I6c2Vjb25kYXJ5LWtleTpub3QtYS1zZWNyZXQ6bmV2ZXItdXNlLWluLWF6dXJlISEhIQ=="
# Fixes the admin token of `acsid emulator` (every /emulator/ call but health sends it); `acsid emulator env` sets it.
ADMIN_TOKEN_ENV = "ACSID_EMULATOR_ADMIN_TOKEN"
