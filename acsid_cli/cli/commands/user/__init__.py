"""acsid user create|show|delete, a module each."""
